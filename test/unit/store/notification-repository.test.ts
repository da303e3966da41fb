import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { ulid, ulidTime } from '../../../lambda/domain/ids';
import { NotificationRepository } from '../../../lambda/store/notification-repository';
import { conditionalCheckFailed, provisionedThroughputExceeded } from './sdk-errors';

const TABLE = 'talkback-test';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new NotificationRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);

beforeEach(() => dynamo.reset());

/** A comment's key as the table has it: its time comes from its id. */
const commentKey = (articleId: string, commentId: string) => ({
  PK: `ARTICLE#${articleId}`,
  SK: `COMMENT#${new Date(ulidTime(commentId)).toISOString()}#${commentId}`,
});

describe('NotificationRepository', () => {
  it('reads a stream batch’s comments whole and consistently, 100 keys a request, following unprocessed keys', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => ulid(Date.UTC(2026, 11, 1) + n * 1000));
    const refs = ids.map((commentId) => ({ articleId: 'a1', commentId }));
    const item = (commentId: string) => ({
      ...commentKey('a1', commentId),
      entity: 'Comment',
      commentId,
      articleId: 'a1',
      authorName: 'Ada',
      email: 'ada@example.com',
      body: 'Hi',
      status: 'published',
      createdAt: new Date(ulidTime(commentId)).toISOString(),
    });
    const first = ids[0] ?? '';
    const unprocessed = commentKey('a1', first);
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: ids.slice(1, 100).map(item) },
        UnprocessedKeys: { [TABLE]: { Keys: [unprocessed], ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [item(first)] } })
      .resolvesOnce({ Responses: { [TABLE]: ids.slice(100).map(item) } });
    const found = await repository().findComments(refs);
    expect(found.map((comment) => comment.commentId).sort()).toEqual([...ids].sort());
    expect(found[0]?.email).toBe('ada@example.com');
    const inputs = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual([
      {
        RequestItems: {
          [TABLE]: {
            Keys: ids.slice(0, 100).map((id) => commentKey('a1', id)),
            ConsistentRead: true,
          },
        },
      },
      { RequestItems: { [TABLE]: { Keys: [unprocessed], ConsistentRead: true } } },
      {
        RequestItems: {
          [TABLE]: { Keys: ids.slice(100).map((id) => commentKey('a1', id)), ConsistentRead: true },
        },
      },
    ]);
  });

  it('reads no table for an empty batch, and a busy table is ServiceBusyError', async () => {
    await expect(repository().findComments([])).resolves.toEqual([]);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 0);
    dynamo.on(BatchGetCommand).rejects(provisionedThroughputExceeded());
    await expect(
      repository().findComments([{ articleId: 'a1', commentId: ulid(Date.UTC(2026, 0, 1)) }]),
    ).rejects.toBeInstanceOf(ServiceBusyError);
  });

  it('marks a confirmation for a new or unconfirmed address a day past its last one, or the same comment', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const sent = await repository().markConfirmationSent(
      { emailHash: 'h1', email: 'ada@example.com' },
      'c1',
      '2026-12-02T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    );
    expect(sent).toBe(true);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { PK: 'SUBSCRIBER#h1', SK: 'SUBSCRIBER' },
      UpdateExpression:
        'SET entity = :entity, email = :email, #state = :pending, confirmationSentAt = :now, confirmationFor = :comment, pendingSince = if_not_exists(pendingSince, :now)',
      ConditionExpression:
        'attribute_not_exists(PK) OR (#state <> :confirmed AND (confirmationSentAt < :notBefore OR confirmationFor = :comment))',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':entity': 'Subscriber',
        ':email': 'ada@example.com',
        ':pending': 'pending',
        ':confirmed': 'confirmed',
        ':now': '2026-12-02T00:00:00.000Z',
        ':notBefore': '2026-12-01T00:00:00.000Z',
        ':comment': 'c1',
      },
    });
  });

  const ISSUED = '2026-12-01T00:00:00.000Z';
  const CONFIRMED = '2026-12-02T00:00:00.000Z';

  it('reads an address’s state and when its request began, consistently, never its email', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { state: 'confirmed', pendingSince: ISSUED } })
      .resolvesOnce({ Item: { state: 'pending' } })
      .resolvesOnce({});
    await expect(repository().subscriptionState('h1')).resolves.toEqual({
      state: 'confirmed',
      pendingSince: ISSUED,
    });
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { PK: 'SUBSCRIBER#h1', SK: 'SUBSCRIBER' },
      ConsistentRead: true,
      ProjectionExpression: '#state, pendingSince',
      ExpressionAttributeNames: { '#state': 'state' },
    });
    await expect(repository().subscriptionState('h1')).resolves.toEqual({
      state: 'pending',
      pendingSince: null,
    });
    await expect(repository().subscriptionState('h1')).resolves.toBeUndefined();
  });

  it('answers false when the condition refuses, and a busy table as ServiceBusyError', async () => {
    dynamo.on(UpdateCommand).rejectsOnce(conditionalCheckFailed());
    await expect(repository().confirm('h1', ISSUED, CONFIRMED)).resolves.toBe(false);
    dynamo.on(UpdateCommand).rejects(provisionedThroughputExceeded());
    await expect(repository().confirm('h1', ISSUED, CONFIRMED)).rejects.toBeInstanceOf(
      ServiceBusyError,
    );
  });

  it('confirms only a pending or confirmed address by a link issued since it was asked for, and unsubscribes only an existing one', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository().confirm('h1', ISSUED, CONFIRMED);
    expect(dynamo).toHaveReceivedNthCommandWith(1, UpdateCommand, {
      TableName: TABLE,
      Key: { PK: 'SUBSCRIBER#h1', SK: 'SUBSCRIBER' },
      UpdateExpression: 'SET #state = :confirmed, confirmedAt = if_not_exists(confirmedAt, :now)',
      ConditionExpression: '#state IN (:pending, :confirmed) AND pendingSince <= :issued',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':confirmed': 'confirmed',
        ':pending': 'pending',
        ':issued': ISSUED,
        ':now': CONFIRMED,
      },
    });
    dynamo.on(UpdateCommand).rejects(conditionalCheckFailed());
    await expect(repository().unsubscribe('gone', 'now')).resolves.toBeUndefined();
    expect(dynamo).toHaveReceivedNthCommandWith(2, UpdateCommand, {
      Key: { PK: 'SUBSCRIBER#gone', SK: 'SUBSCRIBER' },
      // Without pendingSince, no link issued before this one confirms the address again.
      UpdateExpression: 'SET #state = :unsubscribed, unsubscribedAt = :now REMOVE pendingSince',
      ConditionExpression: 'attribute_exists(PK)',
    });
  });

  it('claims a mail once with an expiring marker, and releases it', async () => {
    dynamo.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());
    dynamo.on(DeleteCommand).resolves({});
    await expect(repository().claimMail('m1', 1_900_000_000)).resolves.toBe(true);
    await expect(repository().claimMail('m1', 1_900_000_000)).resolves.toBe(false);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { PK: 'MAIL#m1', SK: 'SENT', entity: 'MailMarker', expiresAt: 1_900_000_000 },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    await repository().releaseMail('m1');
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { PK: 'MAIL#m1', SK: 'SENT' },
    });
  });

  it('lists a window’s held comments from byStatus, half-open at its end', async () => {
    const item = (createdAt: string) => ({
      PK: 'ARTICLE#a',
      SK: `COMMENT#${createdAt}#id`,
      commentId: 'id',
      articleId: 'a',
      authorName: 'Eve',
      body: 'x',
      status: 'pending',
      createdAt,
    });
    dynamo.on(QueryCommand).resolves({
      Items: [item('2026-12-02T00:00:00.000Z'), item('2026-12-02T00:05:00.000Z')],
    });
    const held = await repository().heldBetween(
      '2026-12-02T00:00:00.000Z',
      '2026-12-02T00:05:00.000Z',
    );
    expect(held.map((comment) => comment.createdAt)).toEqual(['2026-12-02T00:00:00.000Z']);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :pending AND createdAt BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':from': '2026-12-02T00:00:00.000Z',
        ':to': '2026-12-02T00:05:00.000Z',
      },
    });
  });

  it('counts a reply toward the address’s hour under the cap, else records it for the digest', async () => {
    const key = { PK: 'SUBSCRIBER#h1', SK: 'HOUR#2026-12-02T03:00:00.000Z' };
    const values = {
      ':entity': 'NotifiedHour',
      ':expiresAt': 1_800_000_000,
      ':reply': new Set(['a1 c9']),
    };
    dynamo.on(UpdateCommand).resolvesOnce({});
    const count = () =>
      repository().countReply(
        'h1',
        '2026-12-02T03:00:00.000Z',
        { articleId: 'a1', commentId: 'c9' },
        5,
        1_800_000_000,
      );
    await expect(count()).resolves.toBe('send');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: key,
      UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD sent :reply',
      ConditionExpression:
        'attribute_not_exists(sent) OR size(sent) < :cap OR contains(sent, :one)',
      ExpressionAttributeValues: { ...values, ':cap': 5, ':one': 'a1 c9' },
    });
    dynamo.reset();
    dynamo.on(UpdateCommand).rejectsOnce(conditionalCheckFailed()).resolves({});
    await expect(count()).resolves.toBe('digest');
    expect(dynamo).toHaveReceivedNthCommandWith(2, UpdateCommand, {
      TableName: TABLE,
      Key: key,
      UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD held :reply',
      ExpressionAttributeValues: values,
    });
  });

  it('reads the replies held for an hour’s digest', async () => {
    dynamo.on(GetCommand).resolves({ Item: { held: new Set(['a1 c9', 'a2 c7']) } });
    await expect(repository().digestReplies('h1', '2026-12-02T03:00:00.000Z')).resolves.toEqual([
      { articleId: 'a1', commentId: 'c9' },
      { articleId: 'a2', commentId: 'c7' },
    ]);
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: { PK: 'SUBSCRIBER#h1', SK: 'HOUR#2026-12-02T03:00:00.000Z' },
      ProjectionExpression: 'held',
      ConsistentRead: true,
    });
  });
});
