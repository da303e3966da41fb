import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../../lambda/domain/comment';
import {
  CommentNotFoundError,
  NotPublishedError,
  ServiceBusyError,
  TooManyPinsError,
} from '../../../lambda/domain/errors';
import { ModerationRepository } from '../../../lambda/store/moderation-repository';
import { FakeClock, fixedId, NOW } from '../fakes';
import {
  ARTICLE,
  COMMENT_ID,
  COMMENT_KEY,
  CREATED_AT,
  commentItem,
  commentRecord,
  countUpdates,
  EMAIL_HASH,
  TABLE,
} from './comment-fixtures';
import {
  BUSY_FAILURES,
  conditionalCheckFailed,
  throttling,
  transactionCanceled,
} from './sdk-errors';

const MODERATED_AT = new Date(NOW + 3_600_000).toISOString();

const ddb = mockClient(DynamoDBDocumentClient);
const clock = new FakeClock(NOW + 3_600_000);
const repository = new ModerationRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
  clock.read,
);

beforeEach(() => {
  ddb.reset();
});

/** The comment as an operator finds it: pending, with a website. */
const record = (overrides: Partial<CommentRecord> = {}): CommentRecord =>
  commentRecord({ authorWebsite: 'https://ada.example', status: 'pending', ...overrides });

const item = (overrides: Record<string, unknown> = {}) =>
  commentItem({ authorWebsite: 'https://ada.example', status: 'pending', ...overrides });

/** Publishing counts the comment in, as posted when it was (where autoCloseDays counts from). */
const counts = (delta: number) =>
  countUpdates(delta, MODERATED_AT, delta > 0 ? CREATED_AT : undefined);

function transactInput(call = 0) {
  return ddb.commandCalls(TransactWriteCommand)[call]?.args[0].input;
}

describe('ModerationRepository.listArticles', () => {
  const head = (articleId: string) => ({
    PK: `ARTICLE#${articleId}`,
    SK: 'COMMENT#!COUNT',
    articleList: 'ARTICLE',
    articleId,
  });

  it('queries the sparse index articles, one key per article, never scanning', async () => {
    ddb.on(QueryCommand).resolves({ Items: [head('a1'), head('b2')] });
    const page = await repository.listArticles(100);
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'articles',
      KeyConditionExpression: '#list = :list',
      ExpressionAttributeNames: { '#list': 'articleList' },
      ExpressionAttributeValues: { ':list': 'ARTICLE' },
      Limit: 101,
    });
    expect(page).toStrictEqual({ articleIds: ['a1', 'b2'], next: undefined });
  });

  it('goes on after the last article shown, not after the extra one read', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [head('b2'), head('c3')],
      LastEvaluatedKey: head('c3'),
    });
    const page = await repository.listArticles(1, head('a1'));
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExclusiveStartKey: head('a1'),
      Limit: 2,
    });
    expect(page).toStrictEqual({ articleIds: ['b2'], next: head('b2') });
  });

  it('still goes on when DynamoDB stopped early at its 1 MB limit', async () => {
    ddb.on(QueryCommand).resolves({ Items: [head('a1')], LastEvaluatedKey: head('a1') });
    expect(await repository.listArticles(5)).toStrictEqual({
      articleIds: ['a1'],
      next: head('a1'),
    });
  });

  it('gives ServiceBusyError when throttled', async () => {
    ddb.on(QueryCommand).rejects(throttling());
    await expect(repository.listArticles(5)).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('ModerationRepository.listByStatus', () => {
  it('queries the byStatus index, oldest first, never scanning', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.listByStatus('pending', 25);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': 'pending' },
      ScanIndexForward: true,
      Limit: 26,
    });
  });

  it('continues after the position it is given and returns where to go on', async () => {
    const after = { status: 'spam', createdAt: CREATED_AT, ...COMMENT_KEY };
    const later = { ...item({ status: 'spam' }), PK: 'ARTICLE#later', SK: 'COMMENT#later' };
    ddb.on(QueryCommand).resolves({
      Items: [item({ status: 'spam' }), later],
      LastEvaluatedKey: { status: 'spam', createdAt: CREATED_AT, PK: later.PK, SK: later.SK },
    });
    const page = await repository.listByStatus('spam', 1, after);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':status': 'spam' },
      ExclusiveStartKey: after,
      Limit: 2,
    });
    // The next page starts after the last comment shown, not after the extra one read.
    expect(page).toStrictEqual({
      comments: [record({ status: 'spam' })],
      next: { ...COMMENT_KEY, status: 'spam', createdAt: CREATED_AT },
    });
  });

  it('ends the list on the last full page instead of on an empty one', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item({ status: 'spam' })] });
    const page = await repository.listByStatus('spam', 1);
    expect(page).toStrictEqual({ comments: [record({ status: 'spam' })], next: undefined });
  });

  it('still goes on when DynamoDB stopped early at its 1 MB limit', async () => {
    const next = { status: 'spam', createdAt: MODERATED_AT, ...COMMENT_KEY };
    ddb.on(QueryCommand).resolves({ Items: [item({ status: 'spam' })], LastEvaluatedKey: next });
    const page = await repository.listByStatus('spam', 5);
    expect(page).toStrictEqual({ comments: [record({ status: 'spam' })], next });
  });

  it.each(BUSY_FAILURES.slice(0, 4))('gives ServiceBusyError for %s', async (_case, failure) => {
    ddb.on(QueryCommand).rejects(failure());
    await expect(repository.listByStatus('pending', 1)).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('ModerationRepository.findById', () => {
  it('finds the key in the byCommentId index, then reads the item consistently', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...COMMENT_KEY, commentId: COMMENT_ID }] });
    ddb.on(GetCommand).resolves({ Item: item() });
    expect(await repository.findById(COMMENT_ID)).toStrictEqual(record());
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byCommentId',
      KeyConditionExpression: 'commentId = :id',
      ExpressionAttributeValues: { ':id': COMMENT_ID },
      Limit: 1,
    });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: COMMENT_KEY,
      ConsistentRead: true,
    });
  });

  it('gives undefined for an id the index does not know, without a second read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await repository.findById(COMMENT_ID)).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it('gives undefined when the item went away after the index read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [COMMENT_KEY] });
    ddb.on(GetCommand).resolves({});
    expect(await repository.findById(COMMENT_ID)).toBeUndefined();
  });
});

