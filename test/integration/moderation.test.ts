/**
 * Moderation on DynamoDB Local through the real handlers: the policies, the link limit, the
 * honeypot, operators' status changes and deletions with the counts they move, erasure, and
 * operators' routes refused without credentials. Every non-operator response is checked for
 * the emails sent (EmailGuard).
 */
import type { Runtime } from '../../lambda/runtime';
import type { Api, ApiResponse } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { EmailGuard, exposed, FUTURE_HOUR, publicView, storedComment, storedCounts } from './flows';

jest.setTimeout(30_000);

let table: TestTable;
const guard = new EmailGuard();
// Every read moves the clock a second, so comments have distinct, increasing times.
let now = FUTURE_HOUR;
const clock = () => (now += 1000);
let articleSeq = 0;
/** A fresh article per test, so counts and lists start empty. */
const article = (name: string) => `${name}-${++articleSeq}`;

function runtimeWith(settings: Record<string, unknown> = {}): Runtime {
  return table.runtime({ TALKBACK_SETTINGS: JSON.stringify(settings) }, { clock });
}

interface Posted {
  response: ApiResponse;
  id: string;
  status: string;
  editToken: string;
}

async function post(
  api: Api,
  articleId: string,
  fields: Record<string, unknown> = {},
): Promise<Posted> {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body: 'A comment.', ...fields },
  });
  expect(response.status).toBe(201);
  const created = response.json as {
    comment: { id: string };
    status: string;
    editToken: string;
  };
  return { response, id: created.comment.id, status: created.status, editToken: created.editToken };
}

async function moderate(api: Api, commentId: string, status: 'published' | 'spam') {
  const response = await api('PATCH', `/admin/comments/${commentId}`, {
    body: { status },
    operator: true,
  });
  expect(response.status).toBe(200);
  return response.json.comment as Record<string, unknown>;
}

async function queue(api: Api, status = 'pending', articleIds?: string[]) {
  const response = await api('GET', '/admin/comments', {
    query: { status, limit: '100' },
    operator: true,
  });
  expect(response.status).toBe(200);
  const comments = response.json.comments as Record<string, unknown>[];
  return articleIds ? comments.filter((c) => articleIds.includes(String(c.articleId))) : comments;
}

async function authorItem(email: string): Promise<Record<string, unknown> | undefined> {
  const hash = table.runtime().hasher.hash('email', email.trim().toLowerCase());
  return (await table.scanAll()).find((item) => item.PK === `AUTHOR#${hash}`);
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('moderation');
});
afterAll(async () => table.drop());

describe('moderation policy none', () => {
  it('publishes a comment at once, lists it and counts it in both stats items', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'none' } }));
    const articleId = article('none');
    const posted = await post(api, articleId);
    expect(posted.status).toBe('published');
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [posted.id],
    });
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect(await storedComment(table, posted.id)).toMatchObject({ status: 'published' });
  });
});

describe('moderation policy all', () => {
  it('holds every comment, even from an author with a published comment', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'all' } }));
    const articleId = article('all');
    const first = await post(api, articleId, { email: 'held@example.com' });
    expect(first.status).toBe('pending');
    expect(await publicView(api, articleId)).toEqual({ articleId, commentCount: 0, ids: [] });
    expect(await storedCounts(table, articleId)).toEqual({ head: undefined, tail: undefined });

    await moderate(api, first.id, 'published');
    expect(await authorItem('held@example.com')).toBeDefined();
    const second = await post(api, articleId, { email: 'held@example.com' });
    expect(second.status).toBe('pending');
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [first.id],
    });
    expect((await queue(api, 'pending', [articleId])).map((c) => c.id)).toEqual([second.id]);
  });
});

