import { RateLimitedError, VoteChangedError } from '../../lambda/domain/errors';
import { rateCharges } from '../../lambda/domain/rate-limit';
import {
  getReactions,
  type ReactionDeps,
  setReaction,
  shardOf,
  visitorHash,
} from '../../lambda/domain/reactions';
import type { Settings } from '../../lambda/domain/settings';
import { ReactionRepository } from '../../lambda/store/reaction-repository';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { interceptedClient, type SentCommand } from '../support/reaction-items';

// Seeding makes many sequential requests to one shared local engine, which can outlast Jest's
// 5 s default under load (the project's testTimeout in jest.config.js does not reach tests).
jest.setTimeout(30_000);

let table: TestTable;
let deps: ReactionDeps;
let repository: ReactionRepository;

const ZERO = { excited: 0, happy: 0, 'in-love': 0, 'not-sure': 0, silly: 0 };

/** One visitor's vote through the domain, from one test address (rate limits are out of the way). */
function vote(on: ReactionDeps, articleId: string, visitorId: string, reaction: string | null) {
  return setReaction(on, { articleId, visitorId, reaction, sourceIp: '192.0.2.10' });
}

function visitor(n: number): string {
  return `visitor-${String(n).padStart(12, '0')}`;
}

/** The article's items as stored: counter shards, the stats item and the votes. */
async function articleItems(articleId: string) {
  const items = await table.scanAll();
  return {
    shards: items.filter(
      (item) => item.entity === 'ReactionCounts' && item.articleId === articleId,
    ),
    stats: items.find((item) => item.PK === `ARTICLE#${articleId}` && item.SK === 'COMMENT#!COUNT'),
    votes: items.filter((item) => item.entity === 'Vote' && item.articleId === articleId),
  };
}

beforeAll(async () => {
  table = await createTestTable('reaction-repo');
  // One counter shard, whatever the default: these tests read shard 0 directly.
  const runtime = table.runtime({ TALKBACK_SETTINGS: '{"reactionShards":1}' });
  repository = new ReactionRepository(table.documentClient, table.tableName, runtime.settings);
  deps = {
    store: repository,
    hasher: runtime.hasher,
    settings: runtime.settings,
    clock: runtime.clock,
  };
});
afterAll(async () => table.drop());

