/**
 * Deployment settings: the reaction set and the input limits. The CDK app builds them from
 * context, the local server from the environment; both hand them to functions as JSON in
 * TALKBACK_SETTINGS so a function reads and checks them once, at module load.
 */

import * as v from 'valibot';
import { SETTINGS_ENV } from '../env';
import { MODERATION_HOOK_SCHEMA, SLACK_WEBHOOK_SCHEMA, WEBHOOKS_SCHEMA } from './hook-settings';
import { READERS_SCHEMA } from './reader-settings';

/** Item attributes a reaction key may not shadow: reaction counts are top-level attributes. */
const RESERVED_ATTRIBUTES = new Set([
  'PK',
  'SK',
  'entity',
  'articleId',
  'shard',
  'updatedAt',
  'reactionTotal',
  'commentCount',
  // Reaction keys join the attributes public reads may fetch; this one must never be among them.
  'email',
]);

const REACTION_KEY = /^[a-z][a-z0-9-]{0,31}$/;

const POLICIES = ['none', 'first-time', 'all'] as const;
const SCREENINGS = ['rules', 'guardrails'] as const;
export const DISPOSABLE_ACTIONS = ['allow', 'hold', 'refuse'] as const;
/** An email domain as a rule names it, lower-cased (domain/screen-rules.ts checks the console's too). */
export const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Entries per list: compiled at each cold start (docs/screening.md has the cost of 1,000). */
export const MAX_LIST_ENTRIES = 5000;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** A whole number of 1 or more, `fallback` when absent; the message names the setting. */
function positiveInteger(name: string, fallback: number) {
  const message = `${name} must be a positive integer`;
  return v.optional(
    v.pipe(v.number(message), v.integer(message), v.minValue(1, message)),
    fallback,
  );
}

/**
 * An object of the given settings, each optional; any other key is refused as `unknown <what>`
 * and anything but an object as `<name> must be an object`.
 */
function settingsGroup<E extends v.ObjectEntries>(name: string, what: string, entries: E) {
  const notAnObject = `${name} must be an object`;
  const group = v.strictObject(entries, (issue) =>
    issue.expected === 'never' ? `unknown ${what} ${String(issue.input)}` : notAnObject,
  );
  // valibot takes an array for an object; a list of settings is as wrong as a number.
  const notAList = v.custom<v.InferInput<typeof group>>(
    (input) => !Array.isArray(input),
    notAnObject,
  );
  // Every entry is optional, so an absent group is an empty one (the cast is for the generic E).
  return v.optional(v.pipe(notAList, group), () => ({}) as v.InferInput<typeof group>);
}

/** A list of house-rule phrases: each a string with at least one letter or digit. */
function phraseList(name: string) {
  const message = `${name} must be a list of up to ${MAX_LIST_ENTRIES} phrases of 1 to 200 characters with a letter or digit`;
  return v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(message),
          v.maxLength(200, message),
          v.check((phrase) => /[\p{L}\p{N}]/u.test(phrase), message),
        ),
        message,
      ),
      v.maxLength(MAX_LIST_ENTRIES, message),
    ),
    [],
  );
}

/** A list of email domains (`example.com`), lower-cased; a rule on one covers its subdomains. */
function domainList(name: string) {
  const message = (issue: v.BaseIssue<unknown>) =>
    `${name} must be a list of domains such as "example.com", got ${JSON.stringify(issue.input)}`;
  return v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(message),
          v.transform((domain) => domain.trim().toLowerCase()),
          v.regex(DOMAIN, message),
        ),
        message,
      ),
      v.maxLength(MAX_LIST_ENTRIES, message),
    ),
    [],
  );
}

const reactionKeyMessage = (key: unknown) =>
  `reaction key ${JSON.stringify(key)} must match ${REACTION_KEY} and not be a reserved attribute name`;
const badKey = (issue: v.BaseIssue<unknown>) => reactionKeyMessage(issue.input);