describe('moderation policy first-time', () => {
  it('is the default policy', async () => {
    // TEST_SETTINGS choose `none`; an empty moderation object takes every default.
    expect(runtimeWith({ moderation: {} }).settings.moderation.policy).toBe('first-time');
    const api = guard.api(runtimeWith({ moderation: {} }));
    const articleId = article('default');
    expect((await post(api, articleId, { email: 'default-policy@example.com' })).status).toBe(
      'pending',
    );
  });

  it('holds a first comment, then publishes the same email in another case once one is approved', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'first-time' } }));
    const articleId = article('first-time');
    const first = await post(api, articleId, { email: 'grace@example.com', body: 'first' });
    expect(first.status).toBe('pending');
    expect(await storedComment(table, first.id)).toMatchObject({ status: 'pending' });
    expect(await authorItem('grace@example.com')).toBeUndefined();
    expect(await publicView(api, articleId)).toEqual({ articleId, commentCount: 0, ids: [] });

    // Not yet known: a second comment before approval is held too.
    const early = await post(api, articleId, { email: 'grace@example.com', body: 'early' });
    expect(early.status).toBe('pending');

    await moderate(api, first.id, 'published');
    expect(await authorItem('grace@example.com')).toMatchObject({ entity: 'Author' });

    const returning = await post(api, article('elsewhere'), {
      email: '  Grace@EXAMPLE.com ',
      body: 'returning',
    });
    expect(returning.status).toBe('published');
    expect(await storedComment(table, returning.id)).toMatchObject({ status: 'published' });

    const stranger = await post(api, articleId, { email: 'stranger@example.com' });
    expect(stranger.status).toBe('pending');
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [first.id],
    });
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
  });

  it('does not count a comment marked as spam as an earlier published comment', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'first-time' } }));
    const articleId = article('first-time-spam');
    const first = await post(api, articleId, { email: 'spammer@example.com' });
    await moderate(api, first.id, 'spam');
    expect(await authorItem('spammer@example.com')).toBeUndefined();
    expect((await post(api, articleId, { email: 'spammer@example.com' })).status).toBe('pending');
  });
});

describe('the link limit', () => {
  const links = (n: number) =>
    Array.from({ length: n }, (_, i) => `see https://site${i}.example/page`).join(' and ');

  it.each<[string, number, string]>([
    ['none', 2, 'published'],
    ['none', 3, 'pending'],
    ['first-time', 3, 'pending'],
    ['all', 2, 'pending'],
  ])('under policy %s, a body with %i links is %s', async (policy, count, status) => {
    const api = guard.api(runtimeWith({ moderation: { policy } }));
    const articleId = article(`links-${policy}`);
    if (policy === 'first-time') {
      // A known author, so only the links can hold the comment.
      await moderate(
        api,
        (await post(api, articleId, { email: 'linker@example.com' })).id,
        'published',
      );
    }
    const posted = await post(api, articleId, { email: 'linker@example.com', body: links(count) });
    expect(posted.status).toBe(status);
    expect(await storedComment(table, posted.id)).toMatchObject({ status });
    expect((await publicView(api, articleId)).ids.includes(posted.id)).toBe(status === 'published');
  });

  it('follows a configured maxLinks, and counts www. links too', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'none', maxLinks: 0 } }));
    const articleId = article('links-zero');
    expect((await post(api, articleId, { body: 'no links at all' })).status).toBe('published');
    expect((await post(api, articleId, { body: 'visit www.shop.example' })).status).toBe('pending');
  });
});

describe('the honeypot', () => {
  it('answers a filled honeypot with a normal-looking 201 pending, and stores it as spam', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'none' } }));
    const articleId = article('honeypot');
    const bot = await post(api, articleId, {
      email: 'bot@example.com',
      homepage: 'https://cheap-pills.example',
    });
    expect(bot.status).toBe('pending');
    expect(bot.response.json).toEqual({
      comment: expect.objectContaining({ id: bot.id, articleId, body: 'A comment.' }),
      status: 'pending',
      editToken: expect.any(String),
    });
    expect(bot.response.text).not.toMatch(/spam|homepage|cheap-pills/i);
    const stored = await storedComment(table, bot.id);
    expect(stored).toMatchObject({ status: 'spam' });
    expect(JSON.stringify(stored)).not.toContain('cheap-pills');
    expect(await publicView(api, articleId)).toEqual({ articleId, commentCount: 0, ids: [] });
    expect(await storedCounts(table, articleId)).toEqual({ head: undefined, tail: undefined });
    expect(await authorItem('bot@example.com')).toBeUndefined();
    expect((await queue(api, 'pending', [articleId])).map((c) => c.id)).toEqual([]);
    expect((await queue(api, 'spam', [articleId])).map((c) => c.id)).toEqual([bot.id]);
  });

  it('publishes as usual when the honeypot is left empty', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'none' } }));
    const articleId = article('honeypot-empty');
    const person = await post(api, articleId, { homepage: '' });
    expect(person.status).toBe('published');
    expect((await publicView(api, articleId)).ids).toEqual([person.id]);
  });
});

