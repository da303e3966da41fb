/**
 * The Coral reader (bin/admin/import/coral.ts) on a hand-written mongoexport of Coral's stories,
 * users and comments (test/fixtures/coral/), as Coral's own models define the documents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCoral } from '../../../bin/admin/import/coral';
import { importInputProblem } from '../../../bin/admin/import/input-file';
import {
  type ArticleIdMode,
  type SourceComment,
  type SourceEvent,
  SourceFileError,
} from '../../../bin/admin/import/source';
import { importedCommentId } from '../../../lambda/domain/imports';
import { writeCoralExport } from '../../bench/coral-import-load';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'coral');
/** Before the fixture's future story closes, after its past one did. */
const NOW = Date.parse('2026-12-08T12:00:00.000Z');

async function read(dir = FIXTURE, articleId: ArticleIdMode = 'slug') {
  const input = readCoral(dir, { articleId, now: NOW });
  const events: SourceEvent[] = [];
  for await (const event of input.events) events.push(event);
  return { events, input };
}

const commentsOf = (events: SourceEvent[]) =>
  new Map(
    events.flatMap((event) =>
      event.kind === 'comment' ? [[event.comment.sourceId, event.comment] as const] : [],
    ),
  );
const idOf = (coralId: string, createdAt: string) =>
  importedCommentId(`coral\u0000${coralId}`, Date.parse(createdAt));

