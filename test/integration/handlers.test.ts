import { DEFAULT_LIMITS, DEFAULT_REACTIONS } from '../../lambda/domain/settings';
import type { Runtime } from '../../lambda/runtime';
import { type Api, type ApiResponse, createApi } from '../support/api';
import { anonymousAuthor } from '../support/contract';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

// Seeding makes many sequential requests to one shared local engine, which can outlast Jest's
// 5 s default under load (the project's testTimeout in jest.config.js does not reach tests).
jest.setTimeout(30_000);

const ZERO = { excited: 0, happy: 0, 'in-love': 0, 'not-sure': 0, silly: 0 };
const JSON_TYPE = 'application/json; charset=utf-8';

let table: TestTable;
let api: Api;
let runtime: Runtime;

interface ListBody {
  articleId: string;
  commentCount: number;
  comments: { id: string; body: string; parentId: string | null }[];
  nextCursor: string | null;
}

function ok(response: ApiResponse, status = 200): Record<string, unknown> {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
    status,
    type: JSON_TYPE,
  });
  return response.json as Record<string, unknown>;
}

async function post(articleId: string, body: string, extra: Record<string, unknown> = {}) {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body, ...extra },
  });
  return ok(response, 201) as { comment: { id: string }; status: string };
}

async function list(articleId: string, query: Record<string, string> = {}): Promise<ListBody> {
  return ok(await api('GET', `/articles/${articleId}/comments`, { query })) as unknown as ListBody;
}

/** Follows nextCursor to the end; returns the pages. */
async function listAll(articleId: string, query: Record<string, string>): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const page = await list(articleId, cursor === undefined ? query : { ...query, cursor });
    pages.push(page);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

function problemFields(response: ApiResponse): string[] {
  const errors = (response.json.errors ?? []) as { field: string }[];
  return errors.map((error) => error.field);
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('handlers');
  // A clock that moves one second per comment, so the order of comments is known.
  let now = Date.parse('2026-11-26T21:19:00.000Z');
  runtime = { ...table.runtime(), clock: () => (now += 1000) };
  api = createApi(runtime);
});
afterAll(async () => table.drop());

describe('POST /articles/{articleId}/comments', () => {
  it('answers 201 with the public comment, its status, and no email', async () => {
    const response = await api('POST', '/articles/post-one/comments', {
      body: {
        name: '  Ada  ',
        email: 'ada@example.com',
        website: 'https://ada.example',
        body: ' Hello ',
      },
    });
    const body = ok(response, 201);
    expect(body.status).toBe('published');
    expect(body.comment).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      articleId: 'post-one',
      parentId: null,
      author: anonymousAuthor('Ada', 'https://ada.example/'),
      body: 'Hello',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      editedAt: null,
      pinned: false,
      featured: false,
      likes: 0,
    });
    expect(response.text).not.toContain('ada@example.com');
  });

  it('answers 201 for a reply to a published comment, which lists with its parent', async () => {
    const parent = await post('post-reply', 'parent');
    const reply = await post('post-reply', 'reply', { parentId: parent.comment.id });
    expect(reply.comment).toMatchObject({ parentId: parent.comment.id });
    const page = await list('post-reply');
    expect(page.commentCount).toBe(2);
    expect(page.comments.map((comment) => [comment.body, comment.parentId])).toEqual([
      ['parent', null],
      ['reply', parent.comment.id],
    ]);
  });

  it('answers 404 for a reply to a comment of another article', async () => {
    const elsewhere = await post('post-other', 'elsewhere');
    const response = await api('POST', '/articles/post-orphan/comments', {
      body: {
        name: 'Ada',
        email: 'ada@example.com',
        body: 'reply',
        parentId: elsewhere.comment.id,
      },
    });
    expect(response.status).toBe(404);
    expect((await list('post-orphan')).commentCount).toBe(0);
  });
});