describe('the screen', () => {
  it('holds a comment with a house-rule phrase, and moderators see why', async () => {
    const api = guard.api(
      runtimeWith({ moderation: { policy: 'none' }, rules: { hold: ['idiot'] } }),
    );
    const articleId = article('screened');
    const held = await post(api, articleId, { body: 'What an 1.d.1.0.t.' });
    expect(held.status).toBe('pending');
    expect(await storedComment(table, held.id)).toMatchObject({
      status: 'pending',
      holdReasons: ['rule:idiot'],
    });
    const [listed] = await queue(api, 'pending', [articleId]);
    expect(listed).toMatchObject({ id: held.id, holdReasons: ['rule:idiot'] });
    expect(await publicView(api, articleId)).toEqual({ articleId, commentCount: 0, ids: [] });
  });

  it('clears the reasons when its author edits the phrase out', async () => {
    const api = guard.api(
      runtimeWith({ moderation: { policy: 'all' }, rules: { hold: ['idiot'] } }),
    );
    const articleId = article('screened-edit');
    const held = await post(api, articleId, { body: 'What an idiot.' });
    const edited = await api('PATCH', `/comments/${held.id}`, {
      body: { body: 'What a pity.' },
      headers: { authorization: `Bearer ${held.editToken}` },
    });
    expect(edited.status).toBe(200);
    const stored = await storedComment(table, held.id);
    expect(stored).toMatchObject({ status: 'pending', body: 'What a pity.' });
    expect(stored).not.toHaveProperty('holdReasons');
  });
});

