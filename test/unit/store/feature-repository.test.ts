import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { NotPublishedError, TooManyFeaturedError } from '../../../lambda/domain/errors';
import { FeatureRepository } from '../../../lambda/store/feature-repository';
import { commentRecord } from '../fakes';
import { transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new FeatureRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);
const AT = '2026-12-08T09:30:00.000Z';

beforeEach(() => dynamo.reset());

describe('FeatureRepository.feature', () => {
  const record = commentRecord({ status: 'published', pinned: true, email: 'ada@example.com' });
  const head = { PK: `ARTICLE#${record.articleId}`, SK: 'COMMENT#!COUNT' };
  const tail = { PK: `ARTICLE#${record.articleId}`, SK: 'COMMENT#~COUNT' };

  it('makes sure of the features maps, then marks the comment and copies it in one transaction', async () => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    await repository().feature(record, AT, 10);
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: head,
      UpdateExpression:
        'SET features = if_not_exists(features, :none), entity = :entity, articleId = :articleId',
      ExpressionAttributeValues: {
        ':none': {},
        ':entity': 'ArticleStats',
        ':articleId': record.articleId,
      },
    });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]).toEqual({
      Update: {
        TableName: TABLE,
        Key: {
          PK: `ARTICLE#${record.articleId}`,
          SK: `COMMENT#${record.createdAt}#${record.commentId}`,
        },
        UpdateExpression: 'SET featuredAt = :at',
        ConditionExpression: '#status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': AT, ':published': 'published' },
      },
    });
    expect(items.slice(1).map((item) => item.Update?.Key)).toEqual([head, tail]);
    expect(items[1]?.Update).toMatchObject({
      UpdateExpression: 'SET features.#id = :copy, pins.#id.featuredAt = :at',
      ConditionExpression: 'size(features) < :max',
      ExpressionAttributeNames: { '#id': record.commentId },
      ExpressionAttributeValues: { ':at': AT, ':max': 10 },
    });
    expect(items[2]?.Update?.ConditionExpression).toBeUndefined();
    // The copy is public fields only.
    const copy = items[1]?.Update?.ExpressionAttributeValues?.[':copy'] as Record<string, unknown>;
    expect(copy).toMatchObject({ commentId: record.commentId, featuredAt: AT, pinned: true });
    expect(JSON.stringify(copy)).not.toContain('ada@example.com');
    expect(Object.keys(copy)).not.toContain('emailHash');
  });

  it.each([
    [['ConditionalCheckFailed', 'None', 'None'], NotPublishedError],
    [['None', 'ConditionalCheckFailed', 'None'], TooManyFeaturedError],
  ])('answers a cancellation %j as %p', async (codes, kind) => {
    dynamo.on(UpdateCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(transactionCanceled(...codes));
    await expect(repository().feature(record, AT, 10)).rejects.toBeInstanceOf(kind);
  });
});

describe('FeatureRepository.unfeature', () => {
  it('takes the mark and both copies away in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const record = commentRecord({ status: 'published', featuredAt: AT });
    await repository().unfeature(record);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Update?.UpdateExpression)).toEqual([
      'REMOVE featuredAt',
      'REMOVE features.#id',
      'REMOVE features.#id',
    ]);
  });
});
