import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { isSecretArn } from '../lambda/domain/hook-settings';
import { parseSettings, type Settings, SettingsError } from '../lambda/domain/settings';
import {
  FILTER_STRENGTHS,
  type FilterStrength,
  GUARDRAIL_FILTERS,
  type GuardrailFilter,
} from './talkback-guardrail';

/**
 * Everything a deployment may configure, read from CDK context (cdk.json or `-c key=value`).
 * Values given on the command line arrive as strings, values in cdk.json as JSON, so each
 * reader accepts both. A bad value fails the synth with a message naming the key.
 */
export interface DeploymentConfig {
  /**
   * From `reactions`, `limits`, `reactionShards`, `moderationPolicy` (none, first-time or all;
   * default first-time), `maxLinks` (2), `editWindowMinutes` (15), `undoSeconds` (6) and
   * `rateLimits` (a partial object); defaults as parseSettings fills them in.
   */
  settings: Settings;
  /** CORS origins. Default ['*']: the API holds only public data and uses no cookies. */
  allowedOrigins: string[];
  /**
   * Stage-wide steady request rate per second. Default 300: behind the CDN the stage no longer
   * carries views (the thread comes from its function's URL), only votes, comments and later
   * pages; a viral article of 20,000 views a second with 1 % voting sends 200 (docs/edge.md).
   */
  throttleRate: number;
  /** Stage-wide burst. Default 600. */
  throttleBurst: number;
  /** Default false: the table (and logs, secret) are retained when the stack is deleted. */
  destroyOnRemoval: boolean;
  /** Of every function's and the API's log group. Default 30 days. */
  logRetention: RetentionDays;
  /**
   * Reserved concurrency of each public function, from `reservedConcurrency`: a cap, so a flood
   * of requests cannot become an unbounded bill. Default 10: a vote takes about 25 ms, so 10
   * instances serve about 400 a second, above the stage's 300; the thread's function, behind the
   * CDN, sees a few requests a second per hot article and at most about 1,000 a second of cache
   * misses (10 ms each) however many are sent; undefined (context 0 or "none")
   * leaves the functions on the account's unreserved pool.
   */
  reservedConcurrency: number | undefined;
  /** From `alarmEmail`: subscribed to the alarm topic. Default: no subscription. */
  alarmEmail: string | undefined;
  /** Comments posted in 5 minutes above which the spam-wave alarm fires. Default 100. */
  commentSpikeThreshold: number;
  /**
   * From `jsonFastPath`: whether the functions turn on V8's JSON.stringify fast path
   * (lambda/json-fast-path.ts). Default true; false sets TALKBACK_JSON_FAST_PATH=off on every function.
   */
  jsonFastPath: boolean;
  /**
   * From `guardrailFilters` (a partial object): each content filter's strength where screening
   * is `guardrails`, NONE, LOW, MEDIUM or HIGH. Default MEDIUM for every filter.
   */
  guardrailStrengths: Record<GuardrailFilter, FilterStrength>;
  /** From `guardrailProfile`: the cross-Region guardrail profile (Standard tier). Default none. */
  guardrailProfile: string | undefined;
  /**
   * From `legacyLinksUntil` (a day, YYYY-MM-DD, at most 366 days ahead): the start of that day
   * in UTC, as an ISO 8601 time, until which subscription links mailed before links had a key of
   * their own are accepted (docs/operations.md, "Keys"). Default none: they are not.
   */
  legacyLinksUntil: string | undefined;
}

export const CONTEXT_DEFAULTS = {
  allowedOrigins: ['*'],
  throttleRate: 300,
  throttleBurst: 600,
  destroyOnRemoval: false,
  logRetentionDays: 30,
  reservedConcurrency: 10,
  commentSpikeThreshold: 100,
  jsonFastPath: true,
} as const;

export class ContextError extends Error {
  override name = 'ContextError';
}

/** Refuses the synth in one line naming the key (bin/talkback.ts prints it alone). */
export function fail(key: string, message: string): never {
  throw new ContextError(`Talkback context "${key}": ${message}`);
}