describe('ModerationRepository.setStatus', () => {
  const decision = (from: string, to: string, extra: Record<string, unknown> = {}) => ({
    from,
    to,
    at: MODERATED_AT,
    unpinned: false,
    grantedAuthor: false,
    ...extra,
  });
  const statusUpdate = (from: string, to: string, extra: Record<string, unknown> = {}) => ({
    Update: {
      TableName: TABLE,
      Key: COMMENT_KEY,
      UpdateExpression: 'SET #status = :to, moderatedAt = :now, decision = :decision',
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':to': to,
        ':from': from,
        ':now': MODERATED_AT,
        ':decision': decision(from, to, extra),
      },
    },
  });

  const authorUpdate = {
    Update: {
      TableName: TABLE,
      Key: { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' },
      UpdateExpression:
        'SET entity = :entity, lastPublishedAt = :now REMOVE provisional, grantedBy',
      ExpressionAttributeValues: { ':entity': 'Author', ':now': MODERATED_AT },
    },
  };
  const authorGrant = {
    Update: {
      TableName: TABLE,
      Key: { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' },
      UpdateExpression:
        'SET entity = :entity, lastPublishedAt = :now, provisional = :true ADD grantedBy :grant',
      ConditionExpression: 'attribute_not_exists(PK) OR provisional = :true',
      ExpressionAttributeValues: {
        ':entity': 'Author',
        ':now': MODERATED_AT,
        ':true': true,
        ':grant': new Set([COMMENT_ID]),
      },
    },
  };

  it('publishes a pending comment of a known author: status and decision, counts, author', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: `AUTHOR#${EMAIL_HASH}` } });
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(record(), 'published');
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' },
      ConsistentRead: true,
      ProjectionExpression: 'PK, provisional',
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(transactInput()).toEqual({
      TransactItems: [statusUpdate('pending', 'published'), ...counts(1), authorUpdate],
    });
  });

  it.each([
    ['an unknown author', undefined],
    ['an author another approval made known', { PK: `AUTHOR#${EMAIL_HASH}`, provisional: true }],
  ])('publishes the comment of %s as a grant that undo can take back', async (_case, author) => {
    ddb.on(GetCommand).resolves({ Item: author });
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(record(), 'published');
    expect(transactInput()).toEqual({
      TransactItems: [
        statusUpdate('pending', 'published', { grantedAuthor: true }),
        ...counts(1),
        authorGrant,
      ],
    });
  });

  it('publishes an erased comment without an author record', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(record({ emailHash: null, status: 'spam' }), 'published');
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 0);
    expect(transactInput()).toEqual({
      TransactItems: [statusUpdate('spam', 'published'), ...counts(1)],
    });
  });

  it('marks a published comment as spam and counts it down', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(record({ status: 'published' }), 'spam');
    expect(transactInput()).toEqual({
      TransactItems: [statusUpdate('published', 'spam'), ...counts(-1)],
    });
  });

  it('marks a pending comment as spam without touching the counts', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(record(), 'spam');
    expect(transactInput()).toEqual({ TransactItems: [statusUpdate('pending', 'spam')] });
  });

  it('gives CommentNotFoundError when the status changed meanwhile', async () => {
    ddb.on(GetCommand).resolves({});
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None'));
    await expect(repository.setStatus(record(), 'published')).rejects.toBeInstanceOf(
      CommentNotFoundError,
    );
  });

  it('gives ServiceBusyError for a conflict on the counts', async () => {
    ddb.on(GetCommand).resolves({});
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('None', 'TransactionConflict', 'None', 'None'));
    await expect(repository.setStatus(record(), 'published')).rejects.toBeInstanceOf(
      ServiceBusyError,
    );
  });
});

