import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { createHookDispatcher } from '../webhooks/dispatcher';
import { hookDispatchFrom, hookQueueFrom } from '../webhooks/webhook-areas';

/** The webhook dispatcher on the table's stream (lambda/webhooks/dispatcher.ts); not an HTTP route. */
export function createHandler({ areas }: HandlerDeps<'hookDispatch' | 'hookQueue'>) {
  // It hashes nothing and fetches no secret: nothing to wait for.
  return createHookDispatcher({ ...areas.hookDispatch, queue: areas.hookQueue });
}

export const handler = createHandler(
  loadHandlerDeps({ hookDispatch: hookDispatchFrom, hookQueue: hookQueueFrom }),
);
