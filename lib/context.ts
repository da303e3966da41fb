/**
 * Every context key read in one place, before any construct is built: a mistake fails the synth
 * in seconds with one line naming the key and the fix (ContextError, which bin/talkback.ts prints
 * without a stack trace), never after every function has been bundled. Mistakes that still
 * deploy something sensible are CDK warnings (annotations) on the stack instead.
 */
import { Annotations, type Stack, Token } from 'aws-cdk-lib';
import { type EdgeConfig, edgeFromContext } from './edge-from-context';
import { configFromContext, type DeploymentConfig, fail } from './settings-from-context';
import { type MailContext, mailContext } from './talkback-mail';

/** Every key Talkback reads (docs/configuration.md), the stack's and bin/talkback.ts's. */
export const CONTEXT_KEYS = [
  'allowedOrigins',
  'throttleRate',
  'throttleBurst',
  'reactions',
  'limits',
  'reactionShards',
  'moderationPolicy',
  'maxLinks',
  'editWindowMinutes',
  'undoSeconds',
  'rateLimits',
  'readers',
  'autoCloseDays',
  'screening',
  'rules',
  'emailDomains',
  'guardrailFilters',
  'guardrailProfile',
  'moderationHook',
  'webhooks',
  'slackWebhookUrl',
  'domainName',
  'certificateArn',
  'webAclArn',
  'wafRateLimit',
  'reservedConcurrency',
  'alarmEmail',
  'commentSpikeThreshold',
  'destroyOnRemoval',
  'logRetentionDays',
  'jsonFastPath',
  'legacyLinksUntil',
  'moderatorMfa',
  'mailFrom',
  'siteName',
  'articleUrlTemplate',
  'moderatorEmails',
  'consoleUrl',
  'stage',
  'account',
  'region',
] as const;

/** The mail keys that do nothing without `mailFrom`. */
const MAIL_ONLY_KEYS = ['siteName', 'articleUrlTemplate', 'moderatorEmails', 'consoleUrl'];

/** Lambda keeps this much of an account's concurrency unreserved. */
export const UNRESERVED_CONCURRENCY = 100;
/** An account's concurrent executions before a quota increase (new accounts may have less). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

export type ModeratorMfa = 'required' | 'optional';

export interface TalkbackContext {
  config: DeploymentConfig;
  edge: EdgeConfig;
  mail: MailContext | undefined;
  moderatorMfa: ModeratorMfa;
}

/** Reads and checks every key; throws ContextError on the first mistake, warns on the rest. */
export function readContext(stack: Stack): TalkbackContext {
  const { node } = stack;
  refuseMisspelledKeys(stack);
  const config = configFromContext(node);
  const edge = edgeFromContext(node);
  if (edge.firewall && 'requestsPerFiveMinutesPerAddress' in edge.firewall) {
    requireUsEast1(stack);
  }
  const mail = mailContext(node);
  if (!mail) {
    for (const key of MAIL_ONLY_KEYS) {
      if (node.tryGetContext(key) !== undefined) {
        warn(stack, key, 'does nothing without mailFrom: set mailFrom to turn mail on');
      }
    }
  }
  if (config.legacyLinksUntil !== undefined && Date.parse(config.legacyLinksUntil) <= Date.now()) {
    warn(
      stack,
      'legacyLinksUntil',
      `${config.legacyLinksUntil.slice(0, 10)} has passed: links mailed before links had a key of their own are no longer accepted, and the right to read the hashing secret it gave has expired; remove the key`,
    );
  }
  return { config, edge, mail, moderatorMfa: mfaValue(stack) };
}

function mfaValue(stack: Stack): ModeratorMfa {
  const value: unknown = stack.node.tryGetContext('moderatorMfa');
  if (value === undefined) return 'required';
  if (value === 'required' || value === 'optional') return value;
  return fail(
    'moderatorMfa',
    `must be "required" (the default) or "optional", got ${JSON.stringify(value)}`,
  );
}

/** A web ACL of scope CLOUDFRONT can only be created in us-east-1. */
function requireUsEast1(stack: Stack): void {
  const { region } = stack;
  if (region === 'us-east-1') return;
  const where = Token.isUnresolved(region)
    ? 'the stack has no region'
    : `the stack's region is ${region}`;
  fail(
    'wafRateLimit',
    `a CloudFront web ACL can only be created in us-east-1 and ${where}: deploy with -c region=us-east-1 (or AWS_REGION=us-east-1), or create the web ACL there and pass its ARN as webAclArn`,
  );
}

/**
 * A key that is not Talkback's but is close to one (`allowedOrigin`, `AllowedOrigins`) is a
 * mistake: refused, naming the key meant. Any other plain key is only warned about (a deployer's
 * cdk.json may carry keys of their own); CDK's own keys (with `:` or `/`) are not looked at.
 */
function refuseMisspelledKeys(stack: Stack): void {
  for (const key of Object.keys(stack.node.getAllContext())) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || (CONTEXT_KEYS as readonly string[]).includes(key)) {
      continue;
    }
    const meant = closest(key);
    if (meant) fail(key, `is not a Talkback setting; did you mean "${meant}"?`);
    warn(stack, key, 'is not a Talkback setting and is ignored (docs/configuration.md lists them)');
  }
}

function closest(key: string): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const known of CONTEXT_KEYS) {
    const distance = editDistance(lower, known.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** A warning on the stack, one line naming the key, shown by `cdk synth` and `cdk deploy`. */
export function warn(stack: Stack, key: string, message: string): void {
  Annotations.of(stack).addWarningV2(`talkback:${key}`, `Talkback context "${key}": ${message}`);
}

/**
 * Warns when the functions' reservations leave the account's default concurrency less than the
 * 100 Lambda keeps unreserved: the deploy would fail until the quota is raised.
 */
export function warnOnReservedTotal(stack: Stack, functions: number, each: number | undefined) {
  if (each === undefined) return;
  const needed = functions * each + UNRESERVED_CONCURRENCY;
  if (needed <= DEFAULT_ACCOUNT_CONCURRENCY) return;
  warn(
    stack,
    'reservedConcurrency',
    `${functions} functions reserve ${each} each (${functions * each}), which needs an account concurrency limit of at least ${needed} (Lambda keeps ${UNRESERVED_CONCURRENCY} unreserved; the default limit is ${DEFAULT_ACCOUNT_CONCURRENCY}): ask for a Lambda concurrency quota increase first, or lower reservedConcurrency`,
  );
}
