import { afterWaits } from '../before-request';
import { mailQueueFrom, notificationsFrom } from '../mail/mail-areas';
import { createSender } from '../mail/sender';
import { mailSenderFrom } from '../mail/sender-area';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** The mail sender on the mail queue (lambda/mail/sender.ts); not an HTTP route. */
export function createHandler({
  areas,
  beforeRequest,
}: HandlerDeps<'notifications' | 'mailQueue' | 'mailSender'>) {
  // A failed fetch of a root secret (lambda/secrets/) fails the batch, to be retried.
  return afterWaits(
    { beforeRequest },
    createSender({ ...areas.notifications, sender: areas.mailSender, queue: areas.mailQueue }),
  );
}

export const handler = createHandler(
  loadHandlerDeps({
    notifications: notificationsFrom,
    mailQueue: mailQueueFrom,
    mailSender: mailSenderFrom,
  }),
);
