import 'aws-sdk-client-mock-jest';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../../lambda/domain/comment';
import { ParentNotFoundError, ServiceBusyError } from '../../../lambda/domain/errors';
import { CommentRepository } from '../../../lambda/store/comment-repository';
import { fixedId, NOW } from '../fakes';
import { BUSY_FAILURES, conditionalCheckFailed, transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const ARTICLE = 'russia-north-korea-ties';
const CREATED_AT = new Date(NOW).toISOString();
const COMMENT_ID = fixedId(NOW);
const PARENT_TIME = NOW - 60_000;
const PARENT_ID = fixedId(PARENT_TIME);

const ddb = mockClient(DynamoDBDocumentClient);
const repository = new CommentRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
);

beforeEach(() => {
  ddb.reset();
});

function record(overrides: Partial<CommentRecord> = {}): CommentRecord {
  return {
    commentId: COMMENT_ID,
    articleId: ARTICLE,
    parentId: null,
    authorName: 'Ada',
    authorWebsite: null,
    email: 'ada@example.com',
    body: 'Hello.',
    status: 'published',
    createdAt: CREATED_AT,
    editedAt: null,
    ...overrides,
  };
}

const countUpdate = (SK: string) => ({
  Update: {
    TableName: TABLE,
    Key: { PK: `ARTICLE#${ARTICLE}`, SK },
    UpdateExpression:
      'ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now',
    ExpressionAttributeValues: {
      ':delta': 1,
      ':entity': 'ArticleStats',
      ':articleId': ARTICLE,
      ':now': CREATED_AT,
    },
  },
});

const commentPut = (overrides: Record<string, unknown> = {}) => ({
  Put: {
    TableName: TABLE,
    Item: {
      PK: `ARTICLE#${ARTICLE}`,
      SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}`,
      entity: 'Comment',
      commentId: COMMENT_ID,
      articleId: ARTICLE,
      authorName: 'Ada',
      email: 'ada@example.com',
      body: 'Hello.',
      status: 'published',
      createdAt: CREATED_AT,
      ...overrides,
    },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

function transactInput(call = 0) {
  return ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('CommentRepository.insert', () => {
  it('puts a top-level comment and counts it at both ends of the range, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record());
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(transactInput()).toEqual({
      TransactItems: [commentPut(), countUpdate('COMMENT#!COUNT'), countUpdate('COMMENT#~COUNT')],
    });
  });

  it('leaves null optional attributes out of the item', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record());
    const item = transactInput()?.TransactItems?.[0]?.Put?.Item ?? {};
    expect(item.parentId).toBeUndefined();
    expect(item.authorWebsite).toBeUndefined();
    expect(item.editedAt).toBeUndefined();
  });

  it('checks, in the same transaction, that the parent is a published comment of the article', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record({ parentId: PARENT_ID, authorWebsite: 'https://ada.example' }));
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: {
              PK: `ARTICLE#${ARTICLE}`,
              SK: `COMMENT#${new Date(PARENT_TIME).toISOString()}#${PARENT_ID}`,
            },
            ConditionExpression: '#status = :published',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':published': 'published' },
          },
        },
        commentPut({ parentId: PARENT_ID, authorWebsite: 'https://ada.example' }),
        countUpdate('COMMENT#!COUNT'),
        countUpdate('COMMENT#~COUNT'),
      ],
    });
  });

  it('does not count a pending comment', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.insert(record({ status: 'pending' }));
    expect(transactInput()).toEqual({ TransactItems: [commentPut({ status: 'pending' })] });
  });

  it('gives ParentNotFoundError when the parent check fails, and writes nothing more', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None'));
    await expect(repository.insert(record({ parentId: PARENT_ID }))).rejects.toBeInstanceOf(
      ParentNotFoundError,
    );
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
  });

  it('does not mistake an id collision for a missing parent', async () => {
    const collision = transactionCanceled('ConditionalCheckFailed', 'None', 'None');
    ddb.on(TransactWriteCommand).rejects(collision);
    await expect(repository.insert(record())).rejects.toBe(collision);
    expect(ddb.calls()).toHaveLength(1);
  });

  it.each(BUSY_FAILURES)(
    'gives ServiceBusyError for %s, and writes nothing more',
    async (_case, failure) => {
      ddb.on(TransactWriteCommand).rejects(failure());
      await expect(repository.insert(record({ parentId: PARENT_ID }))).rejects.toBeInstanceOf(
        ServiceBusyError,
      );
      expect(ddb.calls()).toHaveLength(1);
    },
  );

  it.each([
    [
      'ResourceNotFoundException',
      () => new ResourceNotFoundException({ message: 'no table', $metadata: {} }),
    ],
    ['ConditionalCheckFailedException', conditionalCheckFailed],
  ])('passes on %s unchanged', async (_case, failure) => {
    const error = failure();
    ddb.on(TransactWriteCommand).rejects(error);
    await expect(repository.insert(record())).rejects.toBe(error);
  });
});