describe('operators move comments and the counts follow', () => {
  let api: Api;
  beforeAll(() => {
    api = guard.api(runtimeWith({ moderation: { policy: 'all' } }));
  });

  it('publishes, marks as spam and publishes again, moving both stats items each time', async () => {
    const articleId = article('moves');
    const kept = await post(api, articleId, { body: 'kept' });
    const moved = await post(api, articleId, { body: 'moved' });
    expect(await publicView(api, articleId)).toEqual({ articleId, commentCount: 0, ids: [] });

    const published = await moderate(api, kept.id, 'published');
    expect(published).toMatchObject({ id: kept.id, status: 'published', articleId });
    await moderate(api, moved.id, 'published');
    expect(await storedCounts(table, articleId)).toEqual({ head: 2, tail: 2 });
    expect((await publicView(api, articleId)).ids).toEqual([kept.id, moved.id]);

    await moderate(api, moved.id, 'spam');
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [kept.id],
    });
    expect(await storedComment(table, moved.id)).toMatchObject({ status: 'spam' });

    await moderate(api, moved.id, 'published');
    expect(await storedCounts(table, articleId)).toEqual({ head: 2, tail: 2 });
    expect((await publicView(api, articleId)).commentCount).toBe(2);
  });

  it('counts a comment once when it is published twice', async () => {
    const articleId = article('twice');
    const posted = await post(api, articleId);
    await moderate(api, posted.id, 'published');
    await moderate(api, posted.id, 'published');
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
  });

  it('uncounts a published comment it deletes, and leaves the counts for a pending one', async () => {
    const articleId = article('deleted');
    const published = await post(api, articleId, { body: 'published' });
    const pending = await post(api, articleId, { body: 'pending' });
    const other = await post(api, articleId, { body: 'other' });
    await moderate(api, published.id, 'published');
    await moderate(api, other.id, 'published');
    expect(await storedCounts(table, articleId)).toEqual({ head: 2, tail: 2 });

    const removed = await api('DELETE', `/admin/comments/${published.id}`, { operator: true });
    expect(removed.status).toBe(204);
    expect(await storedComment(table, published.id)).toBeUndefined();
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });

    expect((await api('DELETE', `/admin/comments/${pending.id}`, { operator: true })).status).toBe(
      204,
    );
    expect(await storedComment(table, pending.id)).toBeUndefined();
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [other.id],
    });

    const again = await api('DELETE', `/admin/comments/${published.id}`, { operator: true });
    expect(again.status).toBe(404);
  });

  it('refuses a reply to a pending comment until it is published', async () => {
    const articleId = article('reply-pending');
    const parent = await post(api, articleId);
    const early = await api('POST', `/articles/${articleId}/comments`, {
      body: { name: 'R', email: 'r@example.com', body: 'reply', parentId: parent.id },
    });
    expect(early.status).toBe(404);
    await moderate(api, parent.id, 'published');
    const reply = await post(api, articleId, { parentId: parent.id });
    expect(reply.status).toBe('pending');
  });

  it('answers 404 for an unknown comment and 400 for a bad status, changing nothing', async () => {
    const articleId = article('bad-moderation');
    const posted = await post(api, articleId);
    const before = await table.scanAll();
    const unknown = await api('PATCH', '/admin/comments/01M8CYWZ34KHFZS9XHGHJE5FAC', {
      body: { status: 'published' },
      operator: true,
    });
    expect(unknown.status).toBe(404);
    const bad = await api('PATCH', `/admin/comments/${posted.id}`, {
      body: { status: 'archived' },
      operator: true,
    });
    expect(bad.status).toBe(400);
    expect((bad.json.errors as { field: string }[]).map((e) => e.field)).toEqual(['status']);
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('GET /admin/comments', () => {
  let queueTable: TestTable;
  let api: Api;
  const ids: string[] = [];

  beforeAll(async () => {
    // Its own table: the queue spans every article, so it must hold only this test's comments.
    queueTable = await createTestTable('moderation-queue');
    api = guard.api(
      queueTable.runtime({ TALKBACK_SETTINGS: '{"moderation":{"policy":"all"}}' }, { clock }),
    );
    for (const [n, articleId] of ['q-a', 'q-b', 'q-a', 'q-c', 'q-b'].entries()) {
      const response = await api('POST', `/articles/${articleId}/comments`, {
        body: { name: `Q${n}`, email: `queue${n}@example.com`, body: `queued ${n}` },
      });
      ids.push((response.json.comment as { id: string }).id);
    }
  });
  afterAll(async () => queueTable.drop());

  it('lists pending comments across all articles, oldest first, with status and email', async () => {
    const response = await api('GET', '/admin/comments', { operator: true });
    expect(response.status).toBe(200);
    expect(response.json.nextCursor).toBeNull();
    const comments = response.json.comments as Record<string, unknown>[];
    expect(comments.map((c) => c.id)).toEqual(ids);
    expect(comments[1]).toEqual({
      id: ids[1],
      articleId: 'q-b',
      parentId: null,
      author: { name: 'Q1', website: null, staff: false, verified: false, badges: [] },
      body: 'queued 1',
      createdAt: expect.any(String),
      editedAt: null,
      status: 'pending',
      pinned: false,
      email: 'queue1@example.com',
      authorPublishedBefore: false,
      holdReasons: [],
      featured: false,
      likes: 0,
      commenterId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
  });

  // 5 comments: pages of 2 end on a short page, a page of 5 ends exactly at the end.
  it.each([2, 5])(
    'pages through the queue %i at a time with its cursor, and refuses a tampered or foreign cursor',
    async (limit) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await api('GET', '/admin/comments', {
          query: { limit: String(limit), ...(cursor ? { cursor } : {}) },
          operator: true,
        });
        expect(response.status).toBe(200);
        pages += 1;
        seen.push(...(response.json.comments as { id: string }[]).map((c) => c.id));
        cursor = (response.json.nextCursor as string | null) ?? undefined;
        if (cursor) {
          const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
          for (const query of [{ cursor: tampered }, { cursor, status: 'published' }] as Record<
            string,
            string
          >[]) {
            const refused = await api('GET', '/admin/comments', { query, operator: true });
            expect(refused.status).toBe(400);
          }
        }
      } while (cursor && pages < 10);
      expect(seen).toEqual(ids);
      // No page is empty: the list ends on its last comment.
      expect(pages).toBe(Math.ceil(ids.length / limit));
    },
  );

  it('lists by the status asked for', async () => {
    const [first] = ids as [string];
    await api('PATCH', `/admin/comments/${first}`, { body: { status: 'spam' }, operator: true });
    const spam = await api('GET', '/admin/comments', { query: { status: 'spam' }, operator: true });
    expect((spam.json.comments as { id: string }[]).map((c) => c.id)).toEqual([first]);
    const pending = await api('GET', '/admin/comments', { operator: true });
    expect((pending.json.comments as { id: string }[]).map((c) => c.id)).toEqual(ids.slice(1));
  });
});

describe('operators’ routes without credentials', () => {
  it.each<[string, string, (id: string) => string, Record<string, unknown> | undefined]>([
    ['GET', 'the moderation queue', () => '/admin/comments', undefined],
    ['PATCH', 'a status change', (id) => `/admin/comments/${id}`, { status: 'published' }],
    ['DELETE', 'a deletion', (id) => `/admin/comments/${id}`, undefined],
    ['POST', 'an erasure', () => '/admin/erasures', { email: 'unauth@example.com' }],
  ])(
    'refuses %s (%s) with 401 when the event has no authorizer, changing nothing',
    async (method, _, path, body) => {
      const api = guard.api(runtimeWith({ moderation: { policy: 'none' } }));
      const articleId = article('unauthorised');
      const posted = await post(api, articleId, { email: 'unauth@example.com' });
      const before = await table.scanAll();
      const response = await api(method, path(posted.id), body === undefined ? {} : { body });
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(exposed(response)).not.toContain('unauth@example.com');
      expect(await table.scanAll()).toEqual(before);
      // The same call as an operator is served, so the 401 above is about credentials.
      const allowed = await api(method, path(posted.id), {
        ...(body === undefined ? {} : { body }),
        operator: true,
      });
      expect(allowed.status).toBeLessThan(300);
    },
  );
});

describe('POST /admin/erasures', () => {
  it('removes the email and author details of every comment by that email, and the Author item', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'first-time' } }));
    const [one, two] = [article('erase'), article('erase-other')];
    const first = await post(api, one, {
      name: 'Erin',
      email: 'Erin@Example.com',
      website: 'https://erin.example',
      body: 'first words',
    });
    await moderate(api, first.id, 'published');
    const second = await post(api, two, { name: 'Erin', email: 'erin@example.com', body: 'more' });
    expect(second.status).toBe('published');
    const third = await post(api, one, {
      name: 'Erin',
      email: 'ERIN@example.com',
      body: 'many links https://a.example https://b.example https://c.example',
    });
    expect(third.status).toBe('pending');
    const bystander = await post(api, one, { name: 'Bo', email: 'bo@example.com', body: 'hi' });
    await moderate(api, bystander.id, 'published');
    const hash = table.runtime().hasher.hash('email', 'erin@example.com');
    expect(await authorItem('erin@example.com')).toBeDefined();
    const countsBefore = [await storedCounts(table, one), await storedCounts(table, two)];

    const erased = await api('POST', '/admin/erasures', {
      body: { email: ' eRIN@EXAMPLE.COM ' },
      operator: true,
    });
    expect(erased.status).toBe(200);
    expect(erased.json).toEqual({ erased: 3 });

    const items = await table.scanAll();
    for (const id of [first.id, second.id, third.id]) {
      const item = items.find((candidate) => candidate.commentId === id);
      expect(item).toBeDefined();
      expect(item).not.toHaveProperty('email');
      expect(item).not.toHaveProperty('emailHash');
      expect(item).not.toHaveProperty('authorWebsite');
      expect(item?.authorName).toBe('Deleted user');
    }
    expect(items.find((item) => item.commentId === first.id)?.body).toBe('first words');
    expect(items.find((item) => item.commentId === bystander.id)).toMatchObject({
      email: 'bo@example.com',
      authorName: 'Bo',
    });
    expect(items.some((item) => item.PK === `AUTHOR#${hash}`)).toBe(false);
    const raw = JSON.stringify(items);
    expect(raw.toLowerCase()).not.toContain('erin@example.com');
    expect(raw).not.toContain(hash);
    expect(raw).not.toContain('erin.example');

    // The text stays published under "Deleted user"; no count moved.
    expect([await storedCounts(table, one), await storedCounts(table, two)]).toEqual(countsBefore);
    const listed = await api('GET', `/articles/${one}/comments`);
    expect(listed.json.comments).toEqual([
      expect.objectContaining({
        id: first.id,
        author: { name: 'Deleted user', website: null, staff: false, verified: false, badges: [] },
        body: 'first words',
      }),
      expect.objectContaining({
        id: bystander.id,
        author: { name: 'Bo', website: null, staff: false, verified: false, badges: [] },
      }),
    ]);
    const held = (await queue(api, 'pending', [one])).find((c) => c.id === third.id);
    expect(held).toMatchObject({ email: null, author: { name: 'Deleted user', website: null } });

    const again = await api('POST', '/admin/erasures', {
      body: { email: 'erin@example.com' },
      operator: true,
    });
    expect(again.json).toEqual({ erased: 0 });
    // Forgotten: under first-time, the same email is a first-time author again.
    expect((await post(api, two, { email: 'erin@example.com' })).status).toBe('pending');
  });
});

describe('the email in responses', () => {
  it('appears in operators’ responses and is caught by the guard in any other', async () => {
    const api = guard.api(runtimeWith({ moderation: { policy: 'all' } }));
    const articleId = article('email-check');
    const checkedBefore = guard.checked;
    const posted = await post(api, articleId, { email: 'Visible.To@Operators.example' });
    await moderate(api, posted.id, 'published');
    await publicView(api, articleId);
    const admin = await api('GET', '/admin/comments', {
      query: { status: 'published' },
      operator: true,
    });
    // The guard's needle is really in the data: the operators' answer carries it...
    expect(guard.leaksIn(exposed(admin))).toContain('visible.to@operators.example');
    // ...and the public answers were checked for it: the post, the list and the counts.
    expect(guard.checked - checkedBefore).toBe(3);
    expect(guard.leaksIn(exposed(posted.response))).toEqual([]);
  });
});
