/**
 * The mail functions' configuration, read once at module load by the mail areas' builders
 * (lambda/areas.ts; docs/configuration.md, "Mail"): TALKBACK_MAIL holds what the words and links
 * of a mail need, as JSON; the sender's address, the SES configuration set and the queue come in
 * their own variables (lambda/env.ts).
 */
import * as v from 'valibot';
import type { MailSettings } from '../domain/notification-mails';
import { MAIL_SETTINGS_ENV, required } from '../env';

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
  const raw = required(env, MAIL_SETTINGS_ENV);
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
