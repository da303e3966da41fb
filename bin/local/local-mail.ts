/**
 * Mail on the local server: the dispatcher is given the table's stream records its event source
 * mapping's filter lets through on AWS (by the server's one poller), queues jobs on the in-process
 * queue, and the sender writes each mail to the outbox instead of handing it to SES.
 */
import { MAIL_FROM_ENV, MAIL_SETTINGS_ENV } from '../../lambda/env';
import { mailWants, STREAM_FILTERS } from '../../lambda/store/stream-filters';
import { inProcessQueue, outboxSender } from './outbox';
import type { StreamConsumer } from './stream-poller';

export interface LocalMailOptions {
  outbox: string;
  /** The local server's base URL: the API, the demo page and the confirmation links. */
  url: string;
}

/**
 * Mail settings for the demo unless TALKBACK_MAIL is set: the demo page as every article's page
 * and a one-minute digest window, so a held comment's notice shows up while one is trying it.
 */
function localMailSettings(url: string): string {
  const base = url.replace(/\/$/, '');
  return JSON.stringify({
    siteName: 'Talkback (local)',
    articleUrlTemplate: `${base}/?article={articleId}`,
    apiUrl: base,
    moderatorEmails: ['moderator@talkback.localhost'],
    digestSeconds: 60,
  });
}

export async function startLocalMail(
  options: LocalMailOptions,
): Promise<{ dispatcher: StreamConsumer; stop(): void }> {
  process.env[MAIL_SETTINGS_ENV] ??= localMailSettings(options.url);
  process.env[MAIL_FROM_ENV] ??= 'Talkback <comments@talkback.localhost>';
  // Imported after the environment is set, as the handlers are.
  const { loadHandlerDeps } = await import('../../lambda/runtime');
  const { notificationsFrom } = await import('../../lambda/mail/mail-areas');
  const { createDispatcher } = await import('../../lambda/mail/dispatcher');
  const { createSender } = await import('../../lambda/mail/sender');
  // The mail functions' area; its queue and sender are the local server's own.
  const deps = loadHandlerDeps({ notifications: notificationsFrom }).areas.notifications;
  const sender = outboxSender({
    folder: options.outbox,
    from: process.env[MAIL_FROM_ENV] ?? '',
    clock: deps.clock,
  });
  // The sender queues again on the queue it consumes (a digest due later than SQS's longest delay).
  let consume: ReturnType<typeof createSender> | undefined;
  const queue = inProcessQueue((event) =>
    consume ? consume(event) : Promise.reject(new Error('the mail sender is not ready')),
  );
  consume = createSender({ ...deps, sender, queue });
  return {
    dispatcher: {
      name: 'mail dispatcher',
      wants: mailWants,
      consume: createDispatcher({ ...deps, queue }),
      retryAttempts: STREAM_FILTERS.mail.retryAttempts,
    },
    stop() {
      queue.stop();
    },
  };
}
