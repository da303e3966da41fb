import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readDisqus } from '../../../bin/admin/import/disqus';
import {
  type ArticleIdMode,
  type SourceEvent,
  SourceFileError,
} from '../../../bin/admin/import/source';
import { readTalkbackExport } from '../../../bin/admin/import/talkback-jsonl';
import { readWordPress } from '../../../bin/admin/import/wordpress';
import { MAX_XML_VALUE_CHARS } from '../../../bin/admin/import/xml-stream';
import { importedCommentId } from '../../../lambda/domain/imports';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const WXR = join(FIXTURES, 'wordpress-export.xml');
const DISQUS = join(FIXTURES, 'disqus-export.xml');

async function read(
  reader: typeof readWordPress,
  file: string,
  articleId: ArticleIdMode = 'slug',
  highWaterMark = 64,
): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  // Small chunks: every element is split across chunks somewhere, as in a large file.
  for await (const event of reader(createReadStream(file, { highWaterMark }), {
    fileName: file,
    articleId,
  })) {
    events.push(event);
  }
  return events;
}

/**
 * The first comment of both fixtures, Ada's on the keepers, as read from the file where it has
 * `sourceId`; its id comes from `source`, the key its importer names it by.
 */
const firstComment = (sourceId: string, source: string) => ({
  sourceId,
  parentSourceId: null,
  id: importedCommentId(source, Date.parse('2026-11-26T10:05:00Z')),
  articleId: 'lighthouse-keepers',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  website: null,
  body: 'What a wonderful piece – thank you.\n\nMore on the keepers: the archive (https://archive.example/keepers).',
  status: 'published',
  createdAt: '2026-11-26T10:05:00.000Z',
  editedAt: null,
});

const comments = (events: SourceEvent[]) =>
  events.flatMap((event) => (event.kind === 'comment' ? [event.comment] : []));
const skipped = (events: SourceEvent[]) =>
  events.flatMap((event) => (event.kind === 'skipped' ? [event.skipped] : []));

describe('readWordPress', () => {
  it('reads every comment of posts and pages with its fields', async () => {
    const events = await read(readWordPress, WXR);
    const byId = new Map(comments(events).map((comment) => [comment.sourceId, comment]));
    expect([...byId.keys()]).toEqual(['103', '101', '102', '104', '105', '201', '202', '203']);
    expect(byId.get('101')).toEqual(
      firstComment('101', 'wordpress\u0000https://harbour.example\u0000101'),
    );
    expect(byId.get('103')).toMatchObject({
      parentSourceId: '101',
      name: 'Björn Ødegård',
      website: 'https://fjord.example/',
      body: 'Ja! My grandfather kept the light at Ytre & Indre 🌊\nHe said the winters were the hardest.',
      createdAt: '2026-11-26T11:30:00.000Z',
    });
    expect(byId.get('104')).toMatchObject({ status: 'pending', name: '新しい読者' });
    expect(byId.get('105')).toMatchObject({ status: 'spam' });
  });

  it('leaves out trash, pingbacks and comments of attachments, saying why', async () => {
    expect(skipped(await read(readWordPress, WXR))).toEqual([
      { sourceId: '106', reason: 'trash' },
      { sourceId: '107', reason: 'pingback' },
      { sourceId: '301', reason: 'on a post of type attachment, not a post or page' },
    ]);
  });

  it('ends each post with a thread-end', async () => {
    const kinds = (await read(readWordPress, WXR)).map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'thread-end')).toHaveLength(4);
    expect(kinds.at(-1)).toBe('thread-end');
  });

  it.each([
    ['slug', 'lighthouse-keepers'],
    ['path', '2026-11-lighthouse-keepers'],
    ['id', '12'],
  ] as const)('takes the article id from the post’s %s', async (mode, articleId) => {
    const first = comments(await read(readWordPress, WXR, mode))[0];
    expect(first?.articleId).toBe(articleId);
  });

  it('gives the same ids on every read, whatever the chunk size', async () => {
    const ids = (events: SourceEvent[]) => comments(events).map((comment) => comment.id);
    expect(ids(await read(readWordPress, WXR, 'slug', 7))).toEqual(
      ids(await read(readWordPress, WXR, 'slug', 1 << 16)),
    );
  });

  it('names the file and line of malformed XML, and yields nothing of the chunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkback-wxr-'));
    const file = join(dir, 'broken.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<item><wp:comment>\n</wp:post>\n</channel></rss>\n',
    );
    await expect(read(readWordPress, file)).rejects.toThrow(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: `),
    );
  });
});

describe('readDisqus', () => {
  it('reads every post with its thread’s article id, parent and flags', async () => {
    const events = await read(readDisqus, DISQUS, 'path');
    const byId = new Map(comments(events).map((comment) => [comment.sourceId, comment]));
    expect([...byId.keys()]).toEqual(['9003', '9001', '9002', '9005', '9201']);
    expect(byId.get('9001')).toEqual(firstComment('9001', 'disqus\u00009001'));
    expect(byId.get('9003')).toMatchObject({ parentSourceId: '9001', name: 'Björn Ødegård' });
    expect(byId.get('9005')).toMatchObject({ status: 'spam' });
    expect(byId.get('9201')).toMatchObject({ articleId: 'about', name: '新しい読者' });
  });

  it('leaves out deleted posts and posts of undeclared threads', async () => {
    expect(skipped(await read(readDisqus, DISQUS, 'path'))).toEqual([
      { sourceId: '9006', reason: 'deleted' },
      { sourceId: '9301', reason: 'its thread is not in the export' },
    ]);
  });

  it('takes the article id from the thread’s <id> identifier', async () => {
    expect(comments(await read(readDisqus, DISQUS, 'id')).map((c) => c.articleId)).toEqual([
      'post-12',
      'post-12',
      'post-12',
      'post-12',
      'page-2',
    ]);
  });
});

describe('the XML reader’s size caps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkback-wxr-big-'));
  const file = join(dir, 'big.xml');
  /** A WordPress export around `inner`, read in 64 KiB chunks. */
  function readInner(inner: string): Promise<SourceEvent[]> {
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>${inner}</item></channel></rss>`,
    );
    return read(readWordPress, file, 'slug', 65_536);
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an attribute over the cap, naming its element', async () => {
    await expect(
      readInner(
        `<wp:comment><wp:comment_author note="${'x'.repeat(MAX_XML_VALUE_CHARS + 1)}">A</wp:comment_author></wp:comment>`,
      ),
    ).rejects.toThrow(
      new SourceFileError(
        `${file}: an attribute of <wp:comment_author> is longer than ${MAX_XML_VALUE_CHARS.toLocaleString('en')} characters`,
      ),
    );
  });

  it('refuses a text over the cap, naming its element', async () => {
    await expect(
      readInner(
        `<wp:comment><wp:comment_content>${'y'.repeat(MAX_XML_VALUE_CHARS + 1)}</wp:comment_content></wp:comment>`,
      ),
    ).rejects.toThrow(
      new SourceFileError(
        `${file}: the text of <wp:comment_content> is longer than ${MAX_XML_VALUE_CHARS.toLocaleString('en')} characters`,
      ),
    );
  });

  it('reads a text just under the cap', async () => {
    await expect(
      readInner(`<title>${'z'.repeat(MAX_XML_VALUE_CHARS - 10)}</title>`),
    ).resolves.toBeDefined();
  });
});

