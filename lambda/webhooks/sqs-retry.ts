/**
 * The backoff of a failed delivery on Amazon SQS: the message's visibility is set to the wait, so
 * the queue offers it again only then (a message reported failed comes back after its visibility
 * timeout, counting one receive more toward the dead-letter queue).
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RetryLater } from './sender';

export function sqsRetryLater(client: SQSClient, queueUrl: string): RetryLater {
  return async (receiptHandle, seconds) => {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  };
}
