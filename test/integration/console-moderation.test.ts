/**
 * The console's moderation routes on DynamoDB Local through the real handlers: closing an
 * article (a reader's POST refused in the same transaction, reading and a staff reply still
 * allowed), pinning (first on the first page, one Query, not repeated), staff replies, tab counts
 * and the erasure count.
 */
import type { Api } from '../support/api';
import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { FUTURE_HOUR } from './flows';

jest.setTimeout(30_000);

let table: TestTable;
let api: Api;
let now = FUTURE_HOUR;
const clock = () => (now += 1000);
let articleSeq = 0;
const article = (name: string) => `console-${name}-${++articleSeq}`;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('console');
  api = createApi(
    table.runtime(
      { TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy: 'none' } }) },
      { clock },
    ),
  );
});
afterAll(async () => table.drop());

async function post(articleId: string, body: string, email = 'reader@example.com') {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Reader', email, body },
  });
  return response;
}

/** The comment list, or with `thread` the thread (GET /articles/{id}), which is a first page. */
const ids = async (articleId: string, query: Record<string, string> = {}, thread = false) => {
  const path = thread ? `/articles/${articleId}` : `/articles/${articleId}/comments`;
  const response = await api('GET', path, { query });
  return response.json as {
    comments: { id: string; pinned: boolean }[];
    open?: boolean;
    nextCursor: string | null;
  };
};

describe('a closed article', () => {
  it.each([
    ['policy none (a counted comment)', 'none'],
    ['policy all (a held comment)', 'all'],
  ])(
    'refuses a reader’s comment with 403 under %s, and takes it again once reopened',
    async (_c, policy) => {
      const local = createApi(
        table.runtime({ TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy } }) }, { clock }),
      );
      const articleId = article('closed');
      const closed = await local('PATCH', `/admin/articles/${articleId}`, {
        body: { closed: true },
        operator: true,
      });
      expect(closed.json).toMatchObject({ articleId, closed: true });
      const stats = (await table.scanAll()).filter((item) => item.PK === `ARTICLE#${articleId}`);
      expect(stats.map((item) => [item.SK, item.closed])).toEqual([
        ['COMMENT#!COUNT', true],
        ['COMMENT#~COUNT', true],
      ]);
      const refused = await local('POST', `/articles/${articleId}/comments`, {
        body: { name: 'Reader', email: 'reader@example.com', body: 'Too late?' },
      });
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ detail: 'Comments are closed on this article.' });
      expect(
        (await table.scanAll()).filter(
          (item) => item.entity === 'Comment' && item.articleId === articleId,
        ),
      ).toEqual([]);
      expect((await ids(articleId)).open).toBe(false);
      expect((await ids(articleId, {}, true)).open).toBe(false);

      await local('PATCH', `/admin/articles/${articleId}`, {
        body: { closed: false },
        operator: true,
      });
      const after = (await table.scanAll()).filter((item) => item.PK === `ARTICLE#${articleId}`);
      expect(after.every((item) => item.closed === undefined)).toBe(true);
      const taken = await local('POST', `/articles/${articleId}/comments`, {
        body: { name: 'Reader', email: 'reader@example.com', body: 'Now then.' },
      });
      expect(taken.status).toBe(201);
      expect((await ids(articleId, {}, true)).open).toBe(true);
    },
  );

  it('still takes a staff reply', async () => {
    const articleId = article('closed-staff');
    await api('PATCH', `/admin/articles/${articleId}`, { body: { closed: true }, operator: true });
    const reply = await api('POST', `/admin/articles/${articleId}/comments`, {
      body: { name: 'The editors', body: 'Comments are closed; thank you all.' },
      operator: true,
    });
    expect(reply.status).toBe(201);
    const list = await ids(articleId);
    expect(list.comments).toHaveLength(1);
    expect(list.comments[0]).toMatchObject({ author: { staff: true } });
  });
});