describe('ModerationRepository.remove', () => {
  const commentDelete = (status: string) => ({
    Delete: {
      TableName: TABLE,
      Key: COMMENT_KEY,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':from': status },
    },
  });

  it('deletes a published comment and counts it down', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.remove(record({ status: 'published' }));
    expect(transactInput()).toEqual({
      TransactItems: [commentDelete('published'), ...counts(-1)],
    });
  });

  it('deletes a pending comment without touching the counts', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.remove(record());
    expect(transactInput()).toEqual({ TransactItems: [commentDelete('pending')] });
  });

  it('gives CommentNotFoundError when the comment changed meanwhile', async () => {
    ddb.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed'));
    await expect(repository.remove(record())).rejects.toBeInstanceOf(CommentNotFoundError);
  });
});

describe('ModerationRepository.erase', () => {
  const key = (minute: number) => {
    const createdAt = new Date(NOW + minute * 60_000).toISOString();
    const id = fixedId(NOW + minute * 60_000);
    return { PK: `ARTICLE#article-${minute}`, SK: `COMMENT#${createdAt}#${id}` };
  };

  // Which comments name a signed-in reader's own subscription: none, unless a test says so.
  beforeEach(() => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
  });

  const eraseInput = (Key: Record<string, unknown>) => ({
    TableName: TABLE,
    Key,
    UpdateExpression:
      'SET authorName = :name, erasedAt = :now REMOVE email, emailHash, authorWebsite, notify, commenterId, subscriberHash, verified, badges',
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeValues: { ':name': 'Deleted user', ':now': MODERATED_AT },
    ReturnValues: 'ALL_NEW',
  });

  function queryInput(call: number) {
    return ddb.commandCalls(QueryCommand)[call]?.args[0].input;
  }

  it('erases every comment of every page of the byEmailHash index, then the author record', async () => {
    const lastOfFirstPage = { ...key(2), emailHash: EMAIL_HASH, createdAt: 'x' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          { ...key(1), emailHash: EMAIL_HASH },
          { ...key(2), emailHash: EMAIL_HASH },
        ],
        LastEvaluatedKey: lastOfFirstPage,
      })
      .resolvesOnce({ Items: [{ ...key(3), emailHash: EMAIL_HASH }] });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});

    expect(await repository.erase(EMAIL_HASH)).toBe(3);

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(queryInput(0)).toEqual({
      TableName: TABLE,
      IndexName: 'byEmailHash',
      KeyConditionExpression: 'emailHash = :hash',
      ExpressionAttributeValues: { ':hash': EMAIL_HASH },
    });
    expect(queryInput(1)).toEqual({ ...queryInput(0), ExclusiveStartKey: lastOfFirstPage });
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([
      eraseInput(key(1)),
      eraseInput(key(2)),
      eraseInput(key(3)),
    ]);
    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' } },
      // The address's reply notifications go with it (docs/notifications.md).
      { TableName: TABLE, Key: { PK: `SUBSCRIBER#${EMAIL_HASH}`, SK: 'SUBSCRIBER' } },
    ]);
  });

  it('forgets a signed-in reader’s own subscription before the comments that name it lose its key', async () => {
    ddb.on(QueryCommand).resolves({ Items: [key(1), key(2)] });
    ddb.on(BatchGetCommand).resolves({
      Responses: { [TABLE]: [{ ...key(1), subscriberHash: 'reader-sub' }, key(2)] },
    });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    expect(await repository.erase(EMAIL_HASH)).toBe(2);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [key(1), key(2)],
          ConsistentRead: true,
          ProjectionExpression: 'PK, SK, subscriberHash',
        },
      },
    });
    const order = ddb.calls().map((call) => {
      const input = call.args[0].input as { Key?: { PK: string } };
      return `${call.args[0].constructor.name} ${input.Key?.PK ?? ''}`.trim();
    });
    expect(order).toEqual([
      'QueryCommand',
      'BatchGetCommand',
      'DeleteCommand SUBSCRIBER#reader-sub',
      `UpdateCommand ${key(1).PK}`,
      `UpdateCommand ${key(2).PK}`,
      `DeleteCommand AUTHOR#${EMAIL_HASH}`,
      `DeleteCommand SUBSCRIBER#${EMAIL_HASH}`,
    ]);
  });

  it('never sends the email, only its hash', async () => {
    ddb.on(QueryCommand).resolves({ Items: [key(1)] });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    await repository.erase(EMAIL_HASH);
    const sent = JSON.stringify(ddb.calls().map((call) => call.args[0].input));
    expect(sent).not.toContain('@');
  });

  it('does not count a comment deleted between the index read and its update', async () => {
    ddb.on(QueryCommand).resolves({ Items: [key(1), key(2)] });
    ddb.on(UpdateCommand).rejectsOnce(conditionalCheckFailed()).resolves({});
    ddb.on(DeleteCommand).resolves({});
    expect(await repository.erase(EMAIL_HASH)).toBe(1);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 2);
  });

  it('erases nothing, and still forgets the author, for an unknown email', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(DeleteCommand).resolves({});
    expect(await repository.erase(EMAIL_HASH)).toBe(0);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 2);
  });

  it('gives ServiceBusyError when throttled part-way, so the erasure can be run again', async () => {
    ddb.on(QueryCommand).resolves({ Items: [key(1), key(2)] });
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(throttling());
    await expect(repository.erase(EMAIL_HASH)).rejects.toBeInstanceOf(ServiceBusyError);
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 0);
  });
});