describe('CommentRepository.page', () => {
  const PROJECTION =
    '#PK, #SK, #entity, #commentId, #articleId, #parentId, #authorName, #authorWebsite, #body, #createdAt, #editedAt, #status, #commentCount';
  const NAMES = {
    '#PK': 'PK',
    '#SK': 'SK',
    '#entity': 'entity',
    '#commentId': 'commentId',
    '#articleId': 'articleId',
    '#parentId': 'parentId',
    '#authorName': 'authorName',
    '#authorWebsite': 'authorWebsite',
    '#body': 'body',
    '#createdAt': 'createdAt',
    '#editedAt': 'editedAt',
    '#status': 'status',
    '#commentCount': 'commentCount',
  };

  const stats = (SK: string, commentCount: number) => ({
    PK: `ARTICLE#${ARTICLE}`,
    SK,
    entity: 'ArticleStats',
    commentCount,
  });

  const item = (minute: number, extra: Record<string, unknown> = {}) => {
    const time = NOW + minute * 60_000;
    const createdAt = new Date(time).toISOString();
    const commentId = fixedId(time);
    return {
      PK: `ARTICLE#${ARTICLE}`,
      SK: `COMMENT#${createdAt}#${commentId}`,
      entity: 'Comment',
      commentId,
      articleId: ARTICLE,
      authorName: `Author ${minute}`,
      body: `Comment ${minute}`,
      createdAt,
      status: 'published',
      ...extra,
    };
  };

  function queryInput() {
    return ddb.commandCalls(QueryCommand)[0]?.args[0].input;
  }

  it('reads a first page with its count in one Query, oldest first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 10 });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
    expect(queryInput()).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      FilterExpression: '#entity = :stats OR #status = :published',
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: PROJECTION,
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':pk': `ARTICLE#${ARTICLE}`,
        ':first': 'COMMENT#!COUNT',
        ':last': 'COMMENT#~COUNT',
        ':stats': 'ArticleStats',
        ':published': 'published',
      },
      ScanIndexForward: true,
      Limit: 12,
    });
    expect(queryInput()?.ExclusiveStartKey).toBeUndefined();
  });

  it('never asks for the email', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.page({ articleId: ARTICLE, order: 'newest', limit: 10 });
    const input = queryInput();
    expect(input?.ProjectionExpression).not.toMatch(/email/i);
    expect(Object.values(input?.ExpressionAttributeNames ?? {})).not.toContain('email');
  });

  it('reads newest first and continues after a sort key', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const after = item(5).SK;
    await repository.page({ articleId: ARTICLE, order: 'newest', limit: 10, after });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ScanIndexForward: false,
      Limit: 11,
      ExclusiveStartKey: { PK: `ARTICLE#${ARTICLE}`, SK: after },
    });
  });

  it('returns the count, the first page and where to continue', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [stats('COMMENT#!COUNT', 3), item(1), item(2), item(3)],
      LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK: item(3).SK },
    });
    const page = await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2 });
    expect(page.commentCount).toBe(3);
    expect(page.comments.map((comment) => comment.body)).toEqual(['Comment 1', 'Comment 2']);
    expect(page.nextAfter).toBe(item(2).SK);
  });

  it('maps items to public fields only, with nulls for absent attributes', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(1, { email: 'leaked@example.com', authorWebsite: 'https://a.example' })],
    });
    const page = await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2 });
    expect(page.comments).toStrictEqual([
      {
        commentId: item(1).commentId,
        articleId: ARTICLE,
        parentId: null,
        authorName: 'Author 1',
        authorWebsite: 'https://a.example',
        body: 'Comment 1',
        createdAt: item(1).createdAt,
        editedAt: null,
      },
    ]);
  });

  it('gives a count of 0 on a first page without a count item', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2 })).toEqual({
      commentCount: 0,
      comments: [],
      nextAfter: null,
    });
  });

  it('gives no count on a later page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(3)] });
    const page = await repository.page({
      articleId: ARTICLE,
      order: 'oldest',
      limit: 2,
      after: item(2).SK,
    });
    expect(page.commentCount).toBeUndefined();
  });

  it('continues from where DynamoDB stopped when filtered items shortened the page', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [item(3)],
      LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK: item(4).SK },
    });
    const page = await repository.page({
      articleId: ARTICLE,
      order: 'oldest',
      limit: 2,
      after: item(2).SK,
    });
    expect(page.nextAfter).toBe(item(4).SK);
  });

  it.each(['COMMENT#~COUNT', 'COMMENT#!COUNT'])(
    'ends the list when DynamoDB stopped at the count item %s',
    async (SK) => {
      ddb.on(QueryCommand).resolves({
        Items: [item(3)],
        LastEvaluatedKey: { PK: `ARTICLE#${ARTICLE}`, SK },
      });
      const page = await repository.page({
        articleId: ARTICLE,
        order: 'oldest',
        limit: 2,
        after: item(2).SK,
      });
      expect(page.nextAfter).toBeNull();
    },
  );

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(QueryCommand).rejects(failure());
    await expect(
      repository.page({ articleId: ARTICLE, order: 'oldest', limit: 2 }),
    ).rejects.toBeInstanceOf(ServiceBusyError);
  });
});
