import { createDispatcher } from '../mail/dispatcher';
import { afterKey, loadMailQueue, loadNotificationDeps } from '../mail/mail-runtime';

/** The mail dispatcher on the table's stream (lambda/mail/dispatcher.ts); not an HTTP route. */
const { ready, ...deps } = loadNotificationDeps();
export const handler = afterKey(ready, createDispatcher({ ...deps, queue: loadMailQueue() }));
