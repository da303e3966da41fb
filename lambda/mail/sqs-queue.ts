/**
 * The mail queue on Amazon SQS: jobs as JSON, up to ten a SendMessageBatch, each with its delay.
 * A refused entry or an SQS error throws, so the dispatcher's stream batch is retried; jobs that
 * did go in are still sent only once (the sender's markers).
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MailQueue, QueuedJob } from '../domain/notifications';

/** SendMessageBatch takes at most ten entries. */
const BATCH = 10;

export function sqsQueue(client: SQSClient, queueUrl: string): MailQueue {
  return {
    async enqueue(jobs: QueuedJob[]) {
      for (let start = 0; start < jobs.length; start += BATCH) {
        const entries = jobs.slice(start, start + BATCH).map(({ job, delaySeconds }, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(job),
          DelaySeconds: delaySeconds,
        }));
        const answer = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = answer.Failed ?? [];
        if (failed.length > 0) {
          throw new Error(`the mail queue refused ${failed.length} of ${entries.length} jobs`);
        }
      }
    },
  };
}