describe('pinned comments', () => {
  it('lists a pinned comment first on the first page only, once, within the limit', async () => {
    const articleId = article('pins');
    const posted: string[] = [];
    for (const body of ['one', 'two', 'three', 'four']) {
      posted.push(((await post(articleId, body)).json.comment as { id: string }).id);
    }
    const pin = await api('PUT', `/admin/comments/${posted[2]}/pin`, { operator: true });
    expect(pin.status).toBe(200);
    const first = await ids(articleId, { limit: '2' });
    expect(first.comments.map((comment) => comment.id)).toEqual([posted[2], posted[0]]);
    expect(first.comments[0]?.pinned).toBe(true);
    // The thread is the same first page: the pin first, within the limit.
    const thread = await ids(articleId, { limit: '2' }, true);
    expect(thread.comments.map((comment) => comment.id)).toEqual([posted[2], posted[0]]);
    expect(thread.open).toBe(true);
    const rest = await ids(articleId, { limit: '2', cursor: first.nextCursor ?? '' });
    expect(rest.comments.map((comment) => comment.id)).toEqual([posted[1], posted[3]]);
    const newest = await ids(articleId, { order: 'newest', limit: '10' });
    expect(newest.comments.map((comment) => comment.id)).toEqual([
      posted[2],
      posted[3],
      posted[1],
      posted[0],
    ]);

    // Spam takes the pin away with it; approving again once the undo window has passed (a new
    // decision, not an undo) does not bring the pin back.
    await api('PATCH', `/admin/comments/${posted[2]}`, {
      body: { status: 'spam' },
      operator: true,
    });
    expect((await ids(articleId)).comments.map((comment) => comment.id)).toEqual([
      posted[0],
      posted[1],
      posted[3],
    ]);
    now += 60_000;
    await api('PATCH', `/admin/comments/${posted[2]}`, {
      body: { status: 'published' },
      operator: true,
    });
    const again = await ids(articleId);
    expect(again.comments.map((comment) => comment.id)).toEqual(posted);
    expect(again.comments.every((comment) => !comment.pinned)).toBe(true);
  });

  it('unpins, and refuses a sixth pin with 409', async () => {
    const articleId = article('many-pins');
    const posted: string[] = [];
    for (let n = 0; n < 6; n++) {
      posted.push(((await post(articleId, `c${n}`)).json.comment as { id: string }).id);
    }
    for (const id of posted.slice(0, 5)) {
      expect((await api('PUT', `/admin/comments/${id}/pin`, { operator: true })).status).toBe(200);
    }
    expect((await api('PUT', `/admin/comments/${posted[5]}/pin`, { operator: true })).status).toBe(
      409,
    );
    expect(
      (await api('GET', `/admin/articles/${articleId}`, { operator: true })).json,
    ).toMatchObject({
      pinned: [...posted.slice(0, 5)].sort(),
    });
    await api('DELETE', `/admin/comments/${posted[0]}/pin`, { operator: true });
    const list = await ids(articleId);
    expect(list.comments.filter((comment) => comment.pinned)).toHaveLength(4);
    expect(list.comments.map((comment) => comment.id).sort()).toEqual([...posted].sort());
  });
});

describe('counts for the console', () => {
  it('counts each tab in one article, and what an erasure would change', async () => {
    const held = createApi(
      table.runtime(
        { TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy: 'all' } }) },
        { clock },
      ),
    );
    const articleId = article('counts');
    const email = 'counted@example.com';
    for (const body of ['a', 'b', 'c']) {
      await held('POST', `/articles/${articleId}/comments`, {
        body: { name: 'Counted', email, body },
      });
    }
    const queue = await held('GET', '/admin/comments', {
      query: { status: 'pending', articleId },
      operator: true,
    });
    const [first] = (queue.json as { comments: { id: string; authorPublishedBefore: boolean }[] })
      .comments;
    expect(first?.authorPublishedBefore).toBe(false);
    await held('PATCH', `/admin/comments/${first?.id}`, {
      body: { status: 'published' },
      operator: true,
    });
    const counts = await held('GET', '/admin/counts', { query: { articleId }, operator: true });
    expect(counts.json).toMatchObject({
      counts: { pending: 2, published: 1, spam: 0 },
      capped: [],
    });
    // And the deployment's decision grounds, which the console's picker offers.
    expect(
      (counts.json as { grounds: { id: string }[] }).grounds.map((ground) => ground.id),
    ).toEqual(['spam', 'abuse', 'off-topic', 'personal-information', 'illegal']);
    const again = await held('GET', '/admin/comments', {
      query: { status: 'pending', articleId },
      operator: true,
    });
    expect(
      (again.json as { comments: { authorPublishedBefore: boolean }[] }).comments.map(
        (comment) => comment.authorPublishedBefore,
      ),
    ).toEqual([true, true]);
    const count = await held('GET', '/admin/erasures', {
      query: { email: ' Counted@Example.com' },
      operator: true,
    });
    expect(count.json).toEqual({ comments: 3 });
  });
});
