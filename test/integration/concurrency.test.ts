import { DEFAULT_REACTIONS } from '../../lambda/domain/settings';
import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

/** Hundreds of requests against one local engine take seconds; Jest's default is 5 s. */
const SLOW_MS = 60_000;
const REACTION_KEYS = DEFAULT_REACTIONS.map((reaction) => reaction.key);

let table: TestTable;

/** The article's reaction counts and total as stored, summed over its counter shards. */
async function storedReactions(articleId: string) {
  const items = await table.scanAll();
  const counts: Record<string, number> = {};
  for (const shard of items.filter(
    (item) => item.entity === 'ReactionCounts' && item.articleId === articleId,
  )) {
    for (const key of REACTION_KEYS) counts[key] = (counts[key] ?? 0) + Number(shard[key] ?? 0);
  }
  const stats = items.find(
    (item) => item.PK === `ARTICLE#${articleId}` && item.SK === 'COMMENT#!COUNT',
  );
  const votes = items.filter((item) => item.entity === 'Vote' && item.articleId === articleId);
  return { counts, total: stats?.reactionTotal, votes };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('concurrency');
});
afterAll(async () => table.drop());

describe('reaction writes under concurrency', () => {
  it.each([1, 4])(
    'counts 200 parallel votes from 200 visitors exactly (%i counter shards)',
    async (shards) => {
      const api = createApi(
        table.runtime({ TALKBACK_SETTINGS: JSON.stringify({ reactionShards: shards }) }),
      );
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
      const stored = await storedReactions(articleId);
      expect(stored.counts).toEqual(expected);
      expect(stored.total).toBe(200);
      expect(stored.votes).toHaveLength(200);

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
      const api = createApi(table.runtime());
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

      const stored = await storedReactions(articleId);
      expect(stored.votes).toHaveLength(1);
      expect(stored.total).toBe(1);
      expect(sum(stored.counts)).toBe(1);
      const mine = stored.votes[0]?.reaction as string;
      expect(stored.counts[mine]).toBe(1);
      for (const key of REACTION_KEYS) expect(stored.counts[key]).toBeGreaterThanOrEqual(0);

      const read = await api('GET', `/articles/${articleId}/reactions`, { query: { visitorId } });
      expect(read.json).toMatchObject({ total: 1, mine });
    },
    SLOW_MS,
  );

  it(
    'keeps the counts exact when many visitors vote, switch and withdraw at once',
    async () => {
      const api = createApi(table.runtime({ TALKBACK_SETTINGS: '{"reactionShards":2}' }));
      const articleId = 'churn';
      const visitors = Array.from(
        { length: 40 },
        (_, n) => `churn-visitor-${String(n).padStart(6, '0')}`,
      );
      await Promise.all(
        visitors.map((visitorId) =>
          api('PUT', `/articles/${articleId}/reactions`, {
            body: { visitorId, reaction: 'happy' },
          }),
        ),
      );
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
      const stored = await storedReactions(articleId);
      expect(stored.counts).toMatchObject({ happy: 0, silly: 20 });
      expect(sum(stored.counts)).toBe(20);
      expect(stored.total).toBe(20);
      expect(stored.votes).toHaveLength(20);
    },
    SLOW_MS,
  );
});
