import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../bin/talkback-admin';

/** The CLI against a server that must never be called: each mistake is found before any request. */
const ENV = { TALKBACK_API_URL: 'http://127.0.0.1:9/', TALKBACK_ADMIN_TOKEN: 'token' };
const dir = mkdtempSync(join(tmpdir(), 'talkback-import-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function importing(...args: string[]) {
  const printed: string[] = [];
  const notes: string[] = [];
  const code = await run(
    ['import', ...args],
    ENV,
    (text) => printed.push(text),
    (text) => notes.push(text),
  );
  return { code, lines: [...printed, ...notes] };
}

describe('npm run admin -- import: a mistake is said in words, with a non-zero exit', () => {
  it.each([
    ['an empty file', () => ['talkback', file('empty.jsonl', '')], /is empty: nothing to import/],
    [
      'a file of blank lines',
      () => ['talkback', file('blank.jsonl', '\n\n  \n')],
      /is empty: nothing to import/,
    ],
    [
      'a missing file',
      () => ['wordpress', join(dir, 'no-such-export.xml')],
      /no file .*no-such-export\.xml/,
    ],
    [
      'a misspelled source',
      () => ['wordprss', file('site.xml', '<rss/>')],
      /unknown source "wordprss": use wordpress, disqus, talkback or coral/,
    ],
    [
      'a Talkback export passed as WordPress',
      () => [
        'wordpress',
        file('export.jsonl', '{"format":"talkback-export","version":2,"exportedAt":"x"}\n'),
      ],
      /is not XML .*import talkback/,
    ],
    [
      'an XML file passed as a Talkback export',
      () => ['talkback', file('wxr.xml', '<?xml version="1.0"?>\n<rss></rss>\n')],
      /is XML, not a Talkback export .*import wordpress or import disqus/,
    ],
  ])('%s', async (_case, args, message) => {
    const { code, lines } = await importing(...args());
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).not.toMatch(/ENOENT|:\d+:\d+:/);
  });
});