/** A context value that must be a string, trimmed; undefined when absent or empty. */
export function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return fail(key, `must be a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

/** A context value as JSON: strings from `-c` are parsed, anything else is taken as is. */
function jsonValue(node: Node, key: string): unknown {
  const value: unknown = node.tryGetContext(key);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return fail(key, `is not valid JSON: ${value}`);
  }
}

function numberValue(node: Node, key: string, fallback: number, min: number): number {
  const raw = jsonValue(node, key);
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min) {
    return fail(key, `must be a number of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function booleanValue(node: Node, key: string, fallback: boolean): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  return fail(key, `must be true or false, got ${JSON.stringify(raw)}`);
}

const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

function originsValue(node: Node): string[] {
  const key = 'allowedOrigins';
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return [...CONTEXT_DEFAULTS.allowedOrigins];
  // `-c allowedOrigins=https://a.example,https://b.example` is accepted as well as JSON.
  const raw =
    typeof value === 'string' && !value.trimStart().startsWith('[')
      ? value.split(',').map((origin) => origin.trim())
      : jsonValue(node, key);
  if (!Array.isArray(raw) || raw.length === 0) {
    return fail(key, 'must be a non-empty list of origins such as ["https://news.example"]');
  }
  for (const origin of raw) {
    if (typeof origin !== 'string' || (origin !== '*' && !ORIGIN.test(origin))) {
      fail(key, `${JSON.stringify(origin)} is not "*" or an origin like https://news.example`);
    }
  }
  if (raw.includes('*') && raw.length > 1) fail(key, '"*" cannot be combined with other origins');
  return raw as string[];
}

function retentionValue(node: Node): RetentionDays {
  const key = 'logRetentionDays';
  const days = numberValue(node, key, CONTEXT_DEFAULTS.logRetentionDays, 1);
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days)) {
    fail(key, `must be one of CloudWatch's retention periods (${allowed.join(', ')})`);
  }
  return days as RetentionDays;
}

/**
 * A whole number of concurrent executions, or undefined for none: `0` and `none` both mean no
 * reservation (Lambda itself reads a reservation of 0 as "never run", so 0 is never passed on).
 */
function concurrencyValue(node: Node): number | undefined {
  const key = 'reservedConcurrency';
  const value: unknown = node.tryGetContext(key);
  if (typeof value === 'string' && value.trim().toLowerCase() === 'none') return undefined;
  const raw = numberValue(node, key, CONTEXT_DEFAULTS.reservedConcurrency, 0);
  if (!Number.isInteger(raw)) fail(key, 'must be a whole number, 0 or "none"');
  return raw === 0 ? undefined : raw;
}

/**
 * Loose (SNS checks the address and the recipient confirms it), but one address: no quotes,
 * brackets or commas, so a JSON list such as `["ops@news.example"]` is refused, not subscribed.
 */
const EMAIL = /^[^@\s"'[\],;<>]+@[^@\s"'[\],;<>]+\.[^@\s"'[\],;<>]+$/;

function emailValue(node: Node): string | undefined {
  const key = 'alarmEmail';
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) {
    return fail(
      key,
      `must be one email address, got ${JSON.stringify(value)} (for more recipients, subscribe them to the AlarmTopicArn output)`,
    );
  }
  return value.trim();
}

