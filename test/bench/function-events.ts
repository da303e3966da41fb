/**
 * The events of the functions that are not HTTP routes, as Lambda hands them over at the batch
 * sizes the stack configures: the table's stream for the tally (votes) and the mail and webhook
 * dispatchers (comments), the mail queue and the webhook deliveries' for their senders.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import type { MailJob } from '../../lambda/domain/notifications';
import type { Delivery } from '../../lambda/domain/webhooks';
import { type ItemKey, keys } from '../../lambda/store/keys';
import { TALLY_STREAM } from '../../lib/reaction-tally';
import { MAIL_DELIVERY } from '../../lib/talkback-mail';
import { WEBHOOK_DELIVERY } from '../../lib/talkback-webhooks';

/** The articles one full batch of votes touches: an assumption, a busy second on a busy site. */
export const TALLY_ARTICLES = 50;

function streamRecord(
  key: ItemKey,
  index: number,
  eventName: DynamoDBRecord['eventName'],
): DynamoDBRecord {
  return {
    eventID: `event-${index}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      Keys: { PK: { S: key.PK }, SK: { S: key.SK } },
      SequenceNumber: String(1000 + index),
      SizeBytes: 120,
      StreamViewType: 'KEYS_ONLY',
    },
  };
}

/** A full batch of the table's stream (keys only), as the tally reads it: votes on many articles. */
export function tallyBatch(): DynamoDBStreamEvent {
  return {
    Records: Array.from({ length: TALLY_STREAM.batchSize }, (_, index) =>
      streamRecord(
        keys.vote(`article-${index % TALLY_ARTICLES}`, `visitor-hash-${index}`),
        index,
        'MODIFY',
      ),
    ),
  };
}

/**
 * A full batch of the stream as the mail dispatcher gets it (comment keys only, by the event
 * source's filter): new comments, each read back whole.
 */
export function dispatchBatch(
  comments: readonly { articleId: string; createdAt: string; commentId: string }[],
): DynamoDBStreamEvent {
  return {
    Records: Array.from({ length: MAIL_DELIVERY.dispatchBatchSize }, (_, index) => {
      const comment = comments[index % comments.length];
      if (!comment) throw new Error('dispatch batch: no comments to list');
      return streamRecord(
        keys.comment(comment.articleId, comment.createdAt, comment.commentId),
        index,
        'INSERT',
      );
    }),
  };
}

/** A full batch of the stream as the webhook dispatcher gets it: new comments. */
export function hookDispatchBatch(
  comments: readonly { articleId: string; createdAt: string; commentId: string }[],
): DynamoDBStreamEvent {
  return {
    Records: dispatchBatch(comments).Records.slice(0, WEBHOOK_DELIVERY.dispatchBatchSize),
  };
}

/** A full batch of the mail queue, as the sender gets it: one job a message. */
export function sendBatch(jobs: readonly MailJob[]): SQSEvent {
  return queueBatch(jobs.slice(0, MAIL_DELIVERY.sendBatchSize));
}

/** A full batch of the webhook deliveries, as the webhook sender gets it. */
export function hookSendBatch(deliveries: readonly Delivery[]): SQSEvent {
  return queueBatch(deliveries.slice(0, WEBHOOK_DELIVERY.sendBatchSize));
}

function queueBatch(jobs: readonly unknown[]): SQSEvent {
  return {
    Records: jobs.map((job, index) => ({
      messageId: `message-${index}`,
      receiptHandle: `receipt-${index}`,
      body: JSON.stringify(job),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1764000000000',
        SenderId: 'AROAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1764000000000',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:talkback-bench-mail',
      awsRegion: 'eu-west-1',
    })),
  };
}
