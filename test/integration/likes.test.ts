/**
 * Likes on DynamoDB Local, through the real handlers: exact under concurrency, one per voter,
 * a 404 for anything not published, and the tally that brings the count onto the comment.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

const SLOW_MS = 60_000;

let table: TestTable;
let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('likes');
  runtime = table.runtime();
  api = createApi(runtime);
});
afterAll(async () => table.drop());

/** Runs `count` calls with at most `limit` of them under way at once, answers in call order. */
async function inFlight<T>(limit: number, count: number, call: (n: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) results[n] = await call(n);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const visitor = (n: number) => `like-visitor-${String(n).padStart(6, '0')}`;

/** What the table's stream brings the tally for these keys (the records carry keys only). */
function streamOf(itemKeys: { PK: string; SK: string }[]): DynamoDBStreamEvent {
  return {
    Records: itemKeys.map(({ PK, SK }) => ({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } },
    })),
  };
}

const tally = (itemKeys: { PK: string; SK: string }[]) =>
  tallyHandler({ areas: runtime.areas })(streamOf(itemKeys));

/** Posts a published comment and lets the tally see it, as the stream would within a second. */
async function comment(articleId: string, body = 'Worth a like.'): Promise<string> {
  const posted = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body },
  });
  expect(posted.status).toBe(201);
  const { id, createdAt } = posted.json.comment as { id: string; createdAt: string };
  await tally([keys.comment(articleId, createdAt, id)]);
  return id;
}

const likeKeys = (commentId: string, voters: number) =>
  Array.from({ length: voters }, (_, n) => keys.like(`v${n}`, commentId));

async function threadComment(articleId: string, id: string) {
  const thread = await api('GET', `/articles/${articleId}`);
  return (thread.json.comments as { id: string; likes: number }[]).find((c) => c.id === id);
}

describe('likes under concurrency', () => {
  it(
    'counts 200 likes from 200 visitors, 50 at once, exactly, and the thread shows them once tallied',
    async () => {
      const id = await comment('liked-a-lot');
      // 50 in flight at a time, as the local server's load test sends them: 200 transactions at
      // once make one busy DynamoDB Local answer after the SDK's timeouts, which is no test of
      // the counting.
      const responses = await inFlight(50, 200, (n) =>
        api('PUT', `/comments/${id}/likes`, { body: { visitorId: visitor(n) } }),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(200).fill(200));
      expect(responses.every((response) => response.json.liked === true)).toBe(true);

      const items = await table.scanAll();
      const shards = items.filter((item) => item.entity === 'LikeCounts');
      expect(shards.reduce((sum, shard) => sum + Number(shard.likes), 0)).toBe(200);
      expect(items.filter((item) => item.entity === 'Like')).toHaveLength(200);
      // No like wrote the comment or anything else in the article's partition.
      expect(await threadComment('liked-a-lot', id)).toMatchObject({ likes: 0 });

      // The stream's records name the likes' keys; the tally sums the shards onto the comment.
      await tally(likeKeys(id, 1));
      expect(await threadComment('liked-a-lot', id)).toMatchObject({ likes: 200 });
      // A batch delivered again changes nothing.
      const before = await table.scanAll();
      await tally(likeKeys(id, 3));
      expect(await table.scanAll()).toEqual(before);
    },
    SLOW_MS,
  );

  it(
    'counts one like per visitor, however often it comes, and takes it back once',
    async () => {
      const id = await comment('liked-once');
      const likes = await Promise.all(
        Array.from({ length: 20 }, () =>
          api('PUT', `/comments/${id}/likes`, { body: { visitorId: visitor(1) } }),
        ),
      );
      for (const response of likes) expect([200, 503]).toContain(response.status);
      const again = await api('PUT', `/comments/${id}/likes`, { body: { visitorId: visitor(1) } });
      expect(again.json).toEqual({ commentId: id, likes: 1, liked: true });

      const undo = await Promise.all(
        Array.from({ length: 5 }, () =>
          api('DELETE', `/comments/${id}/likes`, { query: { visitorId: visitor(1) } }),
        ),
      );
      for (const response of undo) expect([200, 503]).toContain(response.status);
      const items = await table.scanAll();
      const shards = items.filter(
        (item) => item.entity === 'LikeCounts' && String(item.PK).startsWith(`LIKES#${id}#`),
      );
      expect(shards.reduce((sum, shard) => sum + Number(shard.likes), 0)).toBe(0);
      expect(items.filter((item) => item.SK === `LIKED#${id}`)).toEqual([]);
      // Index byCommentId holds comments only: the operators' routes find the comment itself.
      const found = await runtime.moderationStore.findById(id);
      expect(found?.commentId).toBe(id);
    },
    SLOW_MS,
  );
});

describe('what may be liked', () => {
  it('answers 404 for a comment that is pending, deleted or unknown, writing nothing', async () => {
    // Under the `all` policy a comment waits for a moderator.
    const holding = createApi(
      table.runtime({ TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy: 'all' } }) }),
    );
    const held = await holding('POST', '/articles/held-back/comments', {
      body: { name: 'Eve', email: 'eve@example.com', body: 'Wait for it.' },
    });
    expect(held.json.status).toBe('pending');
    const heldComment = held.json.comment as { id: string; createdAt: string };
    await tally([keys.comment('held-back', heldComment.createdAt, heldComment.id)]);

    const gone = await comment('gone-soon');
    const removed = await api('DELETE', `/admin/comments/${gone}`, { operator: true });
    expect([removed.status, removed.json]).toEqual([204, {}]);
    const goneItem = (await table.scanAll()).find((item) => item.PK === `SIGNALS#${gone}`);
    expect(goneItem?.entity).toBe('CommentSignals');
    await tally([{ PK: 'ARTICLE#gone-soon', SK: `COMMENT#${goneItem?.createdAt}#${gone}` }]);

    const before = await table.scanAll();
    for (const id of [heldComment.id, gone, '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C']) {
      const response = await api('PUT', `/comments/${id}/likes`, {
        body: { visitorId: visitor(7) },
      });
      expect(response.status).toBe(404);
    }
    expect(await table.scanAll()).toEqual(before);
  });
});
