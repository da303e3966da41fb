import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  RateLimitedError,
  ServiceBusyError,
  VoteChangedError,
} from '../../../lambda/domain/errors';
import { clientHash, rateCharges } from '../../../lambda/domain/rate-limit';
import { setReaction, visitorHash } from '../../../lambda/domain/reactions';
import { DEFAULT_SETTINGS, parseSettings } from '../../../lambda/domain/settings';
import { ReactionRepository } from '../../../lambda/store/reaction-repository';
import { FakeClock, fixedClock, hasher, NOW } from '../fakes';
import { BUSY_FAILURES, transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const ARTICLE = 'russia-north-korea-ties';
const HASH = 'h4sh0fTheV1s1torIdXyzA';
const NOW_ISO = new Date(NOW).toISOString();

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const repository = new ReactionRepository(client, TABLE, DEFAULT_SETTINGS);

const shardKey = (shard: number) => ({ PK: `REACTIONS#${ARTICLE}#${shard}`, SK: 'COUNTS' });
const voteKey = { PK: `VOTE#${HASH}`, SK: `ARTICLE#${ARTICLE}` };

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

function batchInput(call = 0) {
  return ddb.commandCalls(BatchGetCommand)[call]?.args[0].input;
}

function transactInput(call = 0) {
  return ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('ReactionRepository.read', () => {
  it('reads every counter shard and the vote in one consistent BatchGet', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await repository.read(ARTICLE, HASH);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(batchInput()).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [shardKey(0), voteKey],
          ConsistentRead: true,
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

describe('ReactionRepository.change', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const statsUpdate = (delta: number) => ({
    Update: {
      TableName: TABLE,
      Key: { PK: `ARTICLE#${ARTICLE}`, SK: 'COMMENT#!COUNT' },
      UpdateExpression:
        'ADD reactionTotal :delta SET entity = :entity, articleId = :articleId, updatedAt = :now',
      ExpressionAttributeValues: {
        ':delta': delta,
        ':entity': 'ArticleStats',
        ':articleId': ARTICLE,
        ':now': NOW_ISO,
      },
    },
  });

  const shardValues = {
    ':entity': 'ReactionCounts',
    ':articleId': ARTICLE,
    ':shard': 0,
    ':now': NOW_ISO,
  };
  const SHARD_SET =
    'SET entity = :entity, articleId = :articleId, #shard = :shard, updatedAt = :now';

  it('adds a first vote: vote, shard counter and total in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change({
      articleId: ARTICLE,
      visitorHash: HASH,
      shard: 0,
      from: null,
      to: 'in-love',
    });
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
            UpdateExpression: `ADD #_696e2d6c6f7665 :up ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#_696e2d6c6f7665': 'in-love' },
            ExpressionAttributeValues: { ...shardValues, ':up': 1 },
          },
        },
        statsUpdate(1),
      ],
    });
  });

  it('moves a vote only if it is still the one read, without touching the total', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change({
      articleId: ARTICLE,
      visitorHash: HASH,
      shard: 0,
      from: 'happy',
      to: 'silly',
    });
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
            UpdateExpression: `ADD #silly :up, #happy :down ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#silly': 'silly', '#happy': 'happy' },
            ExpressionAttributeValues: { ...shardValues, ':up': 1, ':down': -1 },
          },
        },
      ],
    });
  });

  it('removes a vote only if it is still the one read, and lowers the total', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change({
      articleId: ARTICLE,
      visitorHash: HASH,
      shard: 0,
      from: 'happy',
      to: null,
    });
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
            UpdateExpression: `ADD #happy :down ${SHARD_SET}`,
            ExpressionAttributeNames: { '#shard': 'shard', '#happy': 'happy' },
            ExpressionAttributeValues: { ...shardValues, ':down': -1 },
          },
        },
        statsUpdate(-1),
      ],
    });
  });

  it('writes to the shard it is given', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.change({
      articleId: ARTICLE,
      visitorHash: HASH,
      shard: 5,
      from: null,
      to: 'happy',
    });
    expect(transactInput()?.TransactItems?.[1]?.Update).toMatchObject({
      Key: shardKey(5),
      ExpressionAttributeValues: { ':shard': 5 },
    });
  });

  it('gives VoteChangedError when the vote condition fails, and writes nothing more', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));
    await expect(
      repository.change({
        articleId: ARTICLE,
        visitorHash: HASH,
        shard: 0,
        from: null,
        to: 'happy',
      }),
    ).rejects.toBeInstanceOf(VoteChangedError);
    expect(ddb.calls()).toHaveLength(1);
  });

  it('gives VoteChangedError for a transaction conflict, so the vote is re-read and retried', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('None', 'TransactionConflict'));
    await expect(
      repository.change({
        articleId: ARTICLE,
        visitorHash: HASH,
        shard: 0,
        from: 'happy',
        to: 'silly',
      }),
    ).rejects.toBeInstanceOf(VoteChangedError);
    expect(ddb.calls()).toHaveLength(1);
  });

  it.each(BUSY_FAILURES.filter(([name]) => name !== 'a transaction conflict'))(
    'gives ServiceBusyError for %s, and writes nothing more',
    async (_case, failure) => {
      ddb.on(TransactWriteCommand).rejects(failure());
      await expect(
        repository.change({
          articleId: ARTICLE,
          visitorHash: HASH,
          shard: 0,
          from: 'happy',
          to: 'silly',
        }),
      ).rejects.toBeInstanceOf(ServiceBusyError);
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

  const chargeUpdate = (window: string, start: string, limit: number, end: string) => ({
    Update: {
      TableName: TABLE,
      Key: { PK: `CLIENT#${CLIENT}`, SK: `RATE#reaction#${window}#${start}` },
      UpdateExpression: 'ADD requests :one SET entity = :entity, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': limit,
        ':entity': 'RateWindow',
        ':expiresAt': Date.parse(end) / 1000 + 60,
      },
    },
  });

  beforeEach(() => {
    clock.now = NOW;
  });

  it('charges the windows first, in the vote’s own transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await limited.change(change, charges);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transactInput()?.TransactItems ?? [];
    expect(items.slice(0, 2)).toEqual([
      chargeUpdate('minute', '2026-11-26T21:19:00.000Z', 30, '2026-11-26T21:20:00.000Z'),
      chargeUpdate('hour', '2026-11-26T21:00:00.000Z', 300, '2026-11-26T22:00:00.000Z'),
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
      const failure = limited.change(change, charges);
      await expect(failure).rejects.toBeInstanceOf(RateLimitedError);
      await expect(failure).rejects.toMatchObject({ retryAfterSeconds: retryAfter });
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
        {
          articleId: ARTICLE,
          visitorId: 'visitor-0123456789abcdef',
          reaction: 'happy',
          sourceIp: '198.51.100.23',
        },
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
    await expect(
      setReaction(deps, {
        articleId: ARTICLE,
        visitorId: 'visitor-0123456789abcdef',
        reaction: 'happy',
        sourceIp: '198.51.100.23',
      }),
    ).rejects.toBeInstanceOf(ServiceBusyError);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 5);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 5);
  });

  it('stores only the keyed hash of the visitor id', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(TransactWriteCommand).resolves({});
    const visitorId = 'visitor-0123456789abcdef';
    await setReaction(
      { store: repository, hasher, settings: DEFAULT_SETTINGS, clock: fixedClock },
      { articleId: ARTICLE, visitorId, reaction: 'happy', sourceIp: '198.51.100.23' },
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
