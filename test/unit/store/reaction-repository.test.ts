import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  RateLimitedError,
  ServiceBusyError,
  VoteChangedError,
} from '../../../lambda/domain/errors';
import type { VoteChange } from '../../../lambda/domain/ports';
import { clientHash, rateCharges } from '../../../lambda/domain/rate-limit';
import { setReaction, visitorHash } from '../../../lambda/domain/reactions';
import { DEFAULT_SETTINGS, parseSettings } from '../../../lambda/domain/settings';
import { ReactionRepository } from '../../../lambda/store/reaction-repository';
import { FakeClock, fixedClock, hasher, NOW } from '../fakes';
import { chargeUpdate, expectRateLimited } from './rate-window-fixtures';
import { BUSY_FAILURES, conditionalCheckFailed, transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const ARTICLE = 'russia-north-korea-ties';
const HASH = 'h4sh0fTheV1s1torIdXyzA';
const NOW_ISO = new Date(NOW).toISOString();

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const repository = new ReactionRepository(client, TABLE, DEFAULT_SETTINGS);

const shardKey = (shard: number) => ({ PK: `REACTIONS#${ARTICLE}#${shard}`, SK: 'COUNTS' });
const voteKey = { PK: `VOTE#${HASH}`, SK: `ARTICLE#${ARTICLE}` };
/** The default settings have 16 shards, numbered 0 to 15. */
const ALL_SHARD_KEYS = Array.from({ length: 16 }, (_, shard) => shardKey(shard));

/** Placeholders of the default reaction keys: dashes are not allowed in `#name`. */
const REACTION_NAMES = {
  '#excited': 'excited',
  '#happy': 'happy',
  '#_696e2d6c6f7665': 'in-love',
  '#_6e6f742d73757265': 'not-sure',
  '#silly': 'silly',
};

beforeEach(() => {
  ddb.reset();
});

/** The visitor's vote on ARTICLE moving from `from` to `to`, counted in `shard`. */
const vote = (from: string | null, to: string | null, shard = 0): VoteChange => ({
  articleId: ARTICLE,
  visitorHash: HASH,
  shard,
  from,
  to,
});

/** A reader's `happy` on ARTICLE, as the route hands it to setReaction. */
const HAPPY_VOTE = {
  articleId: ARTICLE,
  visitorId: 'visitor-0123456789abcdef',
  reaction: 'happy',
  sourceIp: '198.51.100.23',
};

function batchInput(call = 0) {
  return ddb.commandCalls(BatchGetCommand)[call]?.args[0].input;
}

function transactInput(call = 0) {
  return ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('ReactionRepository.read', () => {
  it('reads all 16 counter shards and the vote in one eventually consistent BatchGet', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await repository.read(ARTICLE, HASH);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(batchInput()).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [...ALL_SHARD_KEYS, voteKey],
          ConsistentRead: false,
          ProjectionExpression:
            '#PK, #SK, #entity, #reaction, #excited, #happy, #_696e2d6c6f7665, #_6e6f742d73757265, #silly',
          ExpressionAttributeNames: {
            '#PK': 'PK',
            '#SK': 'SK',
            '#entity': 'entity',
            '#reaction': 'reaction',
            ...REACTION_NAMES,
          },
        },
      },
    });
  });

  it('reads only the shards when no visitor is named', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const sharded = new ReactionRepository(client, TABLE, parseSettings({ reactionShards: 3 }));
    await sharded.read(ARTICLE, undefined);
    expect(batchInput()?.RequestItems?.[TABLE]?.Keys).toEqual([
      shardKey(0),
      shardKey(1),
      shardKey(2),
    ]);
  });

  it('sums the shards, ignores unconfigured counters and finds the vote', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { ...shardKey(0), entity: 'ReactionCounts', happy: 2, 'in-love': 1, angry: 5 },
          { ...shardKey(1), entity: 'ReactionCounts', happy: 3 },
          { ...voteKey, entity: 'Vote', reaction: 'in-love' },
        ],
      },
    });
    const sharded = new ReactionRepository(client, TABLE, parseSettings({ reactionShards: 2 }));
    expect(await sharded.read(ARTICLE, HASH)).toEqual({
      counts: { happy: 5, 'in-love': 1 },
      mine: 'in-love',
    });
  });

  it('gives no counts and no vote for an unknown article', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    expect(await repository.read(ARTICLE, HASH)).toEqual({ counts: {}, mine: null });
  });

  it('asks again for the keys DynamoDB left unprocessed, and only those', async () => {
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ ...shardKey(0), entity: 'ReactionCounts', happy: 4 }] },
        UnprocessedKeys: { [TABLE]: { Keys: [voteKey] } },
      })
      .resolvesOnce({
        Responses: { [TABLE]: [{ ...voteKey, entity: 'Vote', reaction: 'happy' }] },
      });
    expect(await repository.read(ARTICLE, HASH)).toEqual({ counts: { happy: 4 }, mine: 'happy' });
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(batchInput(1)?.RequestItems?.[TABLE]).toEqual({
      ...batchInput(0)?.RequestItems?.[TABLE],
      Keys: [voteKey],
    });
  });

  it('gives ServiceBusyError after 4 attempts that leave keys unprocessed', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: [voteKey] } },
    });
    await expect(repository.read(ARTICLE, HASH)).rejects.toBeInstanceOf(ServiceBusyError);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 4);
  });

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(BatchGetCommand).rejects(failure());
    await expect(repository.read(ARTICLE, HASH)).rejects.toBeInstanceOf(ServiceBusyError);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
  });
});

