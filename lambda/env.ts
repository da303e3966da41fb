/**
 * Every environment variable a function reads, by name, and the one rule for a variable that
 * must be set. Dependency-free on purpose: the CDK app (lib/) sets these variables and imports
 * only this module, so `cdk synth` loads neither the repositories nor the AWS SDK. Only the
 * composition root (lambda/runtime.ts and the area builders in lambda/areas.ts) reads them.
 */

export const TABLE_NAME_ENV = 'TABLE_NAME';
/** The hashing secret itself: only where no ARN is set (the local server, tests). */
export const SECRET_ENV = 'TALKBACK_SECRET';
/**
 * The Secrets Manager secret that holds the hashing secret, on the functions that hash or page
 * (the root of the stored hashes' and the cursors' keys, lambda/domain/keyring.ts).
 */
export const SECRET_ARN_ENV = 'TALKBACK_SECRET_ARN';
/** The link secret itself: only where no ARN is set (the local server, tests). */
export const LINK_SECRET_ENV = 'TALKBACK_LINK_SECRET';
/**
 * The Secrets Manager secret that holds the link secret (the root of the mail links' keys), on
 * the functions that sign or check those links only.
 */
export const LINK_SECRET_ARN_ENV = 'TALKBACK_LINK_SECRET_ARN';
/**
 * The secret subscription links were signed with before they had a key of their own (the hashing
 * secret), on the subscription links' functions during a transition (context legacyLinksUntil),
 * by ARN in AWS or, locally, itself; with the end of that transition, an ISO 8601 time.
 */
export const LEGACY_LINK_SECRET_ARN_ENV = 'TALKBACK_LEGACY_LINK_SECRET_ARN';
export const LEGACY_LINK_SECRET_ENV = 'TALKBACK_LEGACY_LINK_SECRET';
export const LEGACY_LINKS_UNTIL_ENV = 'TALKBACK_LEGACY_LINKS_UNTIL';
export const JSON_FAST_PATH_ENV = 'TALKBACK_JSON_FAST_PATH';
/** The deployment settings as JSON (lambda/domain/settings.ts). */
export const SETTINGS_ENV = 'TALKBACK_SETTINGS';
/**
 * The Secrets Manager secret holding the origin-verify value, on the write functions behind the
 * CDN: fetched on an instance's first request like the hashing key, never in configuration.
 */
export const ORIGIN_VERIFY_ARN_ENV = 'TALKBACK_ORIGIN_VERIFY_ARN';
/**
 * The value CloudFront sends in ORIGIN_VERIFY_HEADER to the API (lib/talkback-edge.ts), given
 * directly where no ARN is set (tests): a request carrying it came through the CDN, so its
 * CloudFront-Viewer-Address is the reader's. Unset locally, where the client is the
 * connection's source address.
 */
export const ORIGIN_VERIFY_ENV = 'TALKBACK_ORIGIN_VERIFY';
/** The custom header CloudFront adds to requests to the API origin, holding that value. */
export const ORIGIN_VERIFY_HEADER = 'x-talkback-origin-verify';
/** The Bedrock guardrail the comment functions screen with, where screening is `guardrails`. */
export const GUARDRAIL_ID_ENV = 'TALKBACK_GUARDRAIL_ID';
export const GUARDRAIL_VERSION_ENV = 'TALKBACK_GUARDRAIL_VERSION';
/**
 * Not a variable at run time: the bundler defines `process.env.TALKBACK_SCREEN_BUNDLE` as `rules`
 * where the deployment does not screen with Guardrails, so the Bedrock client is left out.
 */
export const SCREEN_BUNDLE_ENV = 'TALKBACK_SCREEN_BUNDLE';
/** Likewise `none` where disposable addresses are allowed: the disposable-domain list is left out. */
export const DISPOSABLE_BUNDLE_ENV = 'TALKBACK_DISPOSABLE_BUNDLE';
/**
 * Likewise `none` where no reader issuer has a key set (a JWKS URL): jose, which only key sets
 * need, is left out of the create function (lambda/readers/jwt-tokens.ts).
 */
export const KEY_SET_BUNDLE_ENV = 'TALKBACK_KEY_SET_BUNDLE';

/** The mail functions' settings as JSON: the words and links of a mail (lambda/mail/mail-settings.ts). */
export const MAIL_SETTINGS_ENV = 'TALKBACK_MAIL';
/** The sender's address, on the mail sender. */
export const MAIL_FROM_ENV = 'MAIL_FROM';
/** The SES configuration set the sender sends through. */
export const MAIL_CONFIGURATION_SET_ENV = 'MAIL_CONFIGURATION_SET';
/** The queue the dispatcher fills and the sender consumes. */
export const MAIL_QUEUE_URL_ENV = 'MAIL_QUEUE_URL';

/** The queue the webhook dispatcher fills and the webhook sender consumes (lambda/webhooks/). */
export const WEBHOOK_QUEUE_URL_ENV = 'TALKBACK_WEBHOOK_QUEUE_URL';
/**
 * Where the Slack message's links point, as JSON: `{ "apiUrl", "articleUrlTemplate"?,
 * "consoleUrl"? }` (lambda/webhooks/webhook-areas.ts).
 */
export const WEBHOOK_LINKS_ENV = 'TALKBACK_WEBHOOK_LINKS';

/** A variable's value; unset or empty fails the cold start loudly, naming it. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Talkback configuration: environment variable ${name} is not set`);
  }
  return value;
}
