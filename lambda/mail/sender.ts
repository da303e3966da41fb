import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type MailJob, runJob, type SenderDeps } from '../domain/notifications';

/**
 * The mail sender on the mail queue: runs each job and reports the ones that failed, which the
 * queue offers again after its visibility timeout and, after a few tries, moves to the
 * dead-letter queue. Not an HTTP route. Logs the error's name only, never an address.
 */
export function createSender(deps: SenderDeps) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await runJob(deps, JSON.parse(record.body) as MailJob);
      } catch (error) {
        const name = error instanceof Error ? error.name : typeof error;
        console.error(JSON.stringify({ level: 'ERROR', message: 'mail job failed', error: name }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