const STATS_KEYS = ['COMMENT#!COUNT', 'COMMENT#~COUNT'].map((SK) => ({
  PK: `ARTICLE#${ARTICLE}`,
  SK,
}));

describe('ModerationRepository.listByStatus in one article', () => {
  it('queries the article’s partition filtered by status, reading on until the page is full', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item()], LastEvaluatedKey: COMMENT_KEY })
      .resolvesOnce({ Items: [item({ SK: 'COMMENT#b' }), item({ SK: 'COMMENT#c' })] });
    const page = await repository.listByStatus('pending', 2, undefined, ARTICLE);
    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      FilterExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': `ARTICLE#${ARTICLE}`,
        ':first': 'COMMENT#!COUNT',
        ':last': 'COMMENT#~COUNT',
        ':status': 'pending',
      },
      Limit: 3,
      ExclusiveStartKey: undefined,
    });
    expect(inputs[1]).toEqual({ ...inputs[0], Limit: 2, ExclusiveStartKey: COMMENT_KEY });
    expect(page.comments).toHaveLength(2);
    expect(page.next).toEqual({ PK: COMMENT_KEY.PK, SK: 'COMMENT#b' });
  });
});

describe('ModerationRepository counts', () => {
  it('counts a status on the byStatus index page by page with Select COUNT', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Count: 3, LastEvaluatedKey: COMMENT_KEY })
      .resolvesOnce({ Count: 4 });
    expect(await repository.countByStatus('spam', { cap: 100 })).toEqual({
      count: 7,
      capped: false,
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': 'spam' },
      Select: 'COUNT',
      ExclusiveStartKey: undefined,
    });
  });

  it('stops at the cap and says so', async () => {
    ddb.on(QueryCommand).resolves({ Count: 60, LastEvaluatedKey: COMMENT_KEY });
    expect(await repository.countByStatus('published', { cap: 100 })).toEqual({
      count: 100,
      capped: true,
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('counts an email’s comments on the byEmailHash index', async () => {
    ddb.on(QueryCommand).resolves({ Count: 2 });
    expect(await repository.countByEmail(EMAIL_HASH)).toBe(2);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byEmailHash',
      KeyConditionExpression: 'emailHash = :hash',
      ExpressionAttributeValues: { ':hash': EMAIL_HASH },
      Select: 'COUNT',
      ExclusiveStartKey: undefined,
    });
  });

  it('tells which email hashes have published, with one BatchGetItem of their author items', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [{ PK: 'AUTHOR#known' }] } });
    const known = await repository.publishedAuthors(['known', 'new', 'known']);
    expect([...known]).toEqual(['known']);
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: {
        [TABLE]: {
          Keys: [
            { PK: 'AUTHOR#known', SK: 'AUTHOR' },
            { PK: 'AUTHOR#new', SK: 'AUTHOR' },
          ],
          ProjectionExpression: 'PK',
        },
      },
    });
  });
});

