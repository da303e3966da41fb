import { createDispatcher } from '../mail/dispatcher';
import { loadMailQueue, loadNotificationDeps } from '../mail/mail-runtime';

/** The mail dispatcher on the table's stream (lambda/mail/dispatcher.ts); not an HTTP route. */
export const handler = createDispatcher({ ...loadNotificationDeps(), queue: loadMailQueue() });
