/**
 * Webhooks and Slack on the local server (docs/screening.md, "Locally"): the same dispatcher, given
 * the stream records its event source mapping's filter lets through on AWS, queues deliveries on
 * an in-process queue, and the same sender POSTs them to the configured URLs. A failed delivery is
 * logged (the sender's line) and offered again after a doubling wait, as SQS would.
 */
import type { Delivery } from '../../lambda/domain/webhooks';
import { WEBHOOK_LINKS_ENV } from '../../lambda/env';
import { STREAM_FILTERS, webhooksWant } from '../../lambda/store/stream-filters';
import { inProcessQueue } from './outbox';
import type { StreamConsumer } from './stream-poller';

export async function startLocalWebhooks(options: {
  /** The local server's base URL: the Slack message's one-click links point there. */
  url: string;
}): Promise<{ dispatcher: StreamConsumer; stop(): void } | undefined> {
  const base = options.url.replace(/\/$/, '');
  process.env[WEBHOOK_LINKS_ENV] ??= JSON.stringify({
    apiUrl: base,
    articleUrlTemplate: `${base}/?article={articleId}`,
    consoleUrl: `${base}/admin/`,
  });
  // Imported after the environment is set, as the handlers are.
  const { loadHandlerDeps } = await import('../../lambda/runtime');
  const { hookDispatchFrom, hookSendFrom } = await import('../../lambda/webhooks/webhook-areas');
  const { createHookDispatcher } = await import('../../lambda/webhooks/dispatcher');
  const { createHookSender } = await import('../../lambda/webhooks/sender');
  const { areas } = loadHandlerDeps({ hookDispatch: hookDispatchFrom, hookSend: hookSendFrom });
  if (areas.hookDispatch.webhooks.length === 0 && !areas.hookDispatch.slack) return undefined;
  // The in-process queue waits out its own backoff: nothing to put back.
  const consume = createHookSender({ ...areas.hookSend, retryLater: async () => undefined });
  const queue = inProcessQueue<Delivery>(consume, { name: 'webhook' });
  return {
    dispatcher: {
      name: 'webhook dispatcher',
      wants: webhooksWant,
      consume: createHookDispatcher({ ...areas.hookDispatch, queue }),
      retryAttempts: STREAM_FILTERS.webhooks.retryAttempts,
    },
    stop() {
      queue.stop();
    },
  };
}