describe('ReactionRepository.readForView', () => {
  const policy = { hotViewsPerSecond: 3, maxAgeMs: 1_000, maxArticles: 10 };
  const shardItem = { ...shardKey(0), entity: 'ReactionCounts', happy: 4 };
  const viewed = (clock: FakeClock) =>
    new ReactionRepository(client, TABLE, DEFAULT_SETTINGS, clock.read, policy);

  it('reads every shard for each view of an article that is not hot', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [shardItem] } });
    const clock = new FakeClock(NOW);
    const repository = viewed(clock);
    for (const _ of [1, 2]) await repository.readForView(ARTICLE, HASH);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(batchInput(1)?.RequestItems?.[TABLE]?.Keys).toEqual([...ALL_SHARD_KEYS, voteKey]);
  });

  it('answers a hot article from its copy, reading only the visitor’s vote, for up to a second', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [shardItem] } });
    const clock = new FakeClock(NOW);
    const repository = viewed(clock);
    for (const _ of [1, 2, 3]) await repository.readForView(ARTICLE, HASH);
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [{ ...voteKey, entity: 'Vote', reaction: 'happy' }] },
    });

    clock.advance(999);
    expect(await repository.readForView(ARTICLE, HASH)).toEqual({
      counts: { happy: 4 },
      mine: 'happy',
    });
    expect(batchInput()).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [voteKey],
          ConsistentRead: false,
          ProjectionExpression: '#reaction',
          ExpressionAttributeNames: { '#reaction': 'reaction' },
        },
      },
    });
    // Without a visitor there is nothing to read at all.
    expect(await repository.readForView(ARTICLE, undefined)).toEqual({
      counts: { happy: 4 },
      mine: null,
    });
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);

    clock.advance(1);
    await repository.readForView(ARTICLE, undefined);
    expect(batchInput(1)?.RequestItems?.[TABLE]?.Keys).toEqual(ALL_SHARD_KEYS);
  });

  it('never answers a vote from the copy: read always reads every shard', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [shardItem] } });
    const clock = new FakeClock(NOW);
    const repository = viewed(clock);
    for (const _ of [1, 2, 3]) await repository.readForView(ARTICLE, HASH);
    await repository.read(ARTICLE, HASH);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 4);
    expect(batchInput(3)?.RequestItems?.[TABLE]?.Keys).toEqual([...ALL_SHARD_KEYS, voteKey]);
  });
});