describe('ModerationRepository articles', () => {
  /** The SET's start: the head also lists the article in the index `articles`. */
  const base = (listed: string) =>
    `SET entity = :entity, articleId = :articleId, updatedAt = :now${listed}`;
  it.each([
    ['closes', { closed: true }, ', #closed = :closed', { ':closed': true }],
    ['reopens', { closed: false }, ' REMOVE #closed', {}],
    [
      'sets its settings',
      {
        closeAt: '2026-12-24T18:00:00.000Z',
        keepOpen: false,
        moderation: 'all',
        commenting: 'signed-in',
      },
      ', #closeAt = :closeAt, #moderation = :moderation, #commenting = :commenting REMOVE #keepOpen',
      {
        ':closeAt': '2026-12-24T18:00:00.000Z',
        ':moderation': 'all',
        ':commenting': 'signed-in',
      },
    ],
    [
      'gives its settings back to the deployment',
      { closeAt: null, keepOpen: false, moderation: null, commenting: null },
      ' REMOVE #closeAt, #keepOpen, #moderation, #commenting',
      {},
    ],
    [
      'keeps it open past its time',
      { closed: false, closeAt: null, keepOpen: true },
      ', #keepOpen = :keepOpen REMOVE #closed, #closeAt',
      { ':keepOpen': true },
    ],
  ] as const)(
    '%s on both stats items in one transaction, the head listing the article',
    async (_, change, rest, extra) => {
      ddb.on(TransactWriteCommand).resolves({});
      await repository.changeArticle(ARTICLE, change);
      const names = Object.fromEntries(Object.keys(change).map((name) => [`#${name}`, name]));
      expect(transactInput()).toEqual({
        TransactItems: STATS_KEYS.map((Key, index) => ({
          Update: {
            TableName: TABLE,
            Key,
            UpdateExpression: `${base(index === 0 ? ', articleList = :articleList' : '')}${rest}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ...extra,
              ':entity': 'ArticleStats',
              ':articleId': ARTICLE,
              ':now': MODERATED_AT,
              ...(index === 0 ? { ':articleList': 'ARTICLE' } : {}),
            },
          },
        })),
      });
    },
  );

  it('reads an article’s state and settings from its stats head, consistently', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        commentCount: 4,
        closed: true,
        pins: { B: {}, A: {} },
        closeAt: '2026-12-24T18:00:00.000Z',
        moderation: 'all',
        commenting: 'badge:subscriber',
        firstCommentAt: '2026-11-20T08:00:00.000Z',
      },
    });
    expect(await repository.article(ARTICLE)).toEqual({
      articleId: ARTICLE,
      closed: true,
      closeAt: '2026-12-24T18:00:00.000Z',
      moderation: 'all',
      commenting: 'badge:subscriber',
      firstCommentAt: '2026-11-20T08:00:00.000Z',
      commentCount: 4,
      pinned: ['A', 'B'],
    });
    const attributes = [
      'commentCount',
      'pins',
      'closed',
      'closeAt',
      'keepOpen',
      'moderation',
      'commenting',
      'firstCommentAt',
    ];
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: STATS_KEYS[0],
      ConsistentRead: true,
      ProjectionExpression: attributes.map((name) => `#${name}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(attributes.map((name) => [`#${name}`, name])),
    });
  });

  it('reads an article without a stats item as open, with none of its own settings', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.article(ARTICLE)).toEqual({
      articleId: ARTICLE,
      closed: false,
      commentCount: 0,
      pinned: [],
    });
  });
});

describe('ModerationRepository pins', () => {
  const published = record({ status: 'published' });

  it('makes sure of the pins maps, then marks and copies the comment in one transaction', async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    await repository.pin(published, 5);
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual(
      STATS_KEYS.map((Key) => ({
        TableName: TABLE,
        Key,
        UpdateExpression:
          'SET pins = if_not_exists(pins, :none), entity = :entity, articleId = :articleId',
        ExpressionAttributeValues: {
          ':none': {},
          ':entity': 'ArticleStats',
          ':articleId': ARTICLE,
        },
      })),
    );
    const copy = {
      commentId: COMMENT_ID,
      articleId: ARTICLE,
      authorName: 'Ada',
      authorWebsite: 'https://ada.example',
      body: 'Hello.',
      createdAt: CREATED_AT,
      pinned: true,
    };
    expect(transactInput()).toEqual({
      TransactItems: [
        {
          Update: {
            TableName: TABLE,
            Key: COMMENT_KEY,
            UpdateExpression: 'SET pinned = :true, moderatedAt = :now',
            ConditionExpression: '#status = :published',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':true': true,
              ':now': MODERATED_AT,
              ':published': 'published',
            },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: STATS_KEYS[0],
            UpdateExpression: 'SET pins.#pin = :copy, updatedAt = :now',
            ConditionExpression: 'size(pins) < :max',
            ExpressionAttributeNames: { '#pin': COMMENT_ID },
            ExpressionAttributeValues: { ':copy': copy, ':now': MODERATED_AT, ':max': 5 },
          },
        },
        {
          Update: {
            TableName: TABLE,
            Key: STATS_KEYS[1],
            UpdateExpression: 'SET pins.#pin = :copy, updatedAt = :now',
            ExpressionAttributeNames: { '#pin': COMMENT_ID },
            ExpressionAttributeValues: { ':copy': copy, ':now': MODERATED_AT },
          },
        },
      ],
    });
  });

  it.each([
    [
      'the comment is no longer published',
      ['ConditionalCheckFailed', 'None', 'None'],
      NotPublishedError,
    ],
    ['the article has its maximum', ['None', 'ConditionalCheckFailed', 'None'], TooManyPinsError],
  ])('refuses when %s', async (_case, reasons, expected) => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(TransactWriteCommand).rejects(transactionCanceled(...reasons));
    await expect(repository.pin(published, 5)).rejects.toBeInstanceOf(expected);
  });

  it('unpins: the mark and both copies go in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.unpin({ ...published, pinned: true });
    expect(transactInput()).toEqual({
      TransactItems: [
        {
          Update: {
            TableName: TABLE,
            Key: COMMENT_KEY,
            UpdateExpression: 'SET moderatedAt = :now REMOVE pinned',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':now': MODERATED_AT },
          },
        },
        ...STATS_KEYS.map((Key) => ({
          Update: {
            TableName: TABLE,
            Key,
            UpdateExpression: 'SET updatedAt = :now REMOVE pins.#pin',
            ExpressionAttributeNames: { '#pin': COMMENT_ID },
            ExpressionAttributeValues: { ':now': MODERATED_AT },
          },
        })),
      ],
    });
  });

  it('unpins a pinned comment that is marked as spam, with the count change', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus({ ...published, pinned: true }, 'spam');
    const items = transactInput()?.TransactItems ?? [];
    expect(items[0]?.Update?.UpdateExpression).toBe(
      'SET #status = :to, moderatedAt = :now, decision = :decision REMOVE pinned',
    );
    expect(items.slice(1)).toEqual(
      counts(-1).map((update) => ({
        Update: {
          ...update.Update,
          UpdateExpression: `${update.Update.UpdateExpression} REMOVE pins.#pin`,
          ExpressionAttributeNames: { '#pin': COMMENT_ID },
        },
      })),
    );
  });

  it('erases the author from a pinned comment’s copies too', async () => {
    ddb.on(QueryCommand).resolves({ Items: [COMMENT_KEY] });
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { ...item(), pinned: true } })
      .resolves({});
    ddb.on(DeleteCommand).resolves({});
    await repository.erase(EMAIL_HASH);
    expect(
      ddb
        .commandCalls(UpdateCommand)
        .slice(1)
        .map((call) => call.args[0].input),
    ).toEqual(
      STATS_KEYS.map((Key) => ({
        TableName: TABLE,
        Key,
        // A signed-in reader's marks go from the copy as from the comment.
        UpdateExpression:
          'SET pins.#pin.authorName = :name REMOVE pins.#pin.authorWebsite, pins.#pin.verified, pins.#pin.badges',
        ConditionExpression: 'attribute_exists(pins.#pin)',
        ExpressionAttributeNames: { '#pin': COMMENT_ID },
        ExpressionAttributeValues: { ':name': 'Deleted user' },
      })),
    );
  });
});