const reaction = v.pipe(
  v.object(
    {
      key: v.pipe(
        v.string(badKey),
        v.regex(REACTION_KEY, badKey),
        v.check((key) => !RESERVED_ATTRIBUTES.has(key), badKey),
      ),
      label: v.optional(v.unknown()),
    },
    (issue) => reactionKeyMessage((issue.input as { key?: unknown } | null)?.key),
  ),
  v.check(
    ({ label }) => typeof label === 'string' && label.trim() !== '',
    (issue) => `reaction ${issue.input.key} needs a label`,
  ),
  v.transform(({ key, label }) => ({ key, label: (label as string).trim() })),
);

const REACTIONS_MESSAGE = 'reactions must be a list of 1 to 20 { key, label } entries';

/** The first key listed twice, if any. */
function repeatedKey(reactions: readonly { key: string }[]): string | undefined {
  const seen = new Set<string>();
  for (const { key } of reactions) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/** A ground's id: what a moderator's decision names (`ground` on PATCH /admin/comments/{id}). */
export const GROUND_ID = /^[a-z][a-z0-9-]{0,39}$/;
const GROUNDS_MESSAGE =
  'decisions.grounds must be a list of 1 to 50 { id, text, illegal? } entries: id of a-z, 0-9 and -, text of 1 to 200 characters, illegal the category of illegal content';
const groundText = (max: number) =>
  v.pipe(
    v.string(GROUNDS_MESSAGE),
    v.minLength(1, GROUNDS_MESSAGE),
    v.maxLength(max, GROUNDS_MESSAGE),
  );
/**
 * A ground a moderator gives for removing or hiding a comment (DSA Art. 17): one of the house
 * rules, or, with `illegal`, illegal content of that category.
 */
const ground = v.strictObject(
  {
    id: v.pipe(v.string(GROUNDS_MESSAGE), v.regex(GROUND_ID, GROUNDS_MESSAGE)),
    text: groundText(200),
    illegal: v.optional(groundText(100)),
  },
  GROUNDS_MESSAGE,
);
const DEFAULT_GROUNDS = [
  { id: 'spam', text: 'Spam or advertising (house rules)' },
  { id: 'abuse', text: 'Abuse or harassment (house rules)' },
  { id: 'off-topic', text: 'Off topic (house rules)' },
  { id: 'personal-information', text: "Someone's personal information (house rules)" },
  { id: 'illegal', text: 'Illegal content', illegal: 'unspecified' },
];
const CONTACT_MESSAGE = 'decisions.contact must be an address or a link of 1 to 500 characters';

/**
 * Every setting, its default and its check, in one place: a new setting is one entry here (plus
 * its CDK context key in lib/settings-from-context.ts and the docs).
 */
const SETTINGS_SCHEMA = v.object({
  /** The reaction set, in display order. */
  reactions: v.nullish(
    v.pipe(
      v.array(reaction, REACTIONS_MESSAGE),
      v.minLength(1, REACTIONS_MESSAGE),
      v.maxLength(20, REACTIONS_MESSAGE),
      v.check(
        (reactions) => repeatedKey(reactions) === undefined,
        (issue) => `reaction ${repeatedKey(issue.input)} is listed twice`,
      ),
    ),
    () => [
      { key: 'excited', label: 'Excited' },
      { key: 'happy', label: 'Happy' },
      { key: 'in-love', label: 'In Love' },
      { key: 'not-sure', label: 'Not Sure' },
      { key: 'silly', label: 'Silly' },
    ],
  ),
  limits: v.pipe(
    settingsGroup('limits', 'limit', {
      nameMaxChars: positiveInteger('limits.nameMaxChars', 80),
      emailMaxChars: positiveInteger('limits.emailMaxChars', 254),
      websiteMaxChars: positiveInteger('limits.websiteMaxChars', 2048),
      bodyMaxChars: positiveInteger('limits.bodyMaxChars', 5000),
      requestBodyMaxBytes: positiveInteger('limits.requestBodyMaxBytes', 16 * 1024),
      pageSizeDefault: positiveInteger('limits.pageSizeDefault', 50),
      pageSizeMax: positiveInteger('limits.pageSizeMax', 100),
      countsMaxArticles: v.pipe(
        positiveInteger('limits.countsMaxArticles', 100),
        v.maxValue(100, 'limits.countsMaxArticles is at most 100 (one DynamoDB batch read)'),
      ),
    }),
    v.check(
      (limits) => limits.pageSizeDefault <= limits.pageSizeMax,
      'limits.pageSizeDefault must not exceed limits.pageSizeMax',
    ),
  ),
  /**
   * Counter items each article's reaction counts are spread over (see docs/architecture.md, Hot articles). A
   * transactional write costs 2 write units on the shard item, and one item takes about 1,000
   * units a second: 16 shards carry about 8,000 votes a second on one article, past the 5,000
   * target with room for uneven hashing. Reading them costs 16 small items per page view.
   */
  reactionShards: v.nullish(
    v.pipe(
      v.number('reactionShards must be a positive integer'),
      v.integer('reactionShards must be a positive integer'),
      v.minValue(1, 'reactionShards must be a positive integer'),
      v.maxValue(32, 'reactionShards is at most 32'),
    ),
    16,
  ),
  moderation: settingsGroup('moderation', 'moderation setting', {
    /**
     * none: publish at once; first-time: publish at once when the email already has a
     * published comment, otherwise hold (spoofable, as WordPress's equivalent is); all: hold all.
     */
    policy: v.optional(
      v.picklist(POLICIES, `moderation.policy must be one of ${POLICIES.join(', ')}`),
      'first-time',
    ),
    /** A comment whose body has more links than this is always held. */
    maxLinks: v.optional(
      v.pipe(
        v.number('moderation.maxLinks must be a whole number, 0 or more'),
        v.integer('moderation.maxLinks must be a whole number, 0 or more'),
        v.minValue(0, 'moderation.maxLinks must be a whole number, 0 or more'),
      ),
      2,
    ),
    /** Minutes after posting during which the author may edit or delete with the edit token. */
    editWindowMinutes: positiveInteger('moderation.editWindowMinutes', 15),
    /**
     * How long a moderator's decision can be undone: the console's Undo, and the wait before mail
     * about the decision leaves (lambda/domain/moderation-undo.ts). SQS delays a message by at
     * most 900 seconds, so this stays well under it.
     */
    undoSeconds: v.pipe(
      positiveInteger('moderation.undoSeconds', 6),
      v.maxValue(300, 'moderation.undoSeconds is at most 300'),
    ),
  }),
  /**
   * The content screen after the house rules (docs/screening.md): `rules` (house rules only) or
   * `guardrails` (Amazon Bedrock Guardrails, paid per comment).
   */
  screening: v.optional(
    v.picklist(SCREENINGS, `screening must be one of ${SCREENINGS.join(', ')}`),
    'rules',
  ),
  /** House-rule phrases: `block` makes a comment spam, `hold` holds it with `rule:<id>`. */
  rules: settingsGroup('rules', 'rule list', {
    hold: phraseList('rules.hold'),
    block: phraseList('rules.block'),
  }),
  emailDomains: settingsGroup('emailDomains', 'email-domain setting', {
    /** Addresses at a disposable-address service: published as any, held, or refused (400). */
    disposable: v.optional(
      v.picklist(
        DISPOSABLE_ACTIONS,
        `emailDomains.disposable must be one of ${DISPOSABLE_ACTIONS.join(', ')}`,
      ),
      'allow',
    ),
    hold: domainList('emailDomains.hold'),
    block: domainList('emailDomains.block'),
  }),
  /** The site's own moderation endpoint, asked within the screen's time (domain/hook-settings.ts). */
  moderationHook: v.optional(MODERATION_HOOK_SCHEMA),
  /** Endpoints told of comment events, off the request path. */
  webhooks: v.optional(WEBHOOKS_SCHEMA, []),
  /** A Slack incoming webhook told of each held comment, with the moderators' one-click links. */
  slackWebhookUrl: v.optional(SLACK_WEBHOOK_SCHEMA),
  /** Per client (keyed hash of the source IP), per fixed window. */
  rateLimits: settingsGroup('rateLimits', 'rate limit', {
    commentsPerMinute: positiveInteger('rateLimits.commentsPerMinute', 3),
    commentsPerHour: positiveInteger('rateLimits.commentsPerHour', 20),
    reactionsPerMinute: positiveInteger('rateLimits.reactionsPerMinute', 30),
    reactionsPerHour: positiveInteger('rateLimits.reactionsPerHour', 300),
  }),
  /** Readers who sign in with the site's accounts (lambda/domain/reader-settings.ts). */
  readers: v.optional(READERS_SCHEMA, {}),
  /** Readers' reports (lambda/domain/reports.ts, docs/moderation.md "Reports"). */
  reports: settingsGroup('reports', 'report setting', {
    /** Counted reports that take a comment out of the public lists into the queue. */
    threshold: positiveInteger('reports.threshold', 3),
    /** Whether one notice of illegal content does so at once. */
    hideOnIllegal: v.optional(v.boolean('reports.hideOnIllegal must be true or false'), false),
  }),
  /** Statements of reasons (DSA Art. 17, docs/moderation.md "Statements of reasons"). */
  decisions: settingsGroup('decisions', 'decision setting', {
    /** The grounds a moderator picks from; the first is the one a decision naming none gives. */
    grounds: v.optional(
      v.pipe(
        v.array(ground, GROUNDS_MESSAGE),
        v.minLength(1, GROUNDS_MESSAGE),
        v.maxLength(50, GROUNDS_MESSAGE),
        v.check(
          (grounds) => repeatedKey(grounds.map(({ id }) => ({ key: id }))) === undefined,
          (issue) =>
            `decisions.grounds lists ${repeatedKey(issue.input.map(({ id }) => ({ key: id })))} twice`,
        ),
      ),
      () => DEFAULT_GROUNDS.map((entry) => ({ ...entry })),
    ),
    /** Where an author contests a decision: an address or a page, given in each statement. */
    contact: v.optional(
      v.pipe(
        v.string(CONTACT_MESSAGE),
        v.trim(),
        v.minLength(1, CONTACT_MESSAGE),
        v.maxLength(500, CONTACT_MESSAGE),
      ),
    ),
  }),
  /**
   * Days after an article's first published comment when it closes to new ones (an article's own
   * `closeAt` overrides it: lambda/domain/article-settings.ts); absent: articles never close by
   * themselves.
   */
  autoCloseDays: v.optional(
    v.pipe(
      v.number('autoCloseDays must be a whole number of days from 1 to 3650'),
      v.integer('autoCloseDays must be a whole number of days from 1 to 3650'),
      v.minValue(1, 'autoCloseDays must be a whole number of days from 1 to 3650'),
      v.maxValue(3650, 'autoCloseDays must be a whole number of days from 1 to 3650'),
    ),
  ),
});

export type Settings = v.InferOutput<typeof SETTINGS_SCHEMA>;
export type Reaction = Settings['reactions'][number];
export type Limits = Settings['limits'];
export type Moderation = Settings['moderation'];
export type ModerationPolicy = Moderation['policy'];
export type RateLimits = Settings['rateLimits'];
export type Readers = Settings['readers'];
export type Ground = Settings['decisions']['grounds'][number];

/**
 * Checks settings from any source and fills in defaults; throws SettingsError naming the fault.
 * Anything but an object (absent, null, a number) carries no settings: the defaults.
 */
export function parseSettings(input: unknown): Settings {
  const raw = typeof input === 'object' && input !== null ? input : {};
  const result = v.safeParse(SETTINGS_SCHEMA, raw, { abortEarly: true });
  if (!result.success) throw new SettingsError(result.issues[0].message);
  return result.output;
}

export const DEFAULT_SETTINGS: Settings = parseSettings({});
export const DEFAULT_REACTIONS: Reaction[] = DEFAULT_SETTINGS.reactions;
export const DEFAULT_LIMITS: Limits = DEFAULT_SETTINGS.limits;
export const DEFAULT_REACTION_SHARDS = DEFAULT_SETTINGS.reactionShards;
export const DEFAULT_MODERATION: Moderation = DEFAULT_SETTINGS.moderation;
export const DEFAULT_RATE_LIMITS: RateLimits = DEFAULT_SETTINGS.rateLimits;

/**
 * Reads settings from the environment once; a malformed value fails the cold start loudly, with
 * a message that names the variable.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const text = env[SETTINGS_ENV];
  if (text === undefined || text === '') return DEFAULT_SETTINGS;
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${SETTINGS_ENV} is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseSettings(input);
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new SettingsError(`${SETTINGS_ENV}: ${error.message}`);
    }
    throw error;
  }
}