describe('ReactionRepository.change', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const shardValues = {
    ':entity': 'ReactionCounts',
    ':articleId': ARTICLE,
    ':shard': 0,
    ':now': NOW_ISO,
    ':one': 1,
  };
  const SHARD_SET =
    'SET entity = :entity, articleId = :articleId, #shard = :shard, updatedAt = :now';

  it('adds a first vote: the vote and its shard counter in one transaction, no total', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change(vote(null, 'in-love'));
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(transactInput()).toEqual({
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: {
              ...voteKey,
              entity: 'Vote',
              articleId: ARTICLE,
              reaction: 'in-love',
              updatedAt: NOW_ISO,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: shardKey(0),
            UpdateExpression: `ADD #_696e2d6c6f7665 :up, writes :one ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#_696e2d6c6f7665': 'in-love' },
            ExpressionAttributeValues: { ...shardValues, ':up': 1 },
          },
        },
      ],
    });
  });

  it('moves a vote only if it is still the one read, counting the shard’s write', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change(vote('happy', 'silly'));
    expect(transactInput()).toEqual({
      TransactItems: [
        {
          Update: {
            TableName: TABLE,
            Key: voteKey,
            UpdateExpression: 'SET reaction = :to, updatedAt = :now',
            ConditionExpression: 'reaction = :from',
            ExpressionAttributeValues: { ':from': 'happy', ':to': 'silly', ':now': NOW_ISO },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: shardKey(0),
            UpdateExpression: `ADD #silly :up, #happy :down, writes :one ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#silly': 'silly', '#happy': 'happy' },
            ExpressionAttributeValues: { ...shardValues, ':up': 1, ':down': -1 },
          },
        },
      ],
    });
  });

  it('removes a vote only if it is still the one read, without touching the total', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change(vote('happy', null));
    expect(transactInput()).toEqual({
      TransactItems: [
        {
          Delete: {
            TableName: TABLE,
            Key: voteKey,
            ConditionExpression: 'reaction = :from',
            ExpressionAttributeValues: { ':from': 'happy' },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: shardKey(0),
            UpdateExpression: `ADD #happy :down, writes :one ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#happy': 'happy' },
            ExpressionAttributeValues: { ...shardValues, ':down': -1 },
          },
        },
      ],
    });
  });

  it('writes to the shard it is given', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change(vote(null, 'happy', 5));
    expect(transactInput()?.TransactItems?.[1]?.Update).toMatchObject({
      Key: shardKey(5),
      ExpressionAttributeValues: { ':shard': 5 },
    });
  });

  it('gives VoteChangedError when the vote condition fails, and writes nothing more', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));
    await expect(repository.change(vote(null, 'happy'))).rejects.toBeInstanceOf(VoteChangedError);
    expect(ddb.calls()).toHaveLength(1);
  });

  it('gives VoteChangedError for a transaction conflict, so the vote is re-read and retried', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'TransactionConflict'));
    await expect(repository.change(vote('happy', 'silly'))).rejects.toBeInstanceOf(
      VoteChangedError,
    );
    expect(ddb.calls()).toHaveLength(1);
  });

  it.each(BUSY_FAILURES.filter(([name]) => name !== 'a transaction conflict'))(
    'gives ServiceBusyError for %s, and writes nothing more',
    async (_case, failure) => {
      ddb.on(TransactWriteCommand).rejects(failure());
      await expect(repository.change(vote('happy', 'silly'))).rejects.toBeInstanceOf(
        ServiceBusyError,
      );
      expect(ddb.calls()).toHaveLength(1);
    },
  );
});

describe('ReactionRepository.change with rate-limit charges', () => {
  const CLIENT = 'cl1entHash0123456789ab';
  const clock = new FakeClock();
  const limited = new ReactionRepository(client, TABLE, DEFAULT_SETTINGS, clock.read);
  const charges = rateCharges(DEFAULT_SETTINGS.rateLimits, 'reaction', CLIENT, NOW);
  const change = {
    articleId: ARTICLE,
    visitorHash: HASH,
    shard: 0,
    from: 'happy',
    to: 'silly',
  } as const;

  beforeEach(() => {
    clock.now = NOW;
  });

  it('charges the windows first, in the vote’s own transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await limited.change(change, charges);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transactInput()?.TransactItems ?? [];
    expect(items.slice(0, 2)).toEqual([
      chargeUpdate(
        'reaction',
        CLIENT,
        'minute',
        '2026-11-26T21:19:00.000Z',
        30,
        '2026-11-26T21:20:00.000Z',
      ),
      chargeUpdate(
        'reaction',
        CLIENT,
        'hour',
        '2026-11-26T21:00:00.000Z',
        300,
        '2026-11-26T22:00:00.000Z',
      ),
    ]);
    expect(items[2]?.Update).toMatchObject({
      Key: voteKey,
      ConditionExpression: 'reaction = :from',
    });
    expect(items).toHaveLength(4);
  });

  it.each([
    ['the minute window', ['ConditionalCheckFailed', 'None'], 40],
    ['the hour window', ['None', 'ConditionalCheckFailed'], 41 * 60 - 20],
  ])(
    'gives RateLimitedError when %s refuses, with the seconds until it ends',
    async (_case, windows, retryAfter) => {
      clock.now = NOW + 20_000;
      ddb.on(TransactWriteCommand).rejects(transactionCanceled(...windows, 'None', 'None'));
      await expectRateLimited(limited.change(change, charges), retryAfter);
      expect(ddb.calls()).toHaveLength(1);
    },
  );

  it('gives VoteChangedError when the vote condition after the windows fails', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed', 'None'));
    await expect(limited.change(change, charges)).rejects.toBeInstanceOf(VoteChangedError);
  });

  it('is not retried by setReaction when rate limited', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'));
    await expect(
      setReaction(
        { store: limited, hasher, settings: DEFAULT_SETTINGS, clock: clock.read },
        HAPPY_VOTE,
      ),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });
});

describe('setReaction on the repository', () => {
  it('re-reads and retries a conflicting vote, then gives ServiceBusyError after 5 attempts', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    // The two rate windows come first; the vote's condition is the third item.
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed', 'None', 'None'));
    const deps = { store: repository, hasher, settings: DEFAULT_SETTINGS, clock: fixedClock };
    await expect(setReaction(deps, HAPPY_VOTE)).rejects.toBeInstanceOf(ServiceBusyError);
    // One read of counts and vote, then a consistent read of the vote after each conflict.
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 6);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
    const voteChecks = ddb
      .commandCalls(BatchGetCommand)
      .slice(1)
      .map((call) => Object.values(call.args[0].input.RequestItems ?? {})[0]);
    for (const request of voteChecks) {
      expect(request?.ConsistentRead).toBe(true);
      expect(request?.Keys).toHaveLength(1);
    }
  });

  it('stores only the keyed hash of the visitor id', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).resolves({});
    const { visitorId } = HAPPY_VOTE;
    await setReaction(
      { store: repository, hasher, settings: DEFAULT_SETTINGS, clock: fixedClock },
      HAPPY_VOTE,
    );
    const sent = JSON.stringify(ddb.calls().map((call) => call.args[0].input));
    expect(sent).not.toContain(visitorId);
    expect(sent).toContain(`VOTE#${visitorHash(hasher, visitorId)}`);
    expect(sent).not.toContain('198.51.100.23');
    expect(sent).toContain(`CLIENT#${clientHash(hasher, '198.51.100.23')}`);
  });
});

describe('ReactionRepository.counts', () => {
  it('reads the count items of the articles in one BatchGet', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await repository.counts(['a', 'b']);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(batchInput()).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [
            { PK: 'ARTICLE#a', SK: 'COMMENT#!COUNT' },
            { PK: 'ARTICLE#b', SK: 'COMMENT#!COUNT' },
          ],
          ProjectionExpression: '#articleId, #commentCount, #reactionTotal',
          ExpressionAttributeNames: {
            '#articleId': 'articleId',
            '#commentCount': 'commentCount',
            '#reactionTotal': 'reactionTotal',
          },
        },
      },
    });
  });

  it('maps the items it finds, with zeros for absent counters', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { articleId: 'a', commentCount: 3, reactionTotal: 7 },
          { articleId: 'b', commentCount: 1 },
        ],
      },
    });
    expect(await repository.counts(['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', { commentCount: 3, reactionTotal: 7 }],
        ['b', { commentCount: 1, reactionTotal: 0 }],
      ]),
    );
  });

  it('sends nothing for no articles', async () => {
    expect(await repository.counts([])).toEqual(new Map());
    expect(ddb.calls()).toHaveLength(0);
  });

  it('gives ServiceBusyError when keys stay unprocessed', async () => {
    ddb.on(BatchGetCommand).resolves({
      UnprocessedKeys: { [TABLE]: { Keys: [{ PK: 'ARTICLE#a', SK: 'COMMENT#!COUNT' }] } },
    });
    await expect(repository.counts(['a'])).rejects.toBeInstanceOf(ServiceBusyError);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 4);
  });
});

