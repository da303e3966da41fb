import type { DynamoDBStreamEvent } from 'aws-lambda';
import {
  type CommentChange,
  type DeliveryQueue,
  deliveriesFor,
  type HookDispatchDeps,
} from '../domain/webhooks';
import { commentOfKey } from '../store/keys';

/**
 * The webhook dispatcher on the table's stream (keys only; comment keys only, by the event
 * source's filter, lambda/store/stream-filters.ts): for each comment in the batch, queues the
 * deliveries it calls for now (lambda/domain/webhooks.ts). Not an HTTP route. A failure throws, so
 * Lambda retries the batch; the sender makes each delivery once whatever the retries.
 */
export function createHookDispatcher(deps: HookDispatchDeps & { queue: DeliveryQueue }) {
  return async (event: DynamoDBStreamEvent): Promise<void> => {
    const changes = new Map<string, CommentChange>();
    for (const record of event.Records) {
      const ref = commentOfKey({
        PK: record.dynamodb?.Keys?.PK?.S,
        SK: record.dynamodb?.Keys?.SK?.S,
      });
      if (!ref) continue;
      const key = `${ref.articleId}/${ref.commentId}`;
      const change = changes.get(key) ?? { ref, inserted: false, removed: false };
      if (record.eventName === 'INSERT') change.inserted = true;
      // A comment deleted in the batch is gone, whatever came before; a key is never reused.
      change.removed = change.removed || record.eventName === 'REMOVE';
      changes.set(key, change);
    }
    const present = [...changes.values()].filter((change) => !change.removed);
    const comments =
      present.length > 0 ? await deps.store.findComments(present.map((c) => c.ref)) : [];
    const byKey = new Map(
      comments.map((comment) => [`${comment.articleId}/${comment.commentId}`, comment]),
    );
    const jobs = [...changes.entries()].flatMap(([key, change]) =>
      deliveriesFor(deps, change, byKey.get(key)),
    );
    if (jobs.length > 0) await deps.queue.enqueue(jobs);
  };
}
