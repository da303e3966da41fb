/**
 * `npm run admin -- import|export|export-email` against the real local server on DynamoDB Local:
 * WordPress and Disqus files come over with their threads, states and counts; a rerun adds
 * nothing; a malformed file is refused by line; and an export imported into an empty table
 * exports again the same.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../bin/talkback-admin';
import { importedCommentId } from '../../lambda/domain/imports';
import { testSettings } from '../support/dynamodb';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { pollUntil } from '../support/poll';
import { AUDIENCE, hs256Token, SHARED_ISSUER, SHARED_SECRET } from '../support/reader-issuer';

const FIXTURES = join(__dirname, '..', 'fixtures');
const WXR = join(FIXTURES, 'wordpress-export.xml');
const DISQUS = join(FIXTURES, 'disqus-export.xml');
const CORAL = join(FIXTURES, 'coral');

interface Listed {
  commentCount: number;
  comments: { id: string; parentId: string | null; author: { name: string }; body: string }[];
}

async function cli(local: LocalProcess, ...args: string[]) {
  const printed: string[] = [];
  const notes: string[] = [];
  const env = { TALKBACK_API_URL: local.url, TALKBACK_ADMIN_TOKEN: local.adminToken };
  const code = await run(
    args,
    env,
    (text) => printed.push(text),
    (text) => notes.push(text),
  );
  return { code, printed, notes, text: printed.join('\n') };
}

const get = async <T>(local: LocalProcess, path: string): Promise<T> =>
  (await (await fetch(`${local.url}${path}`)).json()) as T;

const counts = (local: LocalProcess, ids: string) =>
  get<{ articles: Record<string, { commentCount: number; reactionTotal: number }> }>(
    local,
    `/counts?articles=${ids}`,
  );

describe('npm run admin -- import and export', () => {
  let local: LocalProcess;
  const scratch = mkdtempSync(join(tmpdir(), 'talkback-import-'));

  // The local server starts DynamoDB Local: slow on a busy machine. Readers sign in with a shared
  // secret, so a signed-in reader's comment and a subscribers-only article come over too.
  const withReaders = {
    env: {
      TALKBACK_SETTINGS: testSettings({
        readers: {
          issuers: [{ issuer: SHARED_ISSUER, audience: AUDIENCE, secret: SHARED_SECRET }],
          badges: ['subscriber'],
        },
      }),
    },
  };
  beforeAll(async () => {
    local = await startLocalProcess(withReaders);
  }, 180_000);
  afterAll(async () => {
    await local?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reports a dry run of a WordPress export and writes nothing', async () => {
    const { code, printed } = await cli(local, 'import', 'wordpress', WXR, '--dry-run');
    expect(code).toBe(0);
    expect(printed[0]).toBe('Would import 6 comment(s): 4 published, 1 pending, 1 spam.');
    expect((await counts(local, 'lighthouse-keepers')).articles['lighthouse-keepers']).toEqual({
      commentCount: 0,
      reactionTotal: 0,
    });
  });

  it('imports a WordPress export with its threads, states and counts, and reports what it left out', async () => {
    const { code, printed, text } = await cli(local, 'import', 'wordpress', WXR);
    expect(code).toBe(0);
    expect(printed[0]).toBe('Imported 6 comment(s): 4 published, 1 pending, 1 spam.');
    for (const reason of [
      '1  trash',
      '1  pingback',
      '1  name is required',
      '1  reply to a comment left out',
      '1  on a post of type attachment, not a post or page',
    ]) {
      expect(text).toContain(reason);
    }
    const list = await get<Listed>(local, '/articles/lighthouse-keepers/comments');
    expect(list.commentCount).toBe(3);
    const [ada, grace, bjorn] = list.comments;
    expect(list.comments.map((c) => c.author.name)).toEqual([
      'Ada Lovelace',
      'Grace',
      'Björn Ødegård',
    ]);
    expect([grace?.parentId, bjorn?.parentId]).toEqual([ada?.id, ada?.id]);
    expect(bjorn?.body).toBe(
      'Ja! My grandfather kept the light at Ytre & Indre 🌊\nHe said the winters were the hardest.',
    );
    expect(JSON.stringify(list)).not.toContain('@');
    expect(await counts(local, 'lighthouse-keepers,about')).toEqual({
      articles: {
        'lighthouse-keepers': { commentCount: 3, reactionTotal: 0 },
        about: { commentCount: 1, reactionTotal: 0 },
      },
    });
    expect((await cli(local, 'pending')).text).toContain('新しい読者 <reader@example.jp>');
    expect((await cli(local, 'pending', '--status', 'spam')).text).toContain('Cheap Pills');
  });

  it('adds nothing when run again', async () => {
    const { code, printed } = await cli(local, 'import', 'wordpress', WXR);
    expect(code).toBe(0);
    expect(printed.slice(0, 2)).toEqual([
      'Imported 0 comment(s): 0 published, 0 pending, 0 spam.',
      'Already in Talkback (left as they were): 6.',
    ]);
    expect(
      (await counts(local, 'lighthouse-keepers')).articles['lighthouse-keepers']?.commentCount,
    ).toBe(3);
  });

  it('imports a Disqus export, article ids from the threads’ identifiers', async () => {
    const { code, printed, text } = await cli(
      local,
      'import',
      'disqus',
      DISQUS,
      '--article-id',
      'id',
    );
    expect(code).toBe(0);
    expect(printed[0]).toBe('Imported 5 comment(s): 4 published, 0 pending, 1 spam.');
    expect(text).toContain('1  deleted');
    expect(text).toContain('1  its thread is not in the export');
    const list = await get<Listed>(local, '/articles/post-12/comments');
    expect(
      list.comments.map((c) => [
        c.author.name,
        c.parentId === null ? null : list.comments[0]?.id === c.parentId,
      ]),
    ).toEqual([
      ['Ada Lovelace', null],
      ['Grace', true],
      ['Björn Ødegård', true],
    ]);
    expect((await counts(local, 'post-12,page-2')).articles).toEqual({
      'post-12': { commentCount: 3, reactionTotal: 0 },
      'page-2': { commentCount: 1, reactionTotal: 0 },
    });
  });

  it('refuses a malformed file naming its line, and writes nothing of the batch being read', async () => {
    const file = join(scratch, 'broken.xml');
    const good =
      '<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author><wp:comment_date_gmt>2026-11-20 10:00:00</wp:comment_date_gmt><wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>';
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n<item><wp:post_name>broken-post</wp:post_name><wp:post_type>post</wp:post_type>\n${good}\n</item>\n<item><wp:post_name>broken-post</wp:post_name>\n<wp:comment></item>\n</channel></rss>\n`,
    );
    const { code, printed } = await cli(local, 'import', 'wordpress', file);
    expect(code).toBe(1);
    expect(printed[0]).toMatch(
      new RegExp(`^Failed: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:\\d+: `),
    );
    expect((await get<Listed>(local, '/articles/broken-post/comments')).comments).toEqual([]);
  });

  it('gives everything stored about one address, whatever its case', async () => {
    const { code, printed } = await cli(local, 'export-email', 'Ada@Example.com');
    expect(code).toBe(0);
    const document = JSON.parse(printed.join('\n')) as {
      comments: { email: string; body: string }[];
    };
    expect(document.comments.map((c) => c.email).sort()).toEqual([
      'ADA@example.com',
      'ada@example.com',
      'ada@example.com',
    ]);
    expect(JSON.stringify(document)).not.toContain('grace@example.com');
  });

  it('exports everything and imports it into an empty table: the same comments, threads, states and counts', async () => {
    const reaction = await fetch(`${local.url}/articles/lighthouse-keepers/reactions`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: 'visitor-0123456789abcdef', reaction: 'in-love' }),
    });
    expect(reaction.status).toBe(200);
    const first = await cli(local, 'export');
    expect(first.code).toBe(0);
    expect(first.notes.join('\n')).toMatch(/keep it private/);
    expect(JSON.parse(first.printed[0] ?? '{}')).toMatchObject({
      format: 'talkback-export',
      version: 3,
    });
    const lines = first.printed.slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.type === 'comment')).toHaveLength(11);
    expect(lines).toContainEqual({
      type: 'reactions',
      articleId: 'lighthouse-keepers',
      counts: { 'in-love': 1 },
    });
    const file = join(scratch, 'talkback.jsonl');
    writeFileSync(file, `${first.printed.join('\n')}\n`);
    // /counts follows a vote once the tally has run off the stream: wait for it to show.
    const before = await pollUntil(
      () => counts(local, 'lighthouse-keepers,about,post-12,page-2'),
      (value) => value.articles['lighthouse-keepers']?.reactionTotal === 1,
      { what: 'the vote in /counts' },
    );

    const empty = await startLocalProcess();
    try {
      const imported = await cli(empty, 'import', 'talkback', file);
      expect(imported.code).toBe(0);
      expect(imported.printed[0]).toBe('Imported 11 comment(s): 8 published, 1 pending, 2 spam.');
      const again = await cli(empty, 'export');
      const sorted = (printed: string[]) => printed.slice(1).sort();
      expect(sorted(again.printed)).toEqual(sorted(first.printed));
      expect(await counts(empty, 'lighthouse-keepers,about,post-12,page-2')).toEqual(before);
      const rerun = await cli(empty, 'import', 'talkback', file);
      expect(rerun.printed[0]).toBe('Imported 0 comment(s): 0 published, 0 pending, 0 spam.');
      expect(rerun.text).toContain(
        'Reaction counts: imported for 0 article(s), 1 already imported.',
      );
      expect(await counts(empty, 'lighthouse-keepers,about,post-12,page-2')).toEqual(before);
    } finally {
      await empty.stop();
    }
  }, 300_000);

  it('gives back the same site after a round trip: orphaned replies, pins, closed articles, staff, reactions without comments, signed-in readers, articles’ own settings', async () => {
    const articleId = 'round-trip';
    const post = async (email: string, body: string, parentId?: string) => {
      const response = await fetch(`${local.url}/articles/${articleId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Reader', email, body, ...(parentId ? { parentId } : {}) }),
      });
      const json = (await response.json()) as { comment: { id: string }; editToken: string };
      expect((await cli(local, 'approve', json.comment.id)).code).toBe(0);
      return { id: json.comment.id, editToken: json.editToken };
    };
    const parent = await post('gone@example.com', 'A parent its author will delete.');
    const orphan = await post('orphan@example.com', 'A reply that outlives its parent.', parent.id);
    await post('under@example.com', 'A reply to the orphan.', orphan.id);
    const deleted = await fetch(`${local.url}/comments/${parent.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${parent.editToken}` },
    });
    expect(deleted.status).toBe(204);
    const pinned = await post('pinned@example.com', 'The one worth reading first.');
    expect((await cli(local, 'pin', pinned.id)).code).toBe(0);
    expect(
      (await cli(local, 'reply', articleId, 'Thank you, from the newsroom.', '--parent', pinned.id))
        .code,
    ).toBe(0);
    expect((await cli(local, 'close', articleId)).code).toBe(0);
    // Articles with nothing but reactions, or nothing but being closed: no comment leads to them.
    const vote = await fetch(`${local.url}/articles/reactions-only/reactions`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId: 'visitor-reactions-only-0001', reaction: 'happy' }),
    });
    expect(vote.status).toBe(200);
    expect((await cli(local, 'close', 'closed-only')).code).toBe(0);
    // The tally records the article's reactions off the stream: wait for it.
    await pollUntil(
      () => counts(local, 'reactions-only'),
      (value) => value.articles['reactions-only']?.reactionTotal === 1,
      { what: 'the vote on reactions-only in /counts' },
    );

    // A signed-in subscriber's comment, on an article with settings of its own.
    const members = 'round-trip-members';
    const reader = await hs256Token(Date.now(), {
      claims: { sub: 'user-round-trip', badges: ['subscriber'] },
    });
    const byReader = await fetch(`${local.url}/articles/${members}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader, body: 'As a subscriber.' }),
    });
    const readerId = ((await byReader.json()) as { comment: { id: string } }).comment.id;
    expect((await cli(local, 'approve', readerId)).code).toBe(0);
    const settings = [
      ...['--moderation', 'all', '--commenting', 'badge:subscriber'],
      ...['--close-at', '2099-01-01T00:00:00Z'],
    ];
    expect((await cli(local, 'article', members, ...settings)).code).toBe(0);

    const first = await cli(local, 'export');
    expect(JSON.parse(first.printed[0] ?? '{}')).toMatchObject({ version: 3 });
    const lines = first.printed.slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        id: readerId,
        verified: true,
        badges: ['subscriber'],
        commenterId: 'user-round-trip',
      }),
    );
    expect(lines).toContainEqual({
      type: 'article',
      articleId: members,
      closed: false,
      closeAt: '2099-01-01T00:00:00.000Z',
      moderation: 'all',
      commenting: 'badge:subscriber',
    });
    expect(lines).toContainEqual({
      type: 'reactions',
      articleId: 'reactions-only',
      counts: { happy: 1 },
    });
    expect(lines).toContainEqual({ type: 'article', articleId: 'closed-only', closed: true });
    const file = join(scratch, 'round-trip.jsonl');
    writeFileSync(file, `${first.printed.join('\n')}\n`);
    const empty = await startLocalProcess(withReaders);
    try {
      const imported = await cli(empty, 'import', 'talkback', file);
      expect(imported.code).toBe(0);
      expect(imported.text).not.toContain('skipped 1');
      const again = await cli(empty, 'export');
      const sorted = (printed: string[]) => printed.slice(1).sort();
      expect(sorted(again.printed)).toEqual(sorted(first.printed));
      const thread = await get<{ open: boolean; comments: { id: string; pinned: boolean }[] }>(
        empty,
        `/articles/${articleId}/comments`,
      );
      expect(thread.open).toBe(false);
      expect(thread.comments[0]).toMatchObject({ id: pinned.id, pinned: true });
      expect((await counts(empty, 'reactions-only')).articles['reactions-only']).toEqual({
        commentCount: 0,
        reactionTotal: 1,
      });
      // The thread, which the widget draws from, shows each imported reaction's count too.
      const view = await get<{ reactions: { key: string; count: number }[] }>(
        empty,
        '/articles/reactions-only',
      );
      expect(view.reactions.find((reaction) => reaction.key === 'happy')?.count).toBe(1);

      // A reply to a comment the target already has comes in, though its parent is not in the file.
      const createdAt = '2026-12-01T10:00:00.000Z';
      const reply = {
        type: 'comment',
        id: importedCommentId('reply-to-existing', Date.parse(createdAt)),
        articleId,
        parentId: pinned.id,
        author: { name: 'Later', website: null },
        email: 'later@example.com',
        body: 'Exported alone.',
        status: 'published',
        createdAt,
        editedAt: null,
      };
      const alone = join(scratch, 'reply-alone.jsonl');
      writeFileSync(alone, `${first.printed[0]}\n${JSON.stringify(reply)}\n`);
      const single = await cli(empty, 'import', 'talkback', alone);
      expect(single.printed[0]).toBe('Imported 1 comment(s): 1 published, 0 pending, 0 spam.');
    } finally {
      await empty.stop();
    }
  }, 300_000);

  it('imports a Coral export: threads, states, marks, closed stories and each author’s sign-on id, once', async () => {
    const dry = await cli(local, 'import', 'coral', CORAL, '--dry-run');
    expect(dry.printed[0]).toBe('Would import 7 comment(s): 4 published, 2 pending, 1 spam.');
    expect((await counts(local, 'harbour-lights')).articles['harbour-lights']?.commentCount).toBe(
      0,
    );

    const { code, printed, text } = await cli(local, 'import', 'coral', CORAL);
    expect(code).toBe(0);
    // The reply to a deleted comment is among the published ones.
    expect(printed[0]).toBe('Imported 7 comment(s): 4 published, 2 pending, 1 spam.');
    for (const reason of [
      '1  deleted',
      '1  its story is not in stories.json',
      '1  its author is not in users.json',
      '1  body is required',
    ]) {
      expect(text).toContain(reason);
    }
    expect(text).toContain('Pinned 1 comment(s); closed 1 article(s).');
    expect(text).toContain('Set the own settings of 2 article(s).');

    const list = await get<Listed & { open: boolean }>(local, '/articles/harbour-lights/comments');
    expect(list.comments.map((c) => [c.author.name, c.body.split('\n')[0]])).toEqual([
      ['Ada Lovelace', 'The harbour lights & the map (https://maps.example/harbour).'],
      ['Grace', 'Agreed, lovely piece.'],
      ['The Desk', 'Thanks, from the desk.'],
    ]);
    const [ada, grace, desk] = list.comments as (Listed['comments'][number] & {
      pinned: boolean;
      author: { staff: boolean };
    })[];
    expect([ada?.pinned, grace?.parentId, desk?.parentId, desk?.author.staff]).toEqual([
      true,
      ada?.id,
      grace?.id,
      true,
    ]);
    // The story closed in Coral is closed here; its held comments wait in the queue.
    expect((await get<{ open: boolean }>(local, '/articles/court-case')).open).toBe(false);
    const admin = await fetch(`${local.url}/admin/articles/future-event`, {
      headers: { authorization: `Bearer ${local.adminToken}` },
    });
    expect(await admin.json()).toMatchObject({
      open: true,
      closeAt: '2099-01-01T00:00:00.000Z',
      moderation: 'none',
    });
    const pending = await fetch(
      `${local.url}/admin/comments?status=published&articleId=harbour-lights`,
      {
        headers: { authorization: `Bearer ${local.adminToken}` },
      },
    );
    const comments = ((await pending.json()) as { comments: Record<string, unknown>[] }).comments;
    expect(comments.find((c) => c.email === 'ada@reader.example')).toMatchObject({
      commenterId: 'site-user-1815',
      author: expect.objectContaining({ verified: false }),
    });

    const again = await cli(local, 'import', 'coral', CORAL);
    expect(again.printed.slice(0, 2)).toEqual([
      'Imported 0 comment(s): 0 published, 0 pending, 0 spam.',
      'Already in Talkback (left as they were): 7.',
    ]);
  });
});
