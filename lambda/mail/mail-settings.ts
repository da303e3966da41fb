/**
 * The mail functions' configuration, read once at module load (docs/configuration.md, "Mail"):
 * TALKBACK_MAIL holds what the words and links of a mail need, as JSON; the sender's address, the
 * SES configuration set and the queue come in their own variables.
 */
import * as v from 'valibot';
import type { MailSettings } from '../domain/notification-mails';

export const MAIL_SETTINGS_ENV = 'TALKBACK_MAIL';
export const MAIL_FROM_ENV = 'MAIL_FROM';
export const MAIL_CONFIGURATION_SET_ENV = 'MAIL_CONFIGURATION_SET';
export const MAIL_QUEUE_URL_ENV = 'MAIL_QUEUE_URL';

/** The default digest window for held comments: five minutes. */
export const DEFAULT_DIGEST_SECONDS = 300;

const httpUrl = v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'must be an http(s) URL'));

export const mailSettingsSchema = v.object({
  siteName: v.pipe(v.string(), v.trim(), v.minLength(1, 'is required')),
  articleUrlTemplate: v.pipe(
    v.string(),
    v.regex(/^https?:\/\/.*\{articleId\}/, 'must be an http(s) URL containing {articleId}'),
  ),
  apiUrl: v.pipe(
    httpUrl,
    v.transform((url) => url.replace(/\/+$/, '')),
  ),
  moderatorEmails: v.optional(v.array(v.pipe(v.string(), v.email())), []),
  consoleUrl: v.optional(httpUrl),
  // SQS delays a message by at most 900 seconds: a window may not be longer.
  digestSeconds: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(900)),
    DEFAULT_DIGEST_SECONDS,
  ),
});

export function mailSettingsFromEnv(env: NodeJS.ProcessEnv): MailSettings {
  const raw = env[MAIL_SETTINGS_ENV];
  if (!raw) throw new Error(`Talkback configuration: ${MAIL_SETTINGS_ENV} is not set`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`Talkback configuration: ${MAIL_SETTINGS_ENV} is not valid JSON`);
  }
  const result = v.safeParse(mailSettingsSchema, parsed);
  if (!result.success) {
    const where = result.issues
      .map((issue) => `${v.getDotPath(issue) ?? '(root)'} ${issue.message}`)
      .join('; ');
    throw new Error(`Talkback configuration: ${MAIL_SETTINGS_ENV}: ${where}`);
  }
  return result.output;
}