describe('setReaction on the ReactionRepository', () => {
  it('counts a first vote in the visitor’s shard and the vote item; the total waits for a tally', async () => {
    const view = await vote(deps, 'first-vote', visitor(1), 'happy');
    expect(view).toEqual({
      articleId: 'first-vote',
      counts: { ...ZERO, happy: 1 },
      total: 1,
      mine: 'happy',
    });
    const { shards, stats, votes } = await articleItems('first-vote');
    expect(shards).toEqual([
      expect.objectContaining({ PK: 'REACTIONS#first-vote#0', SK: 'COUNTS', happy: 1, writes: 1 }),
    ]);
    expect(votes).toEqual([
      expect.objectContaining({
        PK: `VOTE#${visitorHash(deps.hasher, visitor(1))}`,
        SK: 'ARTICLE#first-vote',
        reaction: 'happy',
      }),
    ]);
    // The vote's transaction left the article's count item alone: the stream's tally writes it.
    expect(stats).toBeUndefined();
    await repository.tally('first-vote');
    expect((await articleItems('first-vote')).stats).toMatchObject({
      entity: 'ArticleStats',
      articleId: 'first-vote',
      reactionTotal: 1,
      reactionWrites: 1,
    });
  });

  it('writes the vote and its counter shard in one transaction, and nothing else', async () => {
    const sent: SentCommand[] = [];
    const recorded = new ReactionRepository(
      interceptedClient(table.documentClient, (command) => {
        sent.push(command);
      }),
      table.tableName,
      deps.settings,
    );
    const hash = visitorHash(deps.hasher, visitor(1));
    await recorded.change({
      articleId: 'one-tx',
      visitorHash: hash,
      shard: 0,
      from: null,
      to: 'happy',
    });
    await recorded.change({
      articleId: 'one-tx',
      visitorHash: hash,
      shard: 0,
      from: 'happy',
      to: 'silly',
    });
    await recorded.change({
      articleId: 'one-tx',
      visitorHash: hash,
      shard: 0,
      from: 'silly',
      to: null,
    });
    expect(sent.map((command) => command.name)).toEqual(Array(3).fill('TransactWriteCommand'));
    for (const command of sent) {
      const items = command.input.TransactItems as Record<
        string,
        { Key?: unknown; Item?: Record<string, unknown> }
      >[];
      const written = items.map((item) => {
        const [action] = Object.values(item);
        const key = (action?.Key ?? action?.Item) as { PK: string; SK: string };
        return `${key.PK} ${key.SK}`;
      });
      expect(written).toEqual([`VOTE#${hash} ARTICLE#one-tx`, 'REACTIONS#one-tx#0 COUNTS']);
    }
    const { shards, stats, votes } = await articleItems('one-tx');
    expect(shards).toEqual([expect.objectContaining({ happy: 0, silly: 0, writes: 3 })]);
    expect(votes).toEqual([]);
    expect(stats).toBeUndefined();
  });

  it('moves the vote when the visitor switches, keeping the total', async () => {
    await vote(deps, 'switch', visitor(1), 'happy');
    await vote(deps, 'switch', visitor(2), 'happy');
    const view = await vote(deps, 'switch', visitor(1), 'silly');
    expect(view).toMatchObject({
      counts: { ...ZERO, happy: 1, silly: 1 },
      total: 2,
      mine: 'silly',
    });
    expect(await getReactions(deps, 'switch', visitor(1))).toEqual(view);
    const { shards, stats } = await articleItems('switch');
    expect(shards[0]).toMatchObject({ happy: 1, silly: 1, writes: 3 });
    expect(stats).toBeUndefined();
    await repository.tally('switch');
    expect((await articleItems('switch')).stats).toMatchObject({
      reactionTotal: 2,
      reactionWrites: 3,
    });
  });

  it('changes nothing when the visitor chooses the same reaction again', async () => {
    await vote(deps, 'same-again', visitor(1), 'in-love');
    const before = await table.scanAll();
    const view = await vote(deps, 'same-again', visitor(1), 'in-love');
    expect(view).toMatchObject({ counts: { ...ZERO, 'in-love': 1 }, total: 1, mine: 'in-love' });
    expect(await table.scanAll()).toEqual(before);
  });

  it('removes the vote and its count when the visitor withdraws it', async () => {
    await vote(deps, 'withdraw', visitor(1), 'not-sure');
    await vote(deps, 'withdraw', visitor(2), 'excited');
    const view = await vote(deps, 'withdraw', visitor(1), null);
    expect(view).toEqual({
      articleId: 'withdraw',
      counts: { ...ZERO, excited: 1 },
      total: 1,
      mine: null,
    });
    const { shards, stats, votes } = await articleItems('withdraw');
    expect(votes.map((vote) => vote.reaction)).toEqual(['excited']);
    expect(shards[0]).toMatchObject({ 'not-sure': 0, excited: 1, writes: 3 });
    expect(stats).toBeUndefined();
    await repository.tally('withdraw');
    expect((await articleItems('withdraw')).stats).toMatchObject({
      reactionTotal: 1,
      reactionWrites: 3,
    });
  });

  it('changes nothing when a visitor without a vote withdraws', async () => {
    await vote(deps, 'withdraw-none', visitor(2), 'happy');
    const before = await table.scanAll();
    const view = await vote(deps, 'withdraw-none', visitor(1), null);
    expect(view).toMatchObject({ total: 1, mine: null });
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('ReactionRepository.change', () => {
  it.each<[string, string | null, string | null]>([
    ['a first vote when a vote exists', null, 'silly'],
    ['a switch from a reaction the visitor no longer has', 'excited', 'silly'],
    ['a withdrawal of a reaction the visitor no longer has', 'excited', null],
  ])('refuses %s with VoteChangedError and changes nothing', async (_, from, to) => {
    const articleId = `stale-${from}-${to}`;
    await vote(deps, articleId, visitor(1), 'happy');
    const hash = visitorHash(deps.hasher, visitor(1));
    const before = await table.scanAll();
    await expect(
      repository.change({ articleId, visitorHash: hash, shard: 0, from, to }),
    ).rejects.toBeInstanceOf(VoteChangedError);
    expect(await table.scanAll()).toEqual(before);
  });

  it('refuses a switch of a vote that does not exist with VoteChangedError', async () => {
    const hash = visitorHash(deps.hasher, visitor(9));
    const before = await table.scanAll();
    await expect(
      repository.change({
        articleId: 'no-vote',
        visitorHash: hash,
        shard: 0,
        from: 'happy',
        to: 'silly',
      }),
    ).rejects.toBeInstanceOf(VoteChangedError);
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('ReactionRepository.change with rate-limit windows', () => {
  it('refuses a change over the limit with RateLimitedError and changes nothing', async () => {
    const limits = { ...deps.settings.rateLimits, reactionsPerHour: 1 };
    const at = Date.parse('2031-03-14T09:30:00.000Z');
    const charges = () => rateCharges(limits, 'reaction', 'client-hash-r', at);
    const hash = (n: number) => visitorHash(deps.hasher, visitor(n));
    await repository.change(
      { articleId: 'rated', visitorHash: hash(1), shard: 0, from: null, to: 'happy' },
      charges(),
    );
    const before = await table.scanAll();
    expect(
      before.find((item) => item.SK === 'RATE#reaction#hour#2031-03-14T09:00:00.000Z'),
    ).toMatchObject({
      PK: 'CLIENT#client-hash-r',
      requests: 1,
    });
    await expect(
      repository.change(
        { articleId: 'rated', visitorHash: hash(2), shard: 0, from: null, to: 'happy' },
        charges(),
      ),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('ReactionRepository with sharded counters', () => {
  const voters = 40;
  let sharded: ReactionDeps & { store: ReactionRepository };
  let settings: Settings;

  beforeAll(async () => {
    const runtime = table.runtime({ TALKBACK_SETTINGS: '{"reactionShards":4}' });
    settings = runtime.settings;
    sharded = {
      store: new ReactionRepository(table.documentClient, table.tableName, settings),
      hasher: runtime.hasher,
      settings,
      clock: runtime.clock,
    };
    for (let n = 0; n < voters; n++) {
      await vote(sharded, 'sharded', visitor(n), n % 2 === 0 ? 'happy' : 'excited');
    }
  });

  it('spreads the votes over several counter shards, each in the visitor’s own shard', async () => {
    expect(settings.reactionShards).toBe(4);
    const { shards } = await articleItems('sharded');
    expect(shards.length).toBeGreaterThan(1);
    const expectedShards = new Set(
      Array.from({ length: voters }, (_, n) => shardOf(visitorHash(sharded.hasher, visitor(n)), 4)),
    );
    expect(new Set(shards.map((shard) => shard.shard))).toEqual(expectedShards);
  });

  it('sums the counts over every shard', async () => {
    const view = await getReactions(sharded, 'sharded', visitor(3));
    expect(view).toEqual({
      articleId: 'sharded',
      counts: { ...ZERO, happy: voters / 2, excited: voters / 2 },
      total: voters,
      mine: 'excited',
    });
  });

  it('tallies the article total from every shard', async () => {
    const { shards, stats } = await articleItems('sharded');
    expect(stats).toBeUndefined();
    await sharded.store.tally('sharded');
    expect((await articleItems('sharded')).stats).toMatchObject({
      reactionTotal: voters,
      reactionWrites: voters,
    });
    expect(shards.reduce((sum, shard) => sum + Number(shard.writes), 0)).toBe(voters);
    expect((await repository.counts(['sharded'])).get('sharded')).toEqual({
      commentCount: 0,
      reactionTotal: voters,
    });
  });

  it('moves a vote within its shard and keeps the summed counts exact', async () => {
    for (let n = 0; n < 8; n++) await vote(sharded, 'sharded-switch', visitor(n), 'happy');
    const hash = visitorHash(sharded.hasher, visitor(5));
    await vote(sharded, 'sharded-switch', visitor(5), 'silly');

    const view = await getReactions(sharded, 'sharded-switch', undefined);
    expect(view.counts).toEqual({ ...ZERO, happy: 7, silly: 1 });
    expect(view.total).toBe(8);
    const { shards } = await articleItems('sharded-switch');
    const own = shards.find((shard) => shard.shard === shardOf(hash, 4));
    expect(own).toMatchObject({ silly: 1 });
  });
});

describe('ReactionRepository privacy', () => {
  it('stores only a keyed hash of the visitorId, never the visitorId itself', async () => {
    const secretVisitor = 'Plain-Visitor-Id-0123456789';
    await vote(deps, 'privacy', secretVisitor, 'happy');
    await vote(deps, 'privacy', secretVisitor, 'silly');
    const raw = JSON.stringify(await table.scanAll());
    expect(raw).not.toContain(secretVisitor);
    expect(raw.toLowerCase()).not.toContain(secretVisitor.toLowerCase());
    expect(raw).toContain(`VOTE#${visitorHash(deps.hasher, secretVisitor)}`);
  });
});

describe('ReactionRepository.counts', () => {
  it('reads the comment and tallied reaction totals of many articles at once', async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `counted-${n}`);
    for (const [n, id] of ids.entries()) {
      for (let v = 0; v < n % 4; v++) await vote(deps, id, visitor(v), 'happy');
    }
    const unknown = Array.from({ length: 70 }, (_, n) => `never-seen-${n}`);
    const withVotes = ids.filter((_, n) => n % 4 > 0);
    // Votes alone give /counts nothing to read: the totals are the tally's.
    expect((await repository.counts([...ids, ...unknown])).size).toBe(0);
    // What the stream does: one tally per article whose votes changed.
    for (const id of withVotes) await repository.tally(id);
    const counts = await repository.counts([...ids, ...unknown]);
    expect([...counts.keys()].sort()).toEqual([...withVotes].sort());
    for (const [n, id] of ids.entries()) {
      if (n % 4 > 0) expect(counts.get(id)).toEqual({ commentCount: 0, reactionTotal: n % 4 });
    }
  });

  it('answers an empty list with no counts', async () => {
    expect((await repository.counts([])).size).toBe(0);
  });
});
