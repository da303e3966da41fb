/**
 * A queue on Amazon SQS: jobs as JSON, up to ten a SendMessageBatch, each with its delay. The mail
 * queue and the webhook deliveries' (lambda/webhooks/) are both this. A refused entry or an SQS
 * error throws, so the dispatcher's stream batch is retried; jobs that did go in are still sent
 * only once (the senders' markers).
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MailQueue, QueuedJob } from '../domain/notifications';

/** SendMessageBatch takes at most ten entries. */
const BATCH = 10;

/** A queue of jobs of one kind, each with the seconds before a consumer may see it. */
export interface JobQueue<J> {
  enqueue(jobs: { job: J; delaySeconds: number }[]): Promise<void>;
}

export function sqsJobQueue<J>(client: SQSClient, queueUrl: string, name: string): JobQueue<J> {
  return {
    async enqueue(jobs) {
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
          throw new Error(`the ${name} queue refused ${failed.length} of ${entries.length} jobs`);
        }
      }
    },
  };
}

export function sqsQueue(client: SQSClient, queueUrl: string): MailQueue {
  return sqsJobQueue<QueuedJob['job']>(client, queueUrl, 'mail');
}
