import {
  RateLimitedError,
  ServiceBusyError,
  VoteChangedError,
} from '../../../lambda/domain/errors';
import { clientHash, rateCharges } from '../../../lambda/domain/rate-limit';
import {
  getCounts,
  getReactions,
  setReaction,
  shardOf,
  toView,
  visitorHash,
} from '../../../lambda/domain/reactions';
import {
  DEFAULT_REACTION_SHARDS,
  DEFAULT_SETTINGS,
  parseSettings,
  type Settings,
} from '../../../lambda/domain/settings';
import { FakeClock, FakeReactionStore, hasher, NOW } from '../fakes';

const ARTICLE = 'russia-north-korea-ties';
const VISITOR = 'visitor-0123456789abcdef';
const SOURCE_IP = '198.51.100.23';

function depsWith(
  store: FakeReactionStore,
  settings: Settings = DEFAULT_SETTINGS,
  clock = new FakeClock(),
) {
  return { store, hasher, settings, clock: clock.read };
}

function choose(
  deps: ReturnType<typeof depsWith>,
  reaction: string | null,
  visitorId = VISITOR,
  sourceIp = SOURCE_IP,
) {
  return setReaction(deps, { articleId: ARTICLE, visitorId, reaction, sourceIp });
}

describe('toView', () => {
  it('lists every configured reaction in display order, zeros included', () => {
    const view = toView(DEFAULT_SETTINGS, ARTICLE, {
      counts: { silly: 1, 'in-love': 5, happy: 2 },
      mine: null,
    });
    expect(Object.entries(view.counts)).toEqual([
      ['excited', 0],
      ['happy', 2],
      ['in-love', 5],
      ['not-sure', 0],
      ['silly', 1],
    ]);
    expect(view.total).toBe(8);
  });

  it('ignores counts of reactions that are no longer configured', () => {
    const view = toView(DEFAULT_SETTINGS, ARTICLE, { counts: { happy: 1, angry: 9 }, mine: null });
    expect(view.counts).not.toHaveProperty('angry');
    expect(view.total).toBe(1);
  });

  it('never shows a count below zero', () => {
    const view = toView(DEFAULT_SETTINGS, ARTICLE, { counts: { happy: -2, silly: 3 }, mine: null });
    expect(view.counts.happy).toBe(0);
    expect(view.total).toBe(3);
  });

  it('gives the visitor their configured reaction', () => {
    expect(toView(DEFAULT_SETTINGS, ARTICLE, { counts: {}, mine: 'happy' }).mine).toBe('happy');
  });

  it('gives null for a vote on a reaction that is no longer configured', () => {
    expect(toView(DEFAULT_SETTINGS, ARTICLE, { counts: {}, mine: 'angry' }).mine).toBeNull();
  });

  it('has exactly the Reactions keys', () => {
    expect(toView(DEFAULT_SETTINGS, ARTICLE, { counts: {}, mine: null })).toStrictEqual({
      articleId: ARTICLE,
      counts: { excited: 0, happy: 0, 'in-love': 0, 'not-sure': 0, silly: 0 },
      total: 0,
      mine: null,
    });
  });
});

