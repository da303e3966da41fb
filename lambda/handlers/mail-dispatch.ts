import { afterWaits } from '../before-request';
import { createDispatcher } from '../mail/dispatcher';
import { mailQueueFrom, notificationsFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** The mail dispatcher on the table's stream (lambda/mail/dispatcher.ts); not an HTTP route. */
export function createHandler({
  areas,
  beforeRequest,
}: HandlerDeps<'notifications' | 'mailQueue'>) {
  // A failed fetch of the link secret fails the batch, to be retried.
  return afterWaits(
    { beforeRequest },
    createDispatcher({ ...areas.notifications, queue: areas.mailQueue }),
  );
}

export const handler = createHandler(
  loadHandlerDeps({ notifications: notificationsFrom, mailQueue: mailQueueFrom }),
);
