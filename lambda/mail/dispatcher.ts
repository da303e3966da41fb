import type { DynamoDBStreamEvent } from 'aws-lambda';
import {
  type CommentRef,
  type MailQueue,
  mailForComment,
  mailForNotice,
  type NotificationDeps,
} from '../domain/notifications';
import { commentOfKey, reportOfKey } from '../store/keys';

/**
 * The mail dispatcher on the table's stream (keys only, comment and report keys only by the event
 * source's filter): for each comment and report in the batch, queues the mail it calls for now. Not an HTTP route.
 * A failure throws, so Lambda retries the batch; the sender sends each mail once whatever the
 * retries.
 */
export function createDispatcher(deps: NotificationDeps & { queue: MailQueue }) {
  return async (event: DynamoDBStreamEvent): Promise<void> => {
    // A comment changed twice in a batch is read once: the read is of its state now.
    const refs = new Map<string, CommentRef>();
    // Report items (a notice received, or decided): each read once, for its notifier's mail.
    const reports = new Map<string, { commentId: string; reporterHash: string }>();
    for (const record of event.Records) {
      if (record.eventName === 'REMOVE') continue;
      const key = { PK: record.dynamodb?.Keys?.PK?.S, SK: record.dynamodb?.Keys?.SK?.S };
      const ref = commentOfKey(key);
      if (ref) refs.set(`${ref.articleId}/${ref.commentId}`, ref);
      const report = reportOfKey(key);
      if (report) reports.set(`${report.commentId}/${report.reporterHash}`, report);
    }
    for (const { commentId, reporterHash } of reports.values()) {
      const notice = await deps.store.findNotice(commentId, reporterHash);
      if (notice) await deps.queue.enqueue(await mailForNotice(deps, notice));
    }
    // One read for the batch's comments (100 a request), not one each: an import or a busy
    // thread writes hundreds at once.
    const comments = await deps.store.findComments([...refs.values()]);
    const byKey = new Map(
      comments.map((comment) => [`${comment.articleId}/${comment.commentId}`, comment]),
    );
    for (const key of refs.keys()) {
      const comment = byKey.get(key);
      if (comment) await deps.queue.enqueue(await mailForComment(deps, comment));
    }
  };
}
