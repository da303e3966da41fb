/**
 * Handler modules build their runtime from the environment when they are first imported (and
 * fail without TABLE_NAME and TALKBACK_SECRET, the mail functions without their mail settings). The benchmarks hand every handler its own
 * runtime, so the one built at import is never used: this gives the environment a harmless
 * configuration for the moment of the import only, because later phases start processes that
 * inherit the environment.
 */
import {
  MAIL_CONFIGURATION_SET_ENV,
  MAIL_FROM_ENV,
  MAIL_QUEUE_URL_ENV,
  MAIL_SETTINGS_ENV,
  WEBHOOK_LINKS_ENV,
  WEBHOOK_QUEUE_URL_ENV,
} from '../../lambda/env';

export const BENCH_SECRET = 'bench-secret-0123456789-0123456789-abcdef';
export const BENCH_LINK_SECRET = 'bench-link-secret-0123456789-0123456789-abcdef';

/** The mail functions' settings, as the stack gives them (the mail dispatcher and sender). */
export const MAIL_ENV = {
  [MAIL_SETTINGS_ENV]: JSON.stringify({
    siteName: 'Bench News',
    articleUrlTemplate: 'https://news.example/{articleId}',
    apiUrl: 'https://api.example',
    moderatorEmails: ['moderators@news.example'],
  }),
  [MAIL_FROM_ENV]: 'comments@news.example',
  [MAIL_CONFIGURATION_SET_ENV]: 'talkback-bench',
  [MAIL_QUEUE_URL_ENV]: 'https://sqs.eu-west-1.amazonaws.com/111122223333/talkback-bench-mail',
};

/** The webhook functions' queue and the links of the Slack message, as the stack gives them. */
export const WEBHOOK_ENV = {
  [WEBHOOK_QUEUE_URL_ENV]:
    'https://sqs.eu-west-1.amazonaws.com/111122223333/talkback-bench-webhooks',
  [WEBHOOK_LINKS_ENV]: JSON.stringify({
    apiUrl: 'https://api.example',
    articleUrlTemplate: 'https://news.example/{articleId}',
    consoleUrl: 'https://news.example/admin/',
  }),
};

/**
 * Where the bench's webhook and Slack endpoints are: a port nothing listens on. The in-process
 * bench answers their POSTs in memory; the memory bench points them at its stub (memory.ts).
 */
export const BENCH_ENDPOINT_ORIGIN = 'http://127.0.0.1:9';

/** One webhook told of every event, and Slack: the webhook functions' work in the bench. */
export const BENCH_HOOK_SETTINGS = {
  webhooks: [
    {
      url: `${BENCH_ENDPOINT_ORIGIN}/hook`,
      secret: BENCH_SECRET,
      events: ['comment.created', 'comment.published', 'comment.reported', 'comment.removed'],
    },
  ],
  slackWebhookUrl: `${BENCH_ENDPOINT_ORIGIN}/slack`,
};

const IMPORT_ENV: Record<string, string> = {
  TABLE_NAME: 'talkback-bench',
  TALKBACK_SECRET: BENCH_SECRET,
  TALKBACK_LINK_SECRET: BENCH_LINK_SECRET,
  AWS_REGION: 'eu-west-1',
  ...MAIL_ENV,
  ...WEBHOOK_ENV,
};

export async function withHandlerEnv<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(
    Object.keys(IMPORT_ENV).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, IMPORT_ENV);
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
