/**
 * A viral article: 5,000 reaction writes in one simulated second, through the real domain and
 * repository code, on an in-memory DynamoDB double that enforces DynamoDB's per-item write
 * limit (about 1,000 write units a second; a transactional write of a small item costs 2) by
 * throttling, as DynamoDB does: the transaction is cancelled with ThrottlingError and nothing
 * of it is written.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import { getReactions, setReaction } from '../../lambda/domain/reactions';
import { parseSettings, type Settings } from '../../lambda/domain/settings';
import { ReactionRepository } from '../../lambda/store/reaction-repository';
import { MemoryDynamoDb } from '../support/memory-dynamodb';

const ITEM_WRITE_UNITS_PER_SECOND = 1000;
/** DynamoDB's read limit per partition, so per item: 3,000 units a second. */
const ITEM_READ_UNITS_PER_SECOND = 3000;
const UNITS_PER_TRANSACTIONAL_WRITE = 2;
const REACTIONS = ['excited', 'happy', 'in-love', 'not-sure', 'silly'];
const VOTES_PER_SECOND = 5000;

/** Every write of this simulated second, per item; refuses a transaction touching a full item. */
class OneSecondOfWrites {
  readonly units = new Map<string, number>();
  throttled = 0;

  readonly gate = (keys: string[]): boolean[] | null => {
    const refused = keys.map(
      (key) =>
        (this.units.get(key) ?? 0) + UNITS_PER_TRANSACTIONAL_WRITE > ITEM_WRITE_UNITS_PER_SECOND,
    );
    if (refused.some(Boolean)) {
      this.throttled += 1;
      return refused;
    }
    for (const key of keys)
      this.units.set(key, (this.units.get(key) ?? 0) + UNITS_PER_TRANSACTIONAL_WRITE);
    return null;
  };
}

function simulate(settings: Settings) {
  const second = new OneSecondOfWrites();
  const db = new MemoryDynamoDb(second.gate);
  // One simulated second: the clock does not move.
  const clock = () => Date.parse('2026-11-26T21:00:00Z');
  const repository = new ReactionRepository(
    db.client as unknown as DynamoDBDocumentClient,
    'talkback',
    settings,
    clock,
  );
  const deps = {
    store: repository,
    hasher: createKeyedHasher('simulation-secret-0123456789-0123456789'),
    settings,
    clock,
  };
  const visitor = (n: number) => `visitor-${String(n).padStart(12, '0')}`;
  /**
   * VOTES_PER_SECOND votes from distinct visitors and addresses, and `views` views of the article
   * by readers who vote or not, mixed, 100 requests in flight at a time.
   */
  const storm = async (views = 0) => {
    let next = 0;
    let ok = 0;
    let refused = 0;
    let viewsFailed = 0;
    const total = VOTES_PER_SECOND + views;
    // One request in every `spacing` is a vote, the others views.
    const spacing = total / VOTES_PER_SECOND;
    const worker = async () => {
      while (next < total) {
        const request = next++;
        if (request % spacing !== 0) {
          await getReactions(deps, 'viral', visitor(request)).catch(() => {
            viewsFailed += 1;
          });
          continue;
        }
        const n = request / spacing;
        try {
          await setReaction(deps, {
            articleId: 'viral',
            visitorId: visitor(n),
            reaction: REACTIONS[n % REACTIONS.length] ?? 'happy',
            sourceIp: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          });
          ok += 1;
        } catch {
          refused += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    return views > 0 ? { ok, refused, viewsFailed } : { ok, refused };
  };
  return { second, db, repository, storm };
}

const defaults = parseSettings({ rateLimits: { reactionsPerMinute: 10, reactionsPerHour: 10 } });

describe('a viral article at 5,000 reaction writes a second', () => {
  it('is not throttled on the default 16 counter shards, and every count is exact', async () => {
    expect(defaults.reactionShards).toBe(16);
    const { second, db, repository, storm } = simulate(defaults);

    const result = await storm();

    expect(second.throttled).toBe(0);
    expect(result).toEqual({ ok: VOTES_PER_SECOND, refused: 0 });
    expect(Math.max(...second.units.values())).toBeLessThanOrEqual(ITEM_WRITE_UNITS_PER_SECOND);
    // Each vote also reads every shard (its answer carries the counts), eventually consistent:
    // 2,500 units a second on each shard item, under the item's 3,000. The rest, 1,000 reads of
    // the article's counts a second, is all that is left for views (see docs/architecture.md, Hot articles).
    const shardReads = [...db.readUnits]
      .filter(([key]) => key.startsWith('REACTIONS#viral#'))
      .map(([, units]) => units);
    expect(shardReads).toHaveLength(16);
    expect(Math.max(...shardReads)).toBe(VOTES_PER_SECOND * 0.5);
    expect(Math.max(...db.readUnits.values())).toBeLessThanOrEqual(ITEM_READ_UNITS_PER_SECOND);
    const state = await repository.read('viral', undefined);
    expect(state.counts).toEqual({
      excited: 1000,
      happy: 1000,
      'in-love': 1000,
      'not-sure': 1000,
      silly: 1000,
    });
    // The index-page total is tallied from the same shards, off the write path.
    await repository.tally('viral');
    expect((await repository.counts(['viral'])).get('viral')?.reactionTotal).toBe(VOTES_PER_SECOND);
  });

  it('also serves 20,000 views in that second, each shard item within its read limit', async () => {
    const { second, db, repository, storm } = simulate(defaults);

    const result = await storm(20_000);

    expect(second.throttled).toBe(0);
    expect(result).toEqual({ ok: VOTES_PER_SECOND, refused: 0, viewsFailed: 0 });
    // Views of a hot article are answered from this instance's copy of its counts: only the
    // views before it became hot read the shards. Without the copy each shard item would be read
    // for 2,500 + 10,000 units, four times its limit.
    const shardReads = [...db.readUnits]
      .filter(([key]) => key.startsWith('REACTIONS#viral#'))
      .map(([, units]) => units);
    expect(Math.max(...shardReads)).toBeLessThanOrEqual(ITEM_READ_UNITS_PER_SECOND);
    expect(Math.max(...shardReads)).toBeLessThan(VOTES_PER_SECOND * 0.5 + 100);
    const state = await repository.read('viral', undefined);
    expect(Object.values(state.counts).reduce((sum, count) => sum + count, 0)).toBe(
      VOTES_PER_SECOND,
    );
  });

  it('is throttled on one counter item, and a refused vote leaves nothing behind', async () => {
    const { second, db, repository, storm } = simulate(
      parseSettings({ ...defaults, reactionShards: 1 }),
    );

    const result = await storm();

    // One item takes 500 transactional writes a second; every other vote is refused whole.
    expect(second.throttled).toBeGreaterThan(0);
    expect(result.ok).toBe(ITEM_WRITE_UNITS_PER_SECOND / UNITS_PER_TRANSACTIONAL_WRITE);
    const state = await repository.read('viral', undefined);
    expect(Object.values(state.counts).reduce((sum, count) => sum + count, 0)).toBe(result.ok);
    const votes = [...db.items.values()].filter((item) => item.entity === 'Vote');
    expect(votes).toHaveLength(result.ok);
    const windows = [...db.items.values()].filter((item) => item.entity === 'RateWindow');
    // Each accepted vote charged its two windows; refused ones charged nothing.
    expect(windows).toHaveLength(result.ok * 2);
  });
});