/** A JSON object (such as `limits`), or undefined when the key is not set. */
function objectValue(node: Node, key: string, example: string): unknown {
  const raw = jsonValue(node, key);
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    fail(key, `must be a JSON object such as ${example}, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

/**
 * A plain word such as `first-time`: `-c key=word` and cdk.json's `"key": "word"` both arrive as
 * the string itself. Anything else is handed on for parseSettings to refuse.
 */
function wordValue(node: Node, key: string): unknown {
  const value: unknown = node.tryGetContext(key);
  return typeof value === 'string' ? value.trim() : value;
}

/**
 * `readers`, whose HS256 issuers name the Secrets Manager secret that holds their shared secret
 * (`secretArn`): a `secret` in context would sit in the template and every function's
 * configuration, so it is refused.
 */
function readersValue(node: Node): unknown {
  const key = 'readers';
  const raw = objectValue(node, key, '{"issuers":[{"issuer","audience","jwksUrl"}]}');
  const issuers = (raw as { issuers?: unknown } | undefined)?.issuers;
  if (Array.isArray(issuers)) {
    for (const issuer of issuers) {
      if (typeof issuer === 'object' && issuer !== null && 'secret' in issuer) {
        fail(
          key,
          `issuer ${JSON.stringify((issuer as { issuer?: unknown }).issuer)} gives its secret in context: put it in Secrets Manager and give its ARN as secretArn`,
        );
      }
    }
  }
  return raw;
}

/**
 * `moderationHook` and `webhooks`, whose shared secrets are named by the ARN of the Secrets
 * Manager secret that holds each (`secretArn`): a `secret` in context would sit in the template
 * and every function's configuration, so it is refused.
 */
function hookValue(node: Node, key: 'moderationHook' | 'webhooks'): unknown {
  const raw =
    key === 'moderationHook'
      ? objectValue(node, key, '{"url":"https://mod.news.example/talkback","secretArn":"arn:..."}')
      : jsonValue(node, key);
  const entries = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  for (const entry of entries) {
    if (typeof entry === 'object' && entry !== null && 'secret' in entry) {
      fail(
        key,
        `${JSON.stringify((entry as { url?: unknown }).url)} gives its secret in context: put it in Secrets Manager and give its ARN as secretArn`,
      );
    }
  }
  return raw;
}

/** The Slack address is itself a secret: on AWS, the ARN of the Secrets Manager secret holding it. */
function slackValue(node: Node): string | undefined {
  const key = 'slackWebhookUrl';
  const value = text(node, key);
  if (value !== undefined && !isSecretArn(value)) {
    fail(
      key,
      'must be the ARN of a Secrets Manager secret holding the Slack incoming-webhook URL (the URL is itself a secret)',
    );
  }
  return value;
}

/** parseSettings, with a fault reported as the context key's. */
function checked(key: string, input: Record<string, unknown>): Settings {
  try {
    return parseSettings(input);
  } catch (error) {
    if (error instanceof SettingsError) return fail(key, error.message);
    throw error;
  }
}

/**
 * The functions' settings. Each context key is checked through parseSettings on its own first,
 * so a bad value fails the synth naming its key; then all of them together. Keys not given take
 * parseSettings' defaults.
 */
function settingsValue(node: Node): Settings {
  const topLevel: Record<string, unknown> = {
    reactions: jsonValue(node, 'reactions'),
    limits: objectValue(node, 'limits', '{"bodyMaxChars":2000}'),
    reactionShards: jsonValue(node, 'reactionShards'),
    rateLimits: objectValue(node, 'rateLimits', '{"commentsPerMinute":5}'),
    readers: readersValue(node),
    // The screen (docs/screening.md).
    screening: wordValue(node, 'screening'),
    rules: objectValue(node, 'rules', '{"hold":["idiot"],"block":["cheap pills"]}'),
    emailDomains: objectValue(node, 'emailDomains', '{"disposable":"hold"}'),
    // Days after an article's first comment when it closes (docs/moderation.md).
    autoCloseDays: jsonValue(node, 'autoCloseDays'),
    moderationHook: hookValue(node, 'moderationHook'),
    webhooks: hookValue(node, 'webhooks'),
    slackWebhookUrl: slackValue(node),
  };
  // Context key: [field of settings.moderation, value].
  const moderationKeys: Record<string, [string, unknown]> = {
    moderationPolicy: ['policy', wordValue(node, 'moderationPolicy')],
    maxLinks: ['maxLinks', jsonValue(node, 'maxLinks')],
    editWindowMinutes: ['editWindowMinutes', jsonValue(node, 'editWindowMinutes')],
    undoSeconds: ['undoSeconds', jsonValue(node, 'undoSeconds')],
  };
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(topLevel)) {
    if (value === undefined) continue;
    checked(key, { [key]: value });
    input[key] = value;
  }
  const moderation: Record<string, unknown> = {};
  for (const [key, [field, value]] of Object.entries(moderationKeys)) {
    if (value === undefined) continue;
    checked(key, { moderation: { [field]: value } });
    moderation[field] = value;
  }
  const settings = checked('settings', { ...input, moderation });
  for (const kind of ['comments', 'reactions'] as const) {
    const perMinute = settings.rateLimits[`${kind}PerMinute`];
    const perHour = settings.rateLimits[`${kind}PerHour`];
    if (perMinute > perHour) {
      fail(
        'rateLimits',
        `${kind}PerMinute (${perMinute}) is above ${kind}PerHour (${perHour}), which would cap it: ` +
          `raise ${kind}PerHour or lower ${kind}PerMinute`,
      );
    }
  }
  return settings;
}

export function configFromContext(node: Node): DeploymentConfig {
  const settings = settingsValue(node);
  const throttleRate = numberValue(node, 'throttleRate', CONTEXT_DEFAULTS.throttleRate, 1);
  const throttleBurst = numberValue(node, 'throttleBurst', CONTEXT_DEFAULTS.throttleBurst, 1);
  if (!Number.isInteger(throttleBurst)) fail('throttleBurst', 'must be a whole number');
  if (throttleRate > throttleBurst) {
    // The stage's token bucket holds at most the burst, so the rate could never be reached.
    fail(
      'throttleRate',
      `${throttleRate} is above throttleBurst (${throttleBurst}), which caps it: raise throttleBurst to at least ${throttleRate}`,
    );
  }
  return {
    settings,
    allowedOrigins: originsValue(node),
    throttleRate,
    throttleBurst,
    destroyOnRemoval: booleanValue(node, 'destroyOnRemoval', CONTEXT_DEFAULTS.destroyOnRemoval),
    logRetention: retentionValue(node),
    reservedConcurrency: concurrencyValue(node),
    alarmEmail: emailValue(node),
    commentSpikeThreshold: numberValue(
      node,
      'commentSpikeThreshold',
      CONTEXT_DEFAULTS.commentSpikeThreshold,
      1,
    ),
    jsonFastPath: booleanValue(node, 'jsonFastPath', CONTEXT_DEFAULTS.jsonFastPath),
    guardrailStrengths: strengthsValue(node),
    guardrailProfile: profileValue(node),
    legacyLinksUntil: legacyLinksValue(node),
  };
}

/** The longest legacy-links transition: the hashing secret stays readable by four more functions. */
const MAX_LEGACY_LINK_DAYS = 366;

function legacyLinksValue(node: Node): string | undefined {
  const key = 'legacyLinksUntil';
  const day = text(node, key);
  if (day === undefined) return undefined;
  const start = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(start)) {
    return fail(key, `must be a date (YYYY-MM-DD), the day the transition ends, got "${day}"`);
  }
  const time = new Date(start).toISOString();
  // Date.parse rolls 2027-02-30 over to March.
  if (time.slice(0, 10) !== day) {
    return fail(key, `must be a date (YYYY-MM-DD), the day the transition ends, got "${day}"`);
  }
  if (start > Date.now() + MAX_LEGACY_LINK_DAYS * 86_400_000) {
    return fail(key, `at most ${MAX_LEGACY_LINK_DAYS} days ahead, got ${day}`);
  }
  return `${day}T00:00:00Z`;
}

function strengthsValue(node: Node): Record<GuardrailFilter, FilterStrength> {
  const key = 'guardrailFilters';
  const raw = (objectValue(node, key, '{"insults":"HIGH"}') ?? {}) as Record<string, unknown>;
  const strengths = Object.fromEntries(GUARDRAIL_FILTERS.map((filter) => [filter, 'MEDIUM']));
  for (const [filter, strength] of Object.entries(raw)) {
    if (!(GUARDRAIL_FILTERS as readonly string[]).includes(filter)) {
      fail(key, `unknown filter ${filter}: the filters are ${GUARDRAIL_FILTERS.join(', ')}`);
    }
    if (!(FILTER_STRENGTHS as readonly unknown[]).includes(strength)) {
      fail(key, `${filter} must be one of ${FILTER_STRENGTHS.join(', ')}`);
    }
    strengths[filter] = strength as FilterStrength;
  }
  return strengths as Record<GuardrailFilter, FilterStrength>;
}

const GUARDRAIL_PROFILE = /^[a-z]+\.guardrail\.v\d+:\d+$/;

function profileValue(node: Node): string | undefined {
  const value = wordValue(node, 'guardrailProfile');
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !GUARDRAIL_PROFILE.test(value)) {
    return fail('guardrailProfile', `must name a guardrail profile such as eu.guardrail.v1:0`);
  }
  return value;
}
