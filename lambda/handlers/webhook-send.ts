import { afterWaits } from '../before-request';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { createHookSender } from '../webhooks/sender';
import { hookRetryFrom, hookSendFrom } from '../webhooks/webhook-areas';

/** The webhook sender on the delivery queue (lambda/webhooks/sender.ts); not an HTTP route. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'hookSend' | 'hookRetry'>) {
  // The hashing key (event ids, markers, the Slack message's links) first: a failed fetch fails
  // the batch, to be retried.
  return afterWaits(
    { beforeRequest },
    createHookSender({ ...areas.hookSend, retryLater: areas.hookRetry }),
  );
}

export const handler = createHandler(
  loadHandlerDeps({ hookSend: hookSendFrom, hookRetry: hookRetryFrom }),
);