describe('ReactionRepository.tally', () => {
  const clock = new FakeClock();
  const tallying = new ReactionRepository(client, TABLE, DEFAULT_SETTINGS, clock.read);
  /** That the tally gives up as busy, for the stream to deliver the batch again. */
  const expectBusyTally = () =>
    expect(tallying.tally(ARTICLE)).rejects.toBeInstanceOf(ServiceBusyError);
  const statsKey = { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT' };
  const counts = (shard: number, fields: Record<string, number>) => ({
    ...shardKey(shard),
    ...fields,
  });

  const shardsRead = (shardKeys = ALL_SHARD_KEYS) => ({
    RequestItems: {
      [TABLE]: {
        Keys: shardKeys,
        ConsistentRead: true,
        ProjectionExpression:
          '#writes, #excited, #happy, #_696e2d6c6f7665, #_6e6f742d73757265, #silly',
        ExpressionAttributeNames: { '#writes': 'writes', ...REACTION_NAMES },
      },
    },
  });

  const ZERO = { excited: 0, happy: 0, 'in-love': 0, 'not-sure': 0, silly: 0 };

  /** The conditional update of one stats item: head (oldest first) or tail (newest first). */
  const tallyUpdate = (
    SK: 'COMMENT#!COUNT' | 'COMMENT#~COUNT',
    counts: Partial<typeof ZERO>,
    writes: number,
    now = NOW_ISO,
  ) => {
    const all = { ...ZERO, ...counts };
    // The head also lists the article in the index `articles`.
    const head = SK === 'COMMENT#!COUNT';
    return {
      TableName: TABLE,
      Key: { ...statsKey, SK },
      UpdateExpression: `SET reactionTotal = :total, reactionCounts = :counts, reactionWrites = :writes, entity = :entity, articleId = :articleId, updatedAt = :now${head ? ', articleList = :articleList' : ''}`,
      ConditionExpression: 'attribute_not_exists(reactionWrites) OR reactionWrites < :writes',
      ExpressionAttributeValues: {
        ':total': Object.values(all).reduce((sum, count) => sum + count, 0),
        ':counts': all,
        ':writes': writes,
        ':entity': 'ArticleStats',
        ':articleId': ARTICLE,
        ':now': now,
        ...(head ? { ':articleList': 'ARTICLE' } : {}),
      },
    };
  };

  /** Both stats items get the same tally, each under its own condition. */
  const expectTally = (counts: Partial<typeof ZERO>, writes: number, now = NOW_ISO) => {
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(
      UpdateCommand,
      tallyUpdate('COMMENT#!COUNT', counts, writes, now),
    );
    expect(ddb).toHaveReceivedCommandWith(
      UpdateCommand,
      tallyUpdate('COMMENT#~COUNT', counts, writes, now),
    );
  };

  beforeEach(() => {
    clock.now = NOW;
  });

  it('reads all 16 shards consistently in one BatchGet, then stores each reaction, their sum and the write count on both stats items', async () => {
    clock.now = NOW + 5_000;
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          counts(0, { writes: 9, happy: 3, 'in-love': 2 }),
          counts(7, { writes: 4, happy: 1, silly: 1, excited: -1 }),
          counts(15, { writes: 12, 'not-sure': 4, excited: 2 }),
        ],
      },
    });
    ddb.on(UpdateCommand).resolves({});
    await tallying.tally(ARTICLE);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(batchInput()).toEqual(shardsRead());
    // 3 + 2 + 1 + 1 - 1 + 4 + 2 reactions from 9 + 4 + 12 writes.
    expectTally(
      { excited: 1, happy: 4, 'in-love': 2, 'not-sure': 4, silly: 1 },
      25,
      new Date(NOW + 5_000).toISOString(),
    );
    expect(ddb.calls()).toHaveLength(3);
  });

  it('reads as many shards as configured', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(UpdateCommand).resolves({});
    const sharded = new ReactionRepository(client, TABLE, parseSettings({ reactionShards: 3 }));
    await sharded.tally(ARTICLE);
    expect(batchInput()).toEqual(shardsRead([shardKey(0), shardKey(1), shardKey(2)]));
  });

  it('counts only configured reactions, and shards written before they counted writes as 0 writes', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [counts(0, { happy: 5, angry: 7 }), counts(1, { writes: 2, silly: 2 })],
      },
    });
    ddb.on(UpdateCommand).resolves({});
    await tallying.tally(ARTICLE);
    expectTally({ happy: 5, silly: 2 }, 2);
  });

  it('stores every reaction at 0 and 0 writes for an article without shards', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(UpdateCommand).resolves({});
    await tallying.tally(ARTICLE);
    expectTally({}, 0);
  });

  it('never stores a reaction below zero, and the total is the sum of what is stored', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [counts(0, { writes: 3, happy: -4 }), counts(1, { silly: 1 })] },
    });
    ddb.on(UpdateCommand).resolves({});
    await tallying.tally(ARTICLE);
    expectTally({ silly: 1 }, 3);
  });

  it('does nothing more when a tally of as many writes is already stored', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [counts(0, { writes: 3, happy: 3 })] },
    });
    ddb.on(UpdateCommand).rejects(conditionalCheckFailed());
    await expect(tallying.tally(ARTICLE)).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb.calls()).toHaveLength(3);
  });

  it('still stores on one stats item when the other already holds a newer tally', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [counts(0, { writes: 3, happy: 3 })] },
    });
    ddb.on(UpdateCommand).resolves({});
    ddb
      .on(UpdateCommand, { Key: { ...statsKey, SK: 'COMMENT#!COUNT' } })
      .rejects(conditionalCheckFailed());
    await expect(tallying.tally(ARTICLE)).resolves.toBeUndefined();
    expectTally({ happy: 3 }, 3);
  });

  it('asks again for the shards DynamoDB left unprocessed, and sums every shard once', async () => {
    const first = ALL_SHARD_KEYS.slice(0, 10);
    const rest = ALL_SHARD_KEYS.slice(10);
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: first.map((key) => ({ ...key, writes: 2, happy: 1 })) },
        UnprocessedKeys: { [TABLE]: { Keys: rest } },
      })
      .resolvesOnce({
        Responses: { [TABLE]: rest.map((key) => ({ ...key, writes: 3, silly: 2 })) },
      });
    ddb.on(UpdateCommand).resolves({});
    await tallying.tally(ARTICLE);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(batchInput(0)).toEqual(shardsRead());
    expect(batchInput(1)).toEqual(shardsRead(rest));
    // 10 shards of 1 happy and 2 writes, 6 of 2 silly and 3 writes.
    expectTally({ happy: 10, silly: 12 }, 20 + 18);
  });

  it('gives ServiceBusyError, and stores nothing, when shards stay unprocessed after 4 attempts', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: { Keys: [shardKey(3)] } },
    });
    await expectBusyTally();
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 4);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it.each(BUSY_FAILURES.slice(0, 4))(
    'gives ServiceBusyError for %s on the read, and stores nothing',
    async (_case, failure) => {
      ddb.on(BatchGetCommand).rejects(failure());
      await expectBusyTally();
      expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
      expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
    },
  );

  it.each(BUSY_FAILURES.slice(0, 4))(
    'gives ServiceBusyError for %s on the write',
    async (_case, failure) => {
      ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
      ddb.on(UpdateCommand).rejects(failure());
      await expectBusyTally();
      expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    },
  );

  it('passes on other failures of the write unchanged', async () => {
    const missing = new ResourceNotFoundException({ message: 'no table', $metadata: {} });
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(UpdateCommand).rejects(missing);
    await expect(tallying.tally(ARTICLE)).rejects.toBe(missing);
  });
});