describe('GET /articles/{articleId}/comments', () => {
  const articleId = 'listed';
  const bodies = Array.from({ length: 12 }, (_, n) => `comment ${n}`);

  beforeAll(async () => {
    for (const body of bodies) await post(articleId, body);
    await post('listed-other', 'not in this list');
    for (let n = 0; n < 3; n++) await post('listed-many', `many ${n}`);
  });

  it('lists oldest first with the default page size and no cursor when all fit', async () => {
    const page = await list(articleId);
    expect(page).toMatchObject({ articleId, commentCount: 12, nextCursor: null });
    expect(page.comments.map((comment) => comment.body)).toEqual(bodies);
  });

  it('lists newest first when asked', async () => {
    const page = await list(articleId, { order: 'newest' });
    expect(page.comments.map((comment) => comment.body)).toEqual([...bodies].reverse());
  });

  it.each<[string, number]>([
    ['oldest', 5],
    ['oldest', 1],
    ['newest', 5],
    ['newest', 12],
  ])(
    'pages %s first, %i per page, through nextCursor without gaps or duplicates',
    async (order, limit) => {
      const pages = await listAll(articleId, { order, limit: String(limit) });
      const listed = pages.flatMap((page) => page.comments.map((comment) => comment.body));
      expect(listed).toEqual(order === 'oldest' ? bodies : [...bodies].reverse());
      expect(pages).toHaveLength(Math.ceil(bodies.length / limit));
      for (const page of pages) {
        expect(page.commentCount).toBe(12);
        expect(page.comments.length).toBeLessThanOrEqual(limit);
      }
    },
  );

  it('answers an unknown article with an empty list and a zero count', async () => {
    expect(await list('never-commented')).toEqual({
      articleId: 'never-commented',
      open: true,
      commentCount: 0,
      comments: [],
      nextCursor: null,
    });
  });

  async function firstCursor(order = 'oldest', id = articleId): Promise<string> {
    const { nextCursor } = await list(id, { limit: '2', order });
    if (nextCursor === null) throw new Error('expected a next page');
    return nextCursor;
  }

  function flip(text: string, index: number): string {
    const at = index < 0 ? text.length + index : index;
    const char = text[at] === 'A' ? 'B' : 'A';
    return text.slice(0, at) + char + text.slice(at + 1);
  }

  it.each<[string, (cursor: string) => string]>([
    ['its first character flipped', (cursor) => flip(cursor, 0)],
    [
      'a character of its payload flipped',
      (cursor) => flip(cursor, Math.floor(cursor.indexOf('.') / 2)),
    ],
    [
      'the last character of its payload flipped',
      (cursor) => flip(cursor, cursor.indexOf('.') - 1),
    ],
    ['its last character flipped', (cursor) => flip(cursor, -1)],
    ['its signature removed', (cursor) => cursor.slice(0, cursor.indexOf('.'))],
    ['a part appended', (cursor) => `${cursor}.x`],
    ['garbage', () => 'not-a-cursor'],
  ])('answers 400 naming cursor for a cursor with %s', async (_, tamper) => {
    const cursor = await firstCursor();
    const tampered = tamper(cursor);
    expect(tampered).not.toBe(cursor);
    const response = await api('GET', `/articles/${articleId}/comments`, {
      query: { limit: '2', cursor: tampered },
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemFields(response)).toEqual(['cursor']);
  });

  it('answers 400 naming cursor for a cursor issued for another article', async () => {
    const foreign = await firstCursor('oldest', 'listed-many');
    const response = await api('GET', `/articles/${articleId}/comments`, {
      query: { cursor: foreign },
    });
    expect(response.status).toBe(400);
    expect(problemFields(response)).toEqual(['cursor']);
  });

  it('answers 400 naming cursor for a cursor issued for the other order', async () => {
    const newest = await firstCursor('newest');
    const response = await api('GET', `/articles/${articleId}/comments`, {
      query: { cursor: newest, order: 'oldest' },
    });
    expect(response.status).toBe(400);
    expect(problemFields(response)).toEqual(['cursor']);
  });

  it('accepts its own cursor, proving the rejections above are about the cursor', async () => {
    const cursor = await firstCursor('newest');
    const page = await list(articleId, { cursor, order: 'newest', limit: '2' });
    expect(page.comments.map((comment) => comment.body)).toEqual(['comment 9', 'comment 8']);
  });
});

describe('reactions routes', () => {
  const visitor = 'reaction-visitor-0001';

  it('answers GET for an unknown article with zero counts of every reaction', async () => {
    const body = ok(await api('GET', '/articles/no-reactions/reactions'));
    expect(body).toEqual({ articleId: 'no-reactions', counts: ZERO, total: 0, mine: null });
  });

  it('sets, moves, shows and withdraws a visitor’s vote', async () => {
    const path = '/articles/reacted/reactions';
    const first = ok(await api('PUT', path, { body: { visitorId: visitor, reaction: 'happy' } }));
    expect(first).toEqual({
      articleId: 'reacted',
      counts: { ...ZERO, happy: 1 },
      total: 1,
      mine: 'happy',
    });

    ok(await api('PUT', path, { body: { visitorId: 'other-visitor-00002', reaction: 'silly' } }));
    const moved = ok(await api('PUT', path, { body: { visitorId: visitor, reaction: 'silly' } }));
    expect(moved).toMatchObject({ counts: { ...ZERO, silly: 2 }, total: 2, mine: 'silly' });

    const again = ok(await api('PUT', path, { body: { visitorId: visitor, reaction: 'silly' } }));
    expect(again).toEqual(moved);

    const mine = ok(await api('GET', path, { query: { visitorId: visitor } }));
    expect(mine).toEqual(moved);
    const anonymous = ok(await api('GET', path));
    expect(anonymous).toMatchObject({ total: 2, mine: null });

    const withdrawn = ok(await api('DELETE', path, { query: { visitorId: visitor } }));
    expect(withdrawn).toEqual({
      articleId: 'reacted',
      counts: { ...ZERO, silly: 1 },
      total: 1,
      mine: null,
    });
    const withdrawnAgain = ok(await api('DELETE', path, { query: { visitorId: visitor } }));
    expect(withdrawnAgain).toEqual(withdrawn);
  });
});

describe('GET /counts', () => {
  const statsItem = (items: Record<string, unknown>[], articleId: string) =>
    items.find((item) => item.PK === `ARTICLE#${articleId}` && item.SK === 'COMMENT#!COUNT');
  let beforeTally: { items: Record<string, unknown>[]; counts: ApiResponse };

  beforeAll(async () => {
    for (let n = 0; n < 3; n++) await post('counted-a', `a ${n}`);
    await post('counted-b', 'b');
    for (const [n, reaction] of ['happy', 'silly', 'happy', 'excited'].entries()) {
      await api('PUT', '/articles/counted-a/reactions', {
        body: { visitorId: `counts-visitor-${String(n).padStart(4, '0')}`, reaction },
      });
    }
    await api('PUT', '/articles/counted-c/reactions', {
      body: { visitorId: 'counts-visitor-9999', reaction: 'happy' },
    });
    beforeTally = {
      items: await table.scanAll(),
      counts: await api('GET', '/counts', { query: { articles: 'counted-a,counted-c' } }),
    };
    // What the table's stream does after those votes: one tally per article voted on.
    await runtime.areas.tally.tally('counted-a');
    await runtime.areas.tally.tally('counted-c');
  });

  it('takes reaction totals from the tally: the votes themselves left the count items alone', () => {
    expect(statsItem(beforeTally.items, 'counted-a')).toMatchObject({ commentCount: 3 });
    expect(statsItem(beforeTally.items, 'counted-a')).not.toHaveProperty('reactionTotal');
    expect(statsItem(beforeTally.items, 'counted-a')).not.toHaveProperty('reactionWrites');
    expect(statsItem(beforeTally.items, 'counted-c')).toBeUndefined();
    expect(ok(beforeTally.counts)).toEqual({
      articles: {
        'counted-a': { commentCount: 3, reactionTotal: 0 },
        'counted-c': { commentCount: 0, reactionTotal: 0 },
      },
    });
  });

  it('answers comment and reaction totals, zeros for unknown ids, once per duplicate id', async () => {
    const response = await api('GET', '/counts', {
      query: { articles: 'counted-a,counted-b,counted-c,unknown-x,counted-a' },
    });
    expect(ok(response)).toEqual({
      articles: {
        'counted-a': { commentCount: 3, reactionTotal: 4 },
        'counted-b': { commentCount: 1, reactionTotal: 0 },
        'counted-c': { commentCount: 0, reactionTotal: 1 },
        'unknown-x': { commentCount: 0, reactionTotal: 0 },
      },
    });
  });

  it('answers the maximum of 100 articles, every one present', async () => {
    const ids = ['counted-a', ...Array.from({ length: 99 }, (_, n) => `unknown-${n}`)];
    const body = ok(await api('GET', '/counts', { query: { articles: ids.join(',') } }));
    const articles = body.articles as Record<
      string,
      { commentCount: number; reactionTotal: number }
    >;
    expect(Object.keys(articles).sort()).toEqual([...ids].sort());
    expect(articles['counted-a']).toEqual({ commentCount: 3, reactionTotal: 4 });
    expect(articles['unknown-98']).toEqual({ commentCount: 0, reactionTotal: 0 });
  });
});

describe('GET /config', () => {
  it('answers the reactions in display order, the limits and the edit window', async () => {
    const body = ok(await api('GET', '/config'));
    expect(body).toEqual({
      reactions: DEFAULT_REACTIONS,
      limits: DEFAULT_LIMITS,
      // The documented default (docs/configuration.md: editWindowMinutes), which the test settings keep.
      moderation: { editWindowMinutes: 15 },
    });
    expect((body.reactions as { key: string }[]).map((reaction) => reaction.key)).toEqual([
      'excited',
      'happy',
      'in-love',
      'not-sure',
      'silly',
    ]);
  });
});
