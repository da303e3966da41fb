import { afterKey, loadMailQueue, loadNotificationDeps } from '../mail/mail-runtime';
import { createSender } from '../mail/sender';
import { loadMailSender } from '../mail/sender-runtime';

/** The mail sender on the mail queue (lambda/mail/sender.ts); not an HTTP route. */
const { ready, ...deps } = loadNotificationDeps();
export const handler = afterKey(
  ready,
  createSender({
    ...deps,
    sender: loadMailSender(process.env, deps.clock),
    queue: loadMailQueue(),
  }),
);
