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
import { rateCharges } from '../../../lambda/domain/rate-limit';
import { DEFAULT_RATE_LIMITS } from '../../../lambda/domain/settings';
import { LikeRepository } from '../../../lambda/store/like-repository';
import { provisionedThroughputExceeded, transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const NOW = Date.parse('2026-12-08T10:00:30.000Z');
const COMMENT = '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C';
const VOTER = 'v0terHash0123456789abc';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new LikeRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE, () => NOW);

const READ_PROJECTION = {
  ProjectionExpression: '#PK, #SK, #entity, #published, #likes',
  ExpressionAttributeNames: {
    '#PK': 'PK',
    '#SK': 'SK',
    '#entity': 'entity',
    '#published': 'published',
    '#likes': 'likes',
  },
};
const shardKeys = Array.from({ length: 8 }, (_, n) => ({
  PK: `LIKES#${COMMENT}#${n}`,
  SK: 'COUNTS',
}));
const LIKE_KEY = { PK: `LIKE#${VOTER}`, SK: `LIKED#${COMMENT}` };
const charges = rateCharges(DEFAULT_RATE_LIMITS, 'like', 'cl1ent', NOW);

beforeEach(() => dynamo.reset());

describe('LikeRepository.read', () => {
  it("reads the signals item, the voter's like and every shard in one eventually consistent batch", async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { PK: `SIGNALS#${COMMENT}`, SK: 'COMMENT', entity: 'CommentSignals', published: true },
          { ...LIKE_KEY, entity: 'Like' },
          { ...shardKeys[0], entity: 'LikeCounts', likes: 3 },
          { ...shardKeys[5], entity: 'LikeCounts', likes: 4 },
        ],
      },
    });
    await expect(repository().read(COMMENT, VOTER)).resolves.toEqual({
      published: true,
      likes: 7,
      liked: true,
    });
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: {
        [TABLE]: {
          Keys: [{ PK: `SIGNALS#${COMMENT}`, SK: 'COMMENT' }, LIKE_KEY, ...shardKeys],
          ConsistentRead: false,
          ...READ_PROJECTION,
        },
      },
    });
  });

  it('says not published for a comment without a signals item (unknown, or deleted)', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await expect(repository().read(COMMENT, VOTER)).resolves.toEqual({
      published: false,
      likes: 0,
      liked: false,
    });
  });
});

describe('LikeRepository.change', () => {
  it('puts the like if absent and adds one to its shard, with the rate windows, in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(
      repository().change({ commentId: COMMENT, voterHash: VOTER, shard: 5, like: true }, charges),
    ).resolves.toBe('changed');
    const input = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    const items = input?.TransactItems ?? [];
    expect(items).toHaveLength(4);
    expect(items.slice(0, 2).map((item) => item.Update?.Key)).toEqual([
      { PK: 'CLIENT#cl1ent', SK: 'RATE#like#minute#2026-12-08T10:00:00.000Z' },
      { PK: 'CLIENT#cl1ent', SK: 'RATE#like#hour#2026-12-08T10:00:00.000Z' },
    ]);
    expect(items[2]).toEqual({
      Put: {
        TableName: TABLE,
        Item: { ...LIKE_KEY, entity: 'Like', likedAt: '2026-12-08T10:00:30.000Z' },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    expect(items[3]).toEqual({
      Update: {
        TableName: TABLE,
        Key: shardKeys[5],
        UpdateExpression:
          'ADD likes :delta, writes :one SET entity = :entity, #shard = :shard, updatedAt = :now',
        ExpressionAttributeNames: { '#shard': 'shard' },
        ExpressionAttributeValues: {
          ':delta': 1,
          ':one': 1,
          ':entity': 'LikeCounts',
          ':shard': 5,
          ':now': '2026-12-08T10:00:30.000Z',
        },
      },
    });
  });

  it('deletes the like if present and takes one from its shard', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository().change({ commentId: COMMENT, voterHash: VOTER, shard: 2, like: false }, []);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]).toEqual({
      Delete: { TableName: TABLE, Key: LIKE_KEY, ConditionExpression: 'attribute_exists(PK)' },
    });
    expect(items[1]?.Update?.ExpressionAttributeValues?.[':delta']).toBe(-1);
  });

  it("is 'unchanged' when the like was already as asked", async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'None', 'ConditionalCheckFailed', 'None'));
    await expect(
      repository().change({ commentId: COMMENT, voterHash: VOTER, shard: 5, like: true }, charges),
    ).resolves.toBe('unchanged');
  });

  it('is a RateLimitedError when a window is full', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None'));
    const error = await repository()
      .change({ commentId: COMMENT, voterHash: VOTER, shard: 5, like: true }, charges)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(30);
  });

  it('is a VoteChangedError when a concurrent like of the shard conflicted', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'None', 'None', 'TransactionConflict'));
    await expect(
      repository().change({ commentId: COMMENT, voterHash: VOTER, shard: 5, like: true }, charges),
    ).rejects.toBeInstanceOf(VoteChangedError);
  });

  it('is a ServiceBusyError when DynamoDB throttles', async () => {
    dynamo.on(TransactWriteCommand).rejects(provisionedThroughputExceeded());
    await expect(
      repository().change({ commentId: COMMENT, voterHash: VOTER, shard: 5, like: true }, charges),
    ).rejects.toBeInstanceOf(ServiceBusyError);
  });
});
