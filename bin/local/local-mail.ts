/**
 * Mail on the local server: the dispatcher reads the table's stream through its own poller (as
 * its event source mapping does on AWS), queues jobs on the in-process queue, and the sender
 * writes each mail to the outbox instead of handing it to SES.
 */
import { MAIL_FROM_ENV, MAIL_SETTINGS_ENV } from '../../lambda/mail/mail-settings';
import { inProcessQueue, outboxSender } from './outbox';
import { startStreamPoller } from './stream-poller';

export interface LocalMailOptions {
  endpoint: string;
  streamArn: string;
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

export async function startLocalMail(options: LocalMailOptions) {
  process.env[MAIL_SETTINGS_ENV] ??= localMailSettings(options.url);
  process.env[MAIL_FROM_ENV] ??= 'Talkback <comments@talkback.localhost>';
  // Imported after the environment is set, as the handlers are.
  const { loadNotificationDeps } = await import('../../lambda/mail/mail-runtime');
  const { createDispatcher } = await import('../../lambda/mail/dispatcher');
  const { createSender } = await import('../../lambda/mail/sender');
  const deps = loadNotificationDeps(process.env);
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
  const poller = startStreamPoller(
    options.endpoint,
    options.streamArn,
    createDispatcher({ ...deps, queue }),
  );
  return {
    async stop() {
      await poller.stop();
      queue.stop();
    },
  };
}
