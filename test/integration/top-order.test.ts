/**
 * The Top order on DynamoDB Local: top-level comments by likes, most first, ties oldest first,
 * read in one Query of index byTop per page, with cursors that walk every comment once.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;
let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('top-order');
  runtime = table.runtime();
  api = createApi(runtime);
});
afterAll(async () => table.drop());

const tally = (itemKeys: { PK: string; SK: string }[]) => {
  const event: DynamoDBStreamEvent = {
    Records: itemKeys.map(({ PK, SK }) => ({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } },
    })),
  };
  return tallyHandler({ areas: runtime.areas })(event);
};

interface Shown {
  id: string;
  body: string;
  likes: number;
  parentId: string | null;
}

/** Posts comments in order, likes each as many times as asked, and lets the tally run. */
async function article(articleId: string, likes: number[], clockStep = true) {
  const ids: string[] = [];
  for (const [n, count] of likes.entries()) {
    const posted = await api('POST', `/articles/${articleId}/comments`, {
      body: { name: 'Ada', email: 'ada@example.com', body: `Comment ${n}` },
    });
    const { id, createdAt } = posted.json.comment as { id: string; createdAt: string };
    ids.push(id);
    await tally([keys.comment(articleId, createdAt, id)]);
    for (let voter = 0; voter < count; voter++) {
      const liked = await api('PUT', `/comments/${id}/likes`, {
        body: { visitorId: `top-visitor-${String(voter).padStart(6, '0')}` },
      });
      expect(liked.status).toBe(200);
    }
    // Comments a millisecond apart at least, so "oldest first" has an order to keep.
    if (clockStep) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await tally(ids.map((id) => keys.like('any', id)));
  return ids;
}

describe('order=top', () => {
  it('lists by likes, most first, ties oldest first, in the thread and every page after', async () => {
    const ids = await article('top-article', [1, 3, 0, 3, 2, 0, 5]);
    const expected = [6, 1, 3, 4, 0, 2, 5].map((n) => `Comment ${n}`);

    const thread = await api('GET', '/articles/top-article', {
      query: { order: 'top', limit: '3' },
    });
    expect(thread.status).toBe(200);
    expect(thread.json).toMatchObject({ commentCount: 7, open: true });
    const first = thread.json.comments as Shown[];
    expect(first.map((comment) => [comment.body, comment.likes])).toEqual([
      ['Comment 6', 5],
      ['Comment 1', 3],
      ['Comment 3', 3],
    ]);

    const seen = [...first];
    let cursor = thread.json.nextCursor as string | null;
    while (cursor !== null) {
      const page = await api('GET', '/articles/top-article/comments', {
        query: { order: 'top', limit: '3', cursor },
      });
      expect(page.status).toBe(200);
      expect(page.json.commentCount).toBe(7);
      seen.push(...(page.json.comments as Shown[]));
      cursor = page.json.nextCursor as string | null;
    }
    expect(seen.map((comment) => comment.body)).toEqual(expected);
    expect(new Set(seen.map((comment) => comment.id)).size).toBe(ids.length);
  });

  it('refuses a cursor of another order, and keeps a pinned comment first', async () => {
    const ids = await article('top-pinned', [0, 4, 1]);
    const oldest = await api('GET', '/articles/top-pinned/comments', { query: { limit: '1' } });
    const foreign = await api('GET', '/articles/top-pinned/comments', {
      query: { order: 'top', cursor: oldest.json.nextCursor as string },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.json.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);

    const pinned = await api('PUT', `/admin/comments/${ids[0]}/pin`, { operator: true });
    expect(pinned.status).toBe(200);
    const thread = await api('GET', '/articles/top-pinned', { query: { order: 'top' } });
    expect((thread.json.comments as Shown[]).map((comment) => comment.body)).toEqual([
      'Comment 0',
      'Comment 1',
      'Comment 2',
    ]);
  });
});