describe('shardOf', () => {
  it('is stable for a visitor', () => {
    const hash = visitorHash(hasher, VISITOR);
    expect(shardOf(hash, 8)).toBe(shardOf(visitorHash(hasher, VISITOR), 8));
  });

  it('is always 0 with one shard', () => {
    expect(shardOf(visitorHash(hasher, VISITOR), 1)).toBe(0);
  });

  it.each([2, 7, 32])('stays within 0..%d-1 and uses more than one shard', (shards) => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const shard = shardOf(visitorHash(hasher, `visitor-${i}-0123456789`), shards);
      expect(Number.isInteger(shard)).toBe(true);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(shards);
      seen.add(shard);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

/** mulberry32: a small seeded generator, so the "random" visitors are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('shardOf over many visitors', () => {
  it('spreads 10,000 random visitors over 16 shards, none above 1.3x the mean', () => {
    const random = seededRandom(20261126);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const visitors = 10_000;
    const perShard = new Array<number>(DEFAULT_REACTION_SHARDS).fill(0);
    const seen = new Set<string>();
    for (let i = 0; i < visitors; i++) {
      // A valid visitor id: 22 characters of A-Z a-z 0-9 - _.
      let id = '';
      for (let c = 0; c < 22; c++) id += alphabet[Math.floor(random() * alphabet.length)];
      seen.add(id);
      const shard = shardOf(visitorHash(hasher, id), DEFAULT_REACTION_SHARDS);
      perShard[shard] = (perShard[shard] ?? 0) + 1;
    }
    expect(seen.size).toBe(visitors);
    expect(perShard).toHaveLength(16);
    expect(perShard.reduce((sum, n) => sum + n, 0)).toBe(visitors);
    // Mean 625 and a binomial spread of about 24 per shard: 1.3x is 7 standard deviations, and
    // the seed makes the run the same every time anyway.
    const mean = visitors / DEFAULT_REACTION_SHARDS;
    expect(Math.max(...perShard)).toBeLessThanOrEqual(1.3 * mean);
    expect(Math.min(...perShard)).toBeGreaterThanOrEqual(0.7 * mean);
  });
});

describe('getReactions', () => {
  it('reads as a view, with the keyed hash of the visitor, never the visitor id', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2 }, mine: 'happy' });
    const view = await getReactions(depsWith(store), ARTICLE, VISITOR);
    expect(store.viewReads).toEqual([
      { articleId: ARTICLE, visitorHash: visitorHash(hasher, VISITOR) },
    ]);
    expect(store.reads).toEqual([]);
    expect(store.viewReads[0]?.visitorHash).not.toBe(VISITOR);
    expect(view.mine).toBe('happy');
  });

  it('reads without a visitor when none is named', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2 }, mine: null });
    const view = await getReactions(depsWith(store), ARTICLE, undefined);
    expect(store.viewReads).toEqual([{ articleId: ARTICLE, visitorHash: undefined }]);
    expect(view).toEqual({
      articleId: ARTICLE,
      counts: { excited: 0, happy: 2, 'in-love': 0, 'not-sure': 0, silly: 0 },
      total: 2,
      mine: null,
    });
  });
});

describe('setReaction', () => {
  const hash = visitorHash(hasher, VISITOR);
  /** The visitor's shard under the default 16 shards. */
  const shard = shardOf(hash, DEFAULT_REACTION_SHARDS);

  it('adds a first vote', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: null });
    const view = await choose(depsWith(store), 'silly');
    expect(store.changes).toEqual([
      { articleId: ARTICLE, visitorHash: hash, shard, from: null, to: 'silly' },
    ]);
    expect(view.counts).toMatchObject({ happy: 1, silly: 1 });
    expect(view.total).toBe(2);
    expect(view.mine).toBe('silly');
  });

  it('writes to the visitor’s shard of the default 16', async () => {
    const store = new FakeReactionStore();
    await choose(depsWith(store), 'happy');
    // Fixed by the test secret and visitor id: not shard 0, where one shard would put it.
    expect(shard).toBe(5);
    expect(store.changes[0]?.shard).toBe(5);
  });

  it('moves a vote from one reaction to another', async () => {
    const store = new FakeReactionStore({ counts: { happy: 3, silly: 1 }, mine: 'happy' });
    const view = await choose(depsWith(store), 'silly');
    expect(store.changes).toEqual([
      { articleId: ARTICLE, visitorHash: hash, shard, from: 'happy', to: 'silly' },
    ]);
    expect(view.counts).toMatchObject({ happy: 2, silly: 2 });
    expect(view.total).toBe(4);
    expect(view.mine).toBe('silly');
  });

  it('changes nothing when the same reaction is chosen again', async () => {
    const store = new FakeReactionStore({ counts: { happy: 3 }, mine: 'happy' });
    const view = await choose(depsWith(store), 'happy');
    expect(store.changes).toEqual([]);
    expect(view.counts.happy).toBe(3);
    expect(view.mine).toBe('happy');
  });

  it('removes a vote', async () => {
    const store = new FakeReactionStore({ counts: { happy: 3 }, mine: 'happy' });
    const view = await choose(depsWith(store), null);
    expect(store.changes).toEqual([
      { articleId: ARTICLE, visitorHash: hash, shard, from: 'happy', to: null },
    ]);
    expect(view.counts.happy).toBe(2);
    expect(view.mine).toBeNull();
  });

  it('changes nothing when removing a vote that does not exist', async () => {
    const store = new FakeReactionStore({ counts: { happy: 3 }, mine: null });
    const view = await choose(depsWith(store), null);
    expect(store.changes).toEqual([]);
    expect(view.total).toBe(3);
  });

  it('writes to the visitor’s own shard', async () => {
    const settings = parseSettings({ reactionShards: 16 });
    const store = new FakeReactionStore();
    await choose(depsWith(store, settings), 'happy');
    expect(store.changes[0]?.shard).toBe(shardOf(hash, 16));
  });

  it('re-reads the vote consistently and retries when a concurrent change beat it', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: null });
    store.failures = [new VoteChangedError(), new VoteChangedError()];
    const view = await choose(depsWith(store), 'happy');
    expect(store.reads).toHaveLength(1);
    expect(store.voteChecks).toHaveLength(2);
    expect(store.changes).toHaveLength(3);
    expect(view.counts.happy).toBe(2);
  });

  it('gives ServiceBusyError after 5 attempts that all conflict', async () => {
    const store = new FakeReactionStore();
    store.failures = Array.from({ length: 10 }, () => new VoteChangedError());
    await expect(choose(depsWith(store), 'happy')).rejects.toBeInstanceOf(ServiceBusyError);
    expect(store.changes).toHaveLength(5);
  });

  it('does not trust a stale read that says the vote is already there', async () => {
    // Stored: silly. The replica still says happy, from before the visitor switched.
    const store = new FakeReactionStore({ counts: { silly: 1 }, mine: 'silly' });
    store.staleMine = 'happy';
    const view = await choose(depsWith(store), 'happy');
    expect(store.voteChecks).toHaveLength(1);
    expect(store.changes).toEqual([expect.objectContaining({ from: 'silly', to: 'happy' })]);
    expect(store.state.mine).toBe('happy');
    expect(view.mine).toBe('happy');
  });

  it('moves a vote from the consistent vote when the read is stale the other way', async () => {
    // Stored: happy. The replica has not seen the vote yet and says there is none.
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: 'happy' });
    store.staleMine = null;
    store.failures = [new VoteChangedError()];
    await choose(depsWith(store), 'silly');
    expect(store.changes.map((change) => change.from)).toEqual([null, 'happy']);
    expect(store.state).toEqual({ counts: { happy: 0, silly: 1 }, mine: 'silly' });
  });

  it('answers without writing when the consistent vote confirms nothing changes', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: 'happy' });
    await choose(depsWith(store), 'happy');
    expect(store.voteChecks).toHaveLength(1);
    expect(store.changes).toHaveLength(0);
  });

  it('charges the reaction windows of the keyed hash of the source IP, at the clock’s time', async () => {
    const store = new FakeReactionStore();
    const clock = new FakeClock(NOW + 90_000);
    await choose(depsWith(store, DEFAULT_SETTINGS, clock), 'happy');
    expect(store.charges).toEqual([
      rateCharges(
        DEFAULT_SETTINGS.rateLimits,
        'reaction',
        clientHash(hasher, SOURCE_IP),
        NOW + 90_000,
      ),
    ]);
    expect(store.charges[0]?.map((charge) => charge.windowStart)).toEqual([
      '2026-11-26T21:20:00.000Z',
      '2026-11-26T21:00:00.000Z',
    ]);
    expect(JSON.stringify(store.charges)).not.toContain(SOURCE_IP);
  });

  it('charges the same client for different visitor ids from one address', async () => {
    const store = new FakeReactionStore();
    await choose(depsWith(store), 'happy', 'visitor-aaaaaaaaaaaaaaaa');
    store.state = { counts: {}, mine: null };
    await choose(depsWith(store), 'happy', 'visitor-bbbbbbbbbbbbbbbb');
    expect(store.charges[0]?.[0]?.clientHash).toBe(clientHash(hasher, SOURCE_IP));
    expect(store.charges[1]?.[0]?.clientHash).toBe(store.charges[0]?.[0]?.clientHash);
  });

  it('charges nothing when the vote does not change', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: 'happy' });
    await choose(depsWith(store), 'happy');
    expect(store.charges).toEqual([]);
  });

  it('passes on RateLimitedError without retrying', async () => {
    const store = new FakeReactionStore();
    store.failures = [new RateLimitedError(12)];
    await expect(choose(depsWith(store), 'happy')).rejects.toMatchObject({
      retryAfterSeconds: 12,
    });
    expect(store.changes).toHaveLength(1);
  });

  it('does not retry other errors', async () => {
    const store = new FakeReactionStore();
    const busy = new ServiceBusyError('ThrottlingException');
    store.failures = [busy];
    await expect(choose(depsWith(store), 'happy')).rejects.toBe(busy);
    expect(store.changes).toHaveLength(1);
  });
});

describe('getCounts', () => {
  it('lists every requested article, zeros for unknown ones, from one store read', async () => {
    const store = new FakeReactionStore(
      undefined,
      new Map([['a', { commentCount: 3, reactionTotal: 7 }]]),
    );
    const counts = await getCounts(store, ['a', 'b']);
    expect(store.countQueries).toEqual([['a', 'b']]);
    expect(counts).toStrictEqual([
      ['a', { commentCount: 3, reactionTotal: 7 }],
      ['b', { commentCount: 0, reactionTotal: 0 }],
    ]);
  });

  it('never shows a count below zero', async () => {
    const store = new FakeReactionStore(
      undefined,
      new Map([['a', { commentCount: -1, reactionTotal: -4 }]]),
    );
    expect(await getCounts(store, ['a'])).toEqual([['a', { commentCount: 0, reactionTotal: 0 }]]);
  });
});