describe('ModerationRepository.undo', () => {
  const AT = '2031-01-01T00:00:00.000Z';
  const AUTHOR_KEY = { PK: `AUTHOR#${EMAIL_HASH}`, SK: 'AUTHOR' };
  const statusBack = (from: string, to: string, repin: boolean) => ({
    Update: {
      TableName: TABLE,
      Key: COMMENT_KEY,
      UpdateExpression: `SET #status = :from, moderatedAt = :now${repin ? ', pinned = :true' : ''} REMOVE decision`,
      ConditionExpression: '#status = :to AND decision.#at = :at',
      ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
      ExpressionAttributeValues: {
        ':from': from,
        ':to': to,
        ':at': AT,
        ':now': MODERATED_AT,
        ...(repin ? { ':true': true } : {}),
      },
    },
  });
  const grantBack = {
    Update: {
      TableName: TABLE,
      Key: AUTHOR_KEY,
      UpdateExpression: 'DELETE grantedBy :grant',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':grant': new Set([COMMENT_ID]) },
    },
  };
  const approval = {
    from: 'pending',
    to: 'published',
    at: AT,
    unpinned: false,
    grantedAuthor: true,
  } as const;

  it('puts an approval back: status, counts down, the grant taken, then a grantless author deleted', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    await repository.undo(record({ status: 'published' }), approval);
    expect(transactInput()).toEqual({
      TransactItems: [statusBack('pending', 'published', false), ...counts(-1), grantBack],
    });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: AUTHOR_KEY,
      ConditionExpression: 'provisional = :true AND attribute_not_exists(grantedBy)',
      ExpressionAttributeValues: { ':true': true },
    });
  });

  it('leaves an author with another grant, or known for good, in place', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(DeleteCommand).rejects(conditionalCheckFailed());
    await expect(
      repository.undo(record({ status: 'published' }), approval),
    ).resolves.toBeUndefined();
  });

  it('undoes without the grant when the author was erased meanwhile', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('None', 'None', 'None', 'ConditionalCheckFailed'))
      .resolves({});
    ddb.on(DeleteCommand).rejects(conditionalCheckFailed());
    await repository.undo(record({ status: 'published' }), approval);
    expect(transactInput(1)).toEqual({
      TransactItems: [statusBack('pending', 'published', false), ...counts(-1)],
    });
  });

  it('puts a pinned comment marked as spam back, with its copy on both stats items', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const current = record({ status: 'spam' });
    await repository.undo(current, {
      from: 'published',
      to: 'spam',
      at: AT,
      unpinned: true,
      grantedAuthor: false,
    });
    const items = transactInput()?.TransactItems ?? [];
    expect(items[0]).toEqual(statusBack('published', 'spam', true));
    // Back to published, as it was: its article's first comment time is already set.
    expect(items.slice(1)).toEqual(
      countUpdates(1, MODERATED_AT).map((update) => ({
        Update: {
          ...update.Update,
          UpdateExpression: `${update.Update.UpdateExpression}, pins.#pin = :copy`,
          ExpressionAttributeNames: { '#pin': COMMENT_ID },
          ExpressionAttributeValues: {
            ...update.Update.ExpressionAttributeValues,
            ':copy': expect.objectContaining({ commentId: COMMENT_ID, pinned: true }),
          },
        },
      })),
    );
    expect(ddb).toHaveReceivedCommandTimes(DeleteCommand, 0);
  });

  it('gives CommentNotFoundError when the decision is no longer on the comment', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None'));
    await expect(repository.undo(record({ status: 'published' }), approval)).rejects.toBeInstanceOf(
      CommentNotFoundError,
    );
  });
});
