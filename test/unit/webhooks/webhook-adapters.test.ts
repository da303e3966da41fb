import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { ulidTime } from '../../../lambda/domain/ids';
import type { QueuedDelivery } from '../../../lambda/domain/webhooks';
import { sqsJobQueue } from '../../../lambda/mail/sqs-queue';
import { WebhookRepository } from '../../../lambda/store/webhook-repository';
import { sqsRetryLater } from '../../../lambda/webhooks/sqs-retry';
import { conditionalCheckFailed, provisionedThroughputExceeded } from '../store/sdk-errors';

const TABLE = 'talkback-test';
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/talkback-webhooks';
const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));

beforeEach(() => {
  sqs.reset();
  dynamo.reset();
});

const COMMENT = '01KBXZ5M0000000000000000AA';
const key = {
  PK: 'ARTICLE#art-1',
  SK: `COMMENT#${new Date(ulidTime(COMMENT)).toISOString()}#${COMMENT}`,
};
/** Every name aliased, as store/attributes.ts projection() writes them. */
const PROJECTION = {
  ProjectionExpression:
    '#PK, #SK, #commentId, #articleId, #parentId, #authorName, #authorWebsite, #body, #createdAt, #editedAt, #status, #staff, #pinned, #verified, #badges, #holdReasons, #imported, #moderatedAt, #decision',
  ExpressionAttributeNames: Object.fromEntries(
    [
      'PK',
      'SK',
      'commentId',
      'articleId',
      'parentId',
      'authorName',
      'authorWebsite',
      'body',
      'createdAt',
      'editedAt',
      'status',
      'staff',
      'pinned',
      'verified',
      'badges',
      'holdReasons',
      'imported',
      'moderatedAt',
      'decision',
    ].map((name) => [`#${name}`, name]),
  ),
};

describe('the delivery queue on SQS', () => {
  it('sends the deliveries as JSON with their delays', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs: QueuedDelivery[] = [
      {
        job: { kind: 'slack', ref: { articleId: 'art-1', commentId: COMMENT }, stamp: 'x' },
        delaySeconds: 12,
      },
    ];
    await sqsJobQueue(new SQSClient({}), QUEUE_URL, 'webhook').enqueue(jobs);
    expect(sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [{ Id: '0', MessageBody: JSON.stringify(jobs[0]?.job), DelaySeconds: 12 }],
    });
  });

  it('throws, naming the queue, when it refuses some', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }] });
    await expect(
      sqsJobQueue(new SQSClient({}), QUEUE_URL, 'webhook').enqueue([
        {
          job: { kind: 'slack', ref: { articleId: 'a', commentId: 'c' }, stamp: 'x' },
          delaySeconds: 0,
        },
      ]),
    ).rejects.toThrow('the webhook queue refused 1 of 1 jobs');
  });

  it('puts a failed message back after the wait by its visibility', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    await sqsRetryLater(new SQSClient({}), QUEUE_URL)('receipt-1', 240);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      QueueUrl: QUEUE_URL,
      ReceiptHandle: 'receipt-1',
      VisibilityTimeout: 240,
    });
  });
});

describe('WebhookRepository', () => {
  const item = {
    ...key,
    commentId: COMMENT,
    articleId: 'art-1',
    authorName: 'Ada',
    body: 'Hi',
    status: 'spam',
    createdAt: '2026-12-07T10:00:00.000Z',
    moderatedAt: '2026-12-07T11:00:00.000Z',
    decision: { from: 'published', to: 'spam', at: '2026-12-07T11:00:00.000Z' },
    holdReasons: ['rule:x'],
  };

  it('reads a comment consistently, projected to what an event carries (no email, no hashes)', async () => {
    dynamo.on(GetCommand).resolves({ Item: item });
    const found = await new WebhookRepository(documents(), TABLE, false).findComment({
      articleId: 'art-1',
      commentId: COMMENT,
    });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: TABLE,
      Key: key,
      ConsistentRead: true,
      ...PROJECTION,
    });
    expect(found).toMatchObject({
      status: 'spam',
      moderatedAt: item.moderatedAt,
      decidedFrom: 'published',
      holdReasons: ['rule:x'],
    });
  });

  it('reads the email too where an endpoint opted in', async () => {
    dynamo.on(GetCommand).resolves({});
    await new WebhookRepository(documents(), TABLE, true).findComment({
      articleId: 'art-1',
      commentId: COMMENT,
    });
    const input = dynamo.commandCalls(GetCommand)[0]?.args[0].input;
    expect(input?.ProjectionExpression).toBe(`${PROJECTION.ProjectionExpression}, #email`);
    expect(input?.ExpressionAttributeNames).toEqual({
      ...PROJECTION.ExpressionAttributeNames,
      '#email': 'email',
    });
  });

  it('reads a batch’s comments consistently with the same projection', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [item] } });
    const found = await new WebhookRepository(documents(), TABLE, false).findComments([
      { articleId: 'art-1', commentId: COMMENT },
    ]);
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { [TABLE]: { Keys: [key], ConsistentRead: true, ...PROJECTION } },
    });
    expect(found).toHaveLength(1);
  });

  it('claims a delivery’s marker once, and takes it back', async () => {
    dynamo.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionalCheckFailed());
    dynamo.on(DeleteCommand).resolves({});
    const repository = new WebhookRepository(documents(), TABLE, false);
    await expect(repository.claim('d1', 1_800_000_000)).resolves.toBe(true);
    await expect(repository.claim('d1', 1_800_000_000)).resolves.toBe(false);
    await repository.release('d1');
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { PK: 'HOOK#d1', SK: 'SENT', entity: 'HookMarker', expiresAt: 1_800_000_000 },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: TABLE,
      Key: { PK: 'HOOK#d1', SK: 'SENT' },
    });
  });

  it('turns a throttle into ServiceBusyError', async () => {
    dynamo.on(PutCommand).rejects(provisionedThroughputExceeded());
    await expect(
      new WebhookRepository(documents(), TABLE, false).claim('d1', 1),
    ).rejects.toBeInstanceOf(ServiceBusyError);
  });
});