describe('readTalkbackExport', () => {
  const line = {
    type: 'comment',
    id: '01M99338700WRAPZ18WZ2HJHPB',
    articleId: 'round-trip',
    parentId: '01M99332HHBRY4Y35J24Q9Y5A8',
    author: { name: 'Reader', website: null },
    email: 'orphan@example.com',
    body: 'A reply that outlives its parent.',
    status: 'published',
    createdAt: '2026-12-07T20:28:33.888Z',
    editedAt: null,
  };
  const readLines = async (...lines: unknown[]) => {
    const events: SourceEvent[] = [];
    const text = lines.map((value) => JSON.stringify(value)).join('\n');
    for await (const event of readTalkbackExport(Readable.from([text]), 'export.jsonl')) {
      events.push(event);
    }
    return events;
  };

  it('reads version 2: marks, a reply whose parent is gone, closed articles', async () => {
    const events = await readLines(
      { format: 'talkback-export', version: 2, exportedAt: '2026-12-07T20:30:00.000Z' },
      { ...line, staff: true, pinned: true, parentGone: true },
      { type: 'article', articleId: 'round-trip', closed: true },
    );
    expect(events).toEqual([
      {
        kind: 'comment',
        comment: expect.objectContaining({
          sourceId: line.id,
          parentSourceId: line.parentId,
          parentId: line.parentId,
          parentGone: true,
          staff: true,
          pinned: true,
        }),
      },
      { kind: 'article', articleId: 'round-trip', closed: true },
    ]);
  });

  it('still reads version 1, without the marks', async () => {
    const events = await readLines(
      { format: 'talkback-export', version: 1, exportedAt: '2026-12-01T00:00:00.000Z' },
      line,
    );
    expect(comments(events)).toEqual([
      expect.objectContaining({ parentGone: false, staff: false, pinned: false }),
    ]);
  });

  it('reads version 3: a signed-in reader’s marks and id, an article’s own settings', async () => {
    const events = await readLines(
      { format: 'talkback-export', version: 3, exportedAt: '2026-12-08T10:00:00.000Z' },
      { ...line, verified: true, badges: ['subscriber'], commenterId: 'user-42' },
      {
        type: 'article',
        articleId: 'members',
        closed: false,
        closeAt: '2099-01-01T00:00:00.000Z',
        moderation: 'all',
        commenting: 'badge:subscriber',
      },
    );
    expect(events).toEqual([
      {
        kind: 'comment',
        comment: expect.objectContaining({
          verified: true,
          badges: ['subscriber'],
          commenterId: 'user-42',
        }),
      },
      {
        kind: 'article',
        articleId: 'members',
        closed: false,
        closeAt: '2099-01-01T00:00:00.000Z',
        moderation: 'all',
        commenting: 'badge:subscriber',
      },
    ]);
  });

  it('reads a version 2 comment as a guest’s: not verified, no badges, no id', async () => {
    const events = await readLines(
      { format: 'talkback-export', version: 2, exportedAt: '2026-12-07T20:30:00.000Z' },
      line,
    );
    expect(comments(events)[0]).toMatchObject({ verified: false, badges: [] });
    expect(comments(events)[0]).not.toHaveProperty('commenterId');
  });

  it('refuses a version it does not know, naming the ones it reads', async () => {
    await expect(
      readLines({ format: 'talkback-export', version: 4, exportedAt: '2027-01-01T00:00:00.000Z' }),
    ).rejects.toThrow('export.jsonl:1: format version 4; this CLI reads 1, 2 and 3');
  });
});
