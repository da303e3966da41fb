import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type Delivery, deliver, type HookSendDeps, retryDelaySeconds } from '../domain/webhooks';
import { DeliveryFailedError } from './http-poster';

/** Puts a failed message back on the queue after this many seconds (SQS: its visibility). */
export type RetryLater = (receiptHandle: string, seconds: number) => Promise<void>;

/** Where a failed delivery went, for the log: the endpoint's host, or Slack; never a path. */
function endpointOf(job: Delivery): string {
  if (job.kind === 'slack') return 'slack';
  try {
    return new URL(job.url).host;
  } catch {
    return 'unknown';
  }
}

/**
 * The webhook sender on the delivery queue: makes each delivery and reports the ones that failed,
 * each put back on the queue after a doubling wait (30 s, 1 min, 2 min... at most an hour); after
 * the queue's last try it goes to the dead-letter queue, which raises an alarm. Not an HTTP route.
 * Logs the endpoint's host, the event and why, never a URL's path, a body or an address.
 */
export function createHookSender(deps: HookSendDeps & { retryLater: RetryLater }) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const job = JSON.parse(record.body) as Delivery;
      try {
        await deliver(deps, job);
      } catch (error) {
        const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
        const why =
          error instanceof DeliveryFailedError
            ? error.reason
            : error instanceof Error
              ? error.name
              : typeof error;
        const retryInSeconds = retryDelaySeconds(attempt);
        console.warn(
          JSON.stringify({
            level: 'WARN',
            message: 'webhook delivery failed; it will be tried again',
            endpoint: endpointOf(job),
            event: job.kind === 'slack' ? 'slack' : job.event,
            attempt,
            error: why,
            retryInSeconds,
          }),
        );
        // A failure to delay it only brings the retry sooner (the queue's visibility timeout).
        await deps.retryLater(record.receiptHandle, retryInSeconds).catch(() => undefined);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
