import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../../lambda/domain/comment';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { ulid } from '../../../lambda/domain/ids';
import { ModerationLinkRepository } from '../../../lambda/store/moderation-link-repository';
import { namesOf } from './comment-fixtures';
import { provisionedThroughputExceeded, transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const NOW = Date.parse('2026-12-02T03:00:00.000Z');
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new ModerationLinkRepository(
    DynamoDBDocumentClient.from(new DynamoDBClient({})),
    TABLE,
    () => NOW,
  );

const CREATED = '2026-12-01T10:00:00.000Z';
const ID = ulid(Date.parse(CREATED));
const held: CommentRecord = {
  commentId: ID,
  articleId: 'a1',
  parentId: null,
  authorName: 'Eve',
  authorWebsite: null,
  body: 'Hello',
  createdAt: CREATED,
  editedAt: null,
  email: null,
  emailHash: 'eh1',
  editTokenHash: null,
  status: 'pending',
  staff: false,
  pinned: false,
};
const COMMENT_KEY = { PK: 'ARTICLE#a1', SK: `COMMENT#${CREATED}#${ID}` };
/** The comment's public fields, as the link's page reads them. */
const PUBLIC_PROJECTION =
  '#PK, #SK, #commentId, #articleId, #parentId, #authorName, #authorWebsite, #body, #createdAt, #editedAt, #status, #staff, #pinned, #verified, #badges';

/** The comment read by its key, consistently, projected to these placeholders. */
const commentRead = (projection: string) => ({
  TableName: TABLE,
  Key: COMMENT_KEY,
  ProjectionExpression: projection,
  ExpressionAttributeNames: namesOf(projection),
  ConsistentRead: true,
});

/** The comment moved from `from` to `to` now, if it still is `from`; `remove` ends the update. */
const statusUpdate = (from: string, to: string, remove = '') => ({
  Update: {
    TableName: TABLE,
    Key: COMMENT_KEY,
    UpdateExpression: `SET #status = :to, moderatedAt = :now${remove}`,
    ConditionExpression: '#status = :from',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':to': to, ':from': from, ':now': new Date(NOW).toISOString() },
  },
});

beforeEach(() => dynamo.reset());

describe('ModerationLinkRepository', () => {
  it('reads the comment by its key, projected to its public fields for the page', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...COMMENT_KEY, ...held, emailHash: undefined } });
    const found = await repository().findComment('a1', ID);
    expect(found?.status).toBe('pending');
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, commentRead(PUBLIC_PROJECTION));
  });

  it('adds the email’s hash (never the email), the screen’s reasons and any decision, for acting', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...COMMENT_KEY, ...held } });
    expect((await repository().findForAction('a1', ID))?.emailHash).toBe('eh1');
    expect(dynamo).toHaveReceivedCommandWith(
      GetCommand,
      commentRead(`${PUBLIC_PROJECTION}, #emailHash, #holdReasons, #decision`),
    );
  });

  it('tells a used link by its marker', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { PK: 'LINK#m1' } })
      .resolvesOnce({});
    await expect(repository().linkUsed('m1')).resolves.toBe(true);
    await expect(repository().linkUsed('m1')).resolves.toBe(false);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { PK: 'LINK#m1', SK: 'USED' },
      ProjectionExpression: '#PK',
      ExpressionAttributeNames: { '#PK': 'PK' },
      ConsistentRead: true,
    });
  });

  it('records the link’s use with the approval, its counts and its author in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(repository().act('m1', 1_800_000_000, held, 'published')).resolves.toBe('done');
    const now = new Date(NOW).toISOString();
    const count = (SK: string) => ({
      Update: {
        TableName: TABLE,
        Key: { PK: 'ARTICLE#a1', SK },
        // Published now, it may be the article's first comment (where autoCloseDays counts from).
        UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${SK === 'COMMENT#!COUNT' ? ', articleList = :articleList' : ''}, firstCommentAt = if_not_exists(firstCommentAt, :postedAt)`,
        ExpressionAttributeValues: {
          ':delta': 1,
          ':entity': 'ArticleStats',
          ':articleId': 'a1',
          ':now': now,
          ...(SK === 'COMMENT#!COUNT' ? { ':articleList': 'ARTICLE' } : {}),
          ':postedAt': CREATED,
        },
      },
    });
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: { PK: 'LINK#m1', SK: 'USED', entity: 'LinkUse', expiresAt: 1_800_000_000 },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        statusUpdate('pending', 'published'),
        count('COMMENT#!COUNT'),
        count('COMMENT#~COUNT'),
        {
          Update: {
            TableName: TABLE,
            Key: { PK: 'AUTHOR#eh1', SK: 'AUTHOR' },
            UpdateExpression:
              'SET entity = :entity, lastPublishedAt = :now REMOVE provisional, grantedBy',
            ExpressionAttributeValues: { ':entity': 'Author', ':now': now },
          },
        },
      ],
    });
  });

  it('marks as spam without touching the counts of a held comment or its author', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository().act('m1', 1_800_000_000, held, 'spam');
    const input = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(input?.TransactItems).toHaveLength(2);
  });

  it('unpins a pinned published comment it marks as spam, as the operators’ route does', async () => {
    const pinned: CommentRecord = { ...held, status: 'published', pinned: true };
    await repository().act('m1', 1_800_000_000, pinned, 'spam');
    const now = new Date(NOW).toISOString();
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.slice(1)).toEqual([
      statusUpdate('published', 'spam', ' REMOVE pinned'),
      ...['COMMENT#!COUNT', 'COMMENT#~COUNT'].map((SK) => ({
        Update: {
          TableName: TABLE,
          Key: { PK: 'ARTICLE#a1', SK },
          UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${SK === 'COMMENT#!COUNT' ? ', articleList = :articleList' : ''} REMOVE pins.#pin`,
          ExpressionAttributeNames: { '#pin': ID },
          ExpressionAttributeValues: {
            ':delta': -1,
            ':entity': 'ArticleStats',
            ':articleId': 'a1',
            ':now': now,
            ...(SK === 'COMMENT#!COUNT' ? { ':articleList': 'ARTICLE' } : {}),
          },
        },
      })),
    ]);
  });

  it.each([
    [['ConditionalCheckFailed', 'None'], 'used'],
    [['None', 'ConditionalCheckFailed'], 'changed'],
  ])('answers a cancellation %j as %s', async (codes, result) => {
    dynamo.on(TransactWriteCommand).rejects(transactionCanceled(...codes));
    await expect(repository().act('m1', 1, held, 'spam')).resolves.toBe(result);
  });

  it('turns a busy table into ServiceBusyError, for reads and the transaction', async () => {
    dynamo.on(GetCommand).rejects(provisionedThroughputExceeded());
    dynamo.on(TransactWriteCommand).rejects(transactionCanceled('None', 'ThrottlingError'));
    await expect(repository().findComment('a1', ID)).rejects.toBeInstanceOf(ServiceBusyError);
    await expect(repository().linkUsed('m1')).rejects.toBeInstanceOf(ServiceBusyError);
    await expect(repository().act('m1', 1, held, 'spam')).rejects.toBeInstanceOf(ServiceBusyError);
  });
});
