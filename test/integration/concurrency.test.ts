import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { REACTION_KEYS, storedReactions } from '../support/reaction-items';

/** Hundreds of requests against one local engine take seconds; Jest's default is 5 s. */
const SLOW_MS = 60_000;

let table: TestTable;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('concurrency');
});
afterAll(async () => table.drop());

describe('reaction writes under concurrency', () => {
  it.each([1, 4])(
    'counts 200 parallel votes from 200 visitors exactly (%i counter shards)',
    async (shards) => {
      const runtime = table.runtime({
        TALKBACK_SETTINGS: JSON.stringify({ reactionShards: shards }),
      });
      const api = createApi(runtime);
      const articleId = `crowd-${shards}`;
      const reactionOf = (n: number) => REACTION_KEYS[n % REACTION_KEYS.length] as string;
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, n) =>
          api('PUT', `/articles/${articleId}/reactions`, {
            body: {
              visitorId: `crowd-visitor-${String(n).padStart(6, '0')}`,
              reaction: reactionOf(n),
            },
          }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(200).fill(200));

      const expected = Object.fromEntries(
        REACTION_KEYS.map((key) => [key, 200 / REACTION_KEYS.length]),
      );
      // Each vote wrote its vote item and its visitor's shard, nothing shared by all voters.
      const stored = await storedReactions(table, articleId);
      expect(stored.counts).toEqual(expected);
      expect(stored.shardWrites).toBe(200);
      // 200 visitors reach every shard (missing one of 4 has odds of about 1 in 10^24).
      expect(stored.shards.map((shard) => shard.shard)).toEqual(
        Array.from({ length: shards }, (_, n) => n),
      );
      expect(stored.votes).toHaveLength(200);
      expect(stored.stats).toBeUndefined();

      // The stream's tally then sums the shards into the total /counts reads.
      await runtime.areas.tally.tally(articleId);
      expect((await storedReactions(table, articleId)).stats).toMatchObject({
        reactionTotal: 200,
        reactionWrites: 200,
      });

      const read = await api('GET', `/articles/${articleId}/reactions`);
      expect(read.json).toMatchObject({ counts: expected, total: 200 });
      const counts = await api('GET', '/counts', { query: { articles: articleId } });
      expect(counts.json).toEqual({
        articles: { [articleId]: { commentCount: 0, reactionTotal: 200 } },
      });
    },
    SLOW_MS,
  );

  it(
    'keeps exactly one vote when one visitor switches reactions 50 times at once',
    async () => {
      const runtime = table.runtime();
      const api = createApi(runtime);
      const articleId = 'switcher';
      const visitorId = 'switching-visitor-000001';
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          api('PUT', `/articles/${articleId}/reactions`, {
            body: { visitorId, reaction: REACTION_KEYS[n % REACTION_KEYS.length] },
          }),
        ),
      );
      // A switch that kept losing the race may give up with 503 (nothing written); none may fail otherwise.
      for (const response of responses) expect([200, 503]).toContain(response.status);
      expect(responses.some((response) => response.status === 200)).toBe(true);

      const stored = await storedReactions(table, articleId);
      expect(stored.votes).toHaveLength(1);
      expect(stored.shardTotal).toBe(1);
      const mine = stored.votes[0]?.reaction as string;
      expect(stored.counts[mine]).toBe(1);
      for (const key of REACTION_KEYS) expect(stored.counts[key]).toBeGreaterThanOrEqual(0);
      expect(stored.stats).toBeUndefined();

      await runtime.areas.tally.tally(articleId);
      expect((await storedReactions(table, articleId)).stats).toMatchObject({
        reactionTotal: 1,
        reactionWrites: stored.shardWrites,
      });

      const read = await api('GET', `/articles/${articleId}/reactions`, { query: { visitorId } });
      expect(read.json).toMatchObject({ total: 1, mine });
    },
    SLOW_MS,
  );

  it(
    'keeps the counts exact when many visitors vote, switch and withdraw at once',
    async () => {
      const runtime = table.runtime({ TALKBACK_SETTINGS: '{"reactionShards":2}' });
      const api = createApi(runtime);
      const articleId = 'churn';
      const visitors = Array.from(
        { length: 40 },
        (_, n) => `churn-visitor-${String(n).padStart(6, '0')}`,
      );
      const first = await Promise.all(
        visitors.map((visitorId) =>
          api('PUT', `/articles/${articleId}/reactions`, {
            body: { visitorId, reaction: 'happy' },
          }),
        ),
      );
      expect(first.map((response) => response.status)).toEqual(Array(40).fill(200));
      const responses = await Promise.all(
        visitors.flatMap((visitorId, n) =>
          n % 2 === 0
            ? [api('DELETE', `/articles/${articleId}/reactions`, { query: { visitorId } })]
            : [
                api('PUT', `/articles/${articleId}/reactions`, {
                  body: { visitorId, reaction: 'silly' },
                }),
              ],
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));
      const stored = await storedReactions(table, articleId);
      expect(stored.counts).toMatchObject({ happy: 0, silly: 20 });
      expect(stored.shardTotal).toBe(20);
      // 40 first votes, then 20 withdrawals and 20 switches: one shard write each.
      expect(stored.shardWrites).toBe(80);
      expect(stored.votes).toHaveLength(20);
      expect(stored.stats).toBeUndefined();

      await runtime.areas.tally.tally(articleId);
      expect((await storedReactions(table, articleId)).stats).toMatchObject({
        reactionTotal: 20,
        reactionWrites: 80,
      });
      const counts = await api('GET', '/counts', { query: { articles: articleId } });
      expect(counts.json).toEqual({
        articles: { [articleId]: { commentCount: 0, reactionTotal: 20 } },
      });
    },
    SLOW_MS,
  );
});
