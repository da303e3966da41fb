/**
 * The settings of the site's own endpoints (docs/screening.md): `moderationHook`, asked for a
 * verdict on each new or edited comment; `webhooks`, told of comment events; and
 * `slackWebhookUrl`, told of each held comment. A shared secret is given directly (`secret`,
 * locally) or as the ARN of a Secrets Manager secret holding it (`secretArn`, on AWS, where the
 * CDK app refuses a secret in context); the Slack address, which is itself a secret, likewise.
 */
import * as v from 'valibot';

/** What a webhook may be told of (docs/screening.md, "Outgoing webhooks"). */
export const WEBHOOK_EVENTS = [
  'comment.created',
  'comment.published',
  'comment.reported',
  'comment.removed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** HMAC-SHA256 wants a key at least as long as its hash: 32 bytes. */
export const MIN_HOOK_SECRET_LENGTH = 32;
export const MAX_WEBHOOKS = 10;

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** https, or http to this machine only (a local receiver in development and tests). */
export function isEndpointUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname);
  } catch {
    return false;
  }
}

export const isSecretArn = (value: string): boolean => SECRET_ARN.test(value);

const endpointUrl = (name: string) =>
  v.pipe(
    v.string(`${name} must be an https URL`),
    v.maxLength(2048, `${name} must be at most 2048 characters`),
    v.check(isEndpointUrl, `${name} must be an https URL`),
  );

/** `secret` or `secretArn`, exactly one; `includeEmail` opts the commenter's address in. */
function signedEndpoint<E extends v.ObjectEntries>(name: string, entries: E) {
  return v.pipe(
    v.strictObject(
      {
        url: endpointUrl(`${name}.url`),
        secret: v.optional(
          v.pipe(
            v.string(`${name}.secret must be text`),
            v.minLength(
              MIN_HOOK_SECRET_LENGTH,
              `${name}.secret must be at least ${MIN_HOOK_SECRET_LENGTH} characters`,
            ),
          ),
        ),
        secretArn: v.optional(
          v.pipe(
            v.string(`${name}.secretArn must be the ARN of a Secrets Manager secret`),
            v.check(isSecretArn, `${name}.secretArn must be the ARN of a Secrets Manager secret`),
          ),
        ),
        includeEmail: v.optional(v.boolean(`${name}.includeEmail must be true or false`), false),
        ...entries,
      },
      (issue) =>
        issue.expected === 'never'
          ? `unknown ${name} setting ${String(issue.input)}`
          : `${name} must be an object with url and secret (or secretArn)`,
    ),
    v.check(
      (entry) => (entry.secret === undefined) !== (entry.secretArn === undefined),
      `${name} needs exactly one of secret or secretArn`,
    ),
  );
}

export const MODERATION_HOOK_SCHEMA = signedEndpoint('moderationHook', {});

const EVENTS_MESSAGE = `webhooks[].events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}`;

export const WEBHOOKS_SCHEMA = v.pipe(
  v.array(
    signedEndpoint('webhooks[]', {
      events: v.pipe(
        v.array(v.picklist(WEBHOOK_EVENTS, EVENTS_MESSAGE), EVENTS_MESSAGE),
        v.minLength(1, EVENTS_MESSAGE),
      ),
    }),
    'webhooks must be a list of { url, secret, events }',
  ),
  v.maxLength(MAX_WEBHOOKS, `webhooks lists at most ${MAX_WEBHOOKS} endpoints`),
  // A delivery names its endpoint by URL (lambda/domain/webhooks.ts).
  v.check(
    (list) => new Set(list.map((entry) => entry.url)).size === list.length,
    'webhooks names a URL twice',
  ),
);

const SLACK_MESSAGE =
  'slackWebhookUrl must be a Slack incoming-webhook https URL, or the ARN of a Secrets Manager secret holding it';

export const SLACK_WEBHOOK_SCHEMA = v.pipe(
  v.string(SLACK_MESSAGE),
  v.check((value) => isEndpointUrl(value) || isSecretArn(value), SLACK_MESSAGE),
);

export type ModerationHookSettings = v.InferOutput<typeof MODERATION_HOOK_SCHEMA>;
export type WebhookSettings = v.InferOutput<typeof WEBHOOKS_SCHEMA>[number];
