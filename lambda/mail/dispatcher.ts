import type { DynamoDBStreamEvent } from 'aws-lambda';
import { type MailQueue, mailForComment, type NotificationDeps } from '../domain/notifications';
import { commentOfKey } from '../store/keys';

/**
 * The mail dispatcher on the table's stream (keys only, comment keys only by the event source's
 * filter): for each comment in the batch, queues the mail it calls for now. Not an HTTP route.
 * A failure throws, so Lambda retries the batch; the sender sends each mail once whatever the
 * retries.
 */
export function createDispatcher(deps: NotificationDeps & { queue: MailQueue }) {
  return async (event: DynamoDBStreamEvent): Promise<void> => {
    const seen = new Set<string>();
    for (const record of event.Records) {
      if (record.eventName === 'REMOVE') continue;
      const ref = commentOfKey({
        PK: record.dynamodb?.Keys?.PK?.S,
        SK: record.dynamodb?.Keys?.SK?.S,
      });
      // A comment changed twice in a batch is read once: the read is of its state now.
      if (!ref || seen.has(`${ref.articleId}/${ref.commentId}`)) continue;
      seen.add(`${ref.articleId}/${ref.commentId}`);
      await deps.queue.enqueue(await mailForComment(deps, ref));
    }
  };
}