describe('readCoral', () => {
  it('makes each story’s comments an article’s, with the latest revision’s text', async () => {
    const comments = commentsOf((await read()).events);
    expect(comments.get('cm-01')).toEqual<SourceComment>({
      sourceId: 'cm-01',
      parentSourceId: null,
      id: idOf('cm-01', '2024-06-01T09:00:00.000Z'),
      articleId: 'harbour-lights',
      name: 'Ada Lovelace',
      email: 'ada@reader.example',
      website: null,
      body: 'The harbour lights & the map (https://maps.example/harbour).\n\nThank you.',
      status: 'published',
      createdAt: '2024-06-01T09:00:00.000Z',
      editedAt: '2024-06-01T09:05:30.250Z',
      // Featured in Coral: shown first, as Talkback's pins.
      pinned: true,
      // The reader's single sign-on id: theirs once they sign in with the site's account.
      commenterId: 'site-user-1815',
      // One comment answers it: the importer remembers it until that one is settled.
      replies: 1,
    });
    expect(comments.get('cm-02')).toMatchObject({
      parentSourceId: 'cm-01',
      status: 'published',
      editedAt: null,
    });
    expect(comments.get('cm-02')).not.toHaveProperty('commenterId');
  });

  it('maps Coral’s statuses: approved and none published, premod and withheld pending, rejected spam', async () => {
    const comments = commentsOf((await read()).events);
    expect(
      ['cm-01', 'cm-02', 'cm-04', 'cm-05', 'cm-06'].map((id) => comments.get(id)?.status),
    ).toEqual(['published', 'published', 'pending', 'pending', 'spam']);
  });

  it('marks the newsroom’s comments as staff, and takes an OIDC id when there is no SSO one', async () => {
    const comments = commentsOf((await read()).events);
    expect(comments.get('cm-03')).toMatchObject({ staff: true, commenterId: 'oidc-desk-7' });
    expect(comments.get('cm-02')).not.toHaveProperty('staff');
  });

  it('shows an author Coral deleted as a deleted user, with no email', async () => {
    const comments = commentsOf((await read()).events);
    expect(comments.get('cm-06')).toMatchObject({ name: 'Deleted user', email: null });
  });

  it('keeps the reply to a deleted comment, marked as its parent gone', async () => {
    const { events } = await read();
    expect(events).toContainEqual({
      kind: 'skipped',
      skipped: { sourceId: 'cm-07', reason: 'deleted' },
    });
    expect(commentsOf(events).get('cm-08')).toMatchObject({
      parentSourceId: 'cm-07',
      parentId: idOf('cm-07', '2024-06-03T09:00:00.000Z'),
      parentGone: true,
    });
  });

  it('says why it leaves a comment out', async () => {
    const skipped = (await read()).events.flatMap((event) =>
      event.kind === 'skipped' ? [[event.skipped.sourceId, event.skipped.reason]] : [],
    );
    expect(skipped).toEqual([
      ['cm-07', 'deleted'],
      ['cm-09', 'its story is not in stories.json'],
      ['cm-10', 'its author is not in users.json'],
    ]);
    // A media-only comment comes with no text; the importer's checks refuse it, naming body.
    expect(commentsOf((await read()).events).get('cm-11')?.body).toBe('');
  });

  it('closes a story closed in the past, keeps a future closing time, and carries its moderation', async () => {
    const articles = (await read()).events.filter((event) => event.kind === 'article');
    expect(articles).toEqual([
      { kind: 'article', articleId: 'court-case', closed: true, moderation: 'all' },
      {
        kind: 'article',
        articleId: 'future-event',
        closed: false,
        closeAt: '2099-01-01T00:00:00.000Z',
        moderation: 'none',
      },
    ]);
  });

  it('takes the article id from the story’s path or its Coral id when asked', async () => {
    expect(commentsOf((await read(FIXTURE, 'path')).events).get('cm-01')?.articleId).toBe(
      '2024-06-harbour-lights',
    );
    expect(commentsOf((await read(FIXTURE, 'id')).events).get('cm-01')?.articleId).toBe(
      'c5b2a8f0-1111-4c1e-9a3e-000000000001',
    );
  });

  it('reads the comments twice and the stories and users once, as its progress says', async () => {
    const { input } = await read();
    expect(input.bytesRead()).toBe(input.size);
  });

  it('stops at a line that is not JSON, naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkback-coral-'));
    try {
      writeFileSync(join(dir, 'stories.json'), '{"id":"s"}\n');
      writeFileSync(join(dir, 'users.json'), '{"id":"u"}\n');
      writeFileSync(join(dir, 'comments.json'), '{"id":"c","storyID":"s"}\n{not json\n');
      await expect(read(dir)).rejects.toThrow(SourceFileError);
      await expect(read(dir)).rejects.toThrow(
        `${join(dir, 'comments.json')}:2: not a JSON document`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bench’s generated Coral export (test/bench/coral-import-load.ts)', () => {
  it('reads without a comment left out, threads and held ones included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talkback-coral-bench-'));
    try {
      const folder = await writeCoralExport(dir, 3);
      const { events } = await read(folder);
      const comments = [...commentsOf(events).values()];
      expect(events.filter((event) => event.kind === 'skipped')).toEqual([]);
      expect(comments).toHaveLength(300);
      expect(comments.filter((c) => c.parentSourceId !== null)).toHaveLength(75);
      expect(comments.filter((c) => c.status === 'pending')).toHaveLength(15);
      expect(comments.every((c) => c.commenterId?.startsWith('site-'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('import coral: what is wrong with the folder, before reading', () => {
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'talkback-coral-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it.each([
    [{}, /has no stories\.json: export Coral's stories collection with mongoexport/],
    [{ 'stories.json': '{}', 'users.json': '{}' }, /has no comments\.json/],
    [
      { 'stories.json': '[{}]', 'users.json': '{}', 'comments.json': '{}' },
      /is a JSON array: export with mongoexport without --jsonArray/,
    ],
    [
      { 'stories.json': '<xml/>', 'users.json': '{}', 'comments.json': '{}' },
      /is not mongoexport's JSON/,
    ],
  ])('%j', (files, message) => {
    const dir = folder(files);
    try {
      expect(importInputProblem('coral', dir)).toMatch(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a folder of the three collections, as .json or .jsonl', () => {
    const dir = folder({ 'stories.jsonl': '{}', 'users.json': '{}', 'comments.json': '{}' });
    try {
      expect(importInputProblem('coral', dir)).toBeUndefined();
      expect(importInputProblem('coral', join(dir, 'users.json'))).toMatch(/is not a folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
