import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoPage } from '../../../bin/local/demo-page';

const PAGE = readFileSync(join(__dirname, '..', '..', '..', 'web', 'index.html'), 'utf8');
const threads = (html: string) =>
  [...html.matchAll(/<talkback-thread article="([^"]*)"/g)].map((match) => match[1]);

describe('the demo page', () => {
  it('shows the thread of the article a mail link names (?article=)', () => {
    expect(threads(demoPage(PAGE, '?article=gannets-return-early'))).toEqual([
      'gannets-return-early',
    ]);
  });

  it.each([
    ['no article', ''],
    ['an id that does not fit the rule', '?article=%22%3E%3Cscript%3E'],
    ['an empty id', '?article='],
  ])('shows its own article for %s', (_case, search) => {
    expect(threads(demoPage(PAGE, search))).toEqual(['lighthouse-keepers-who-never-left']);
  });
});
