/**
 * Deployment settings: the reaction set and the input limits. The CDK app builds them from
 * context, the local server from the environment; both hand them to functions as JSON in
 * TALKBACK_SETTINGS so a function reads and checks them once, at module load.
 */

import { SETTINGS_ENV } from '../env';

export interface Reaction {
  key: string;
  label: string;
}

export interface Limits {
  nameMaxChars: number;
  emailMaxChars: number;
  websiteMaxChars: number;
  bodyMaxChars: number;
  requestBodyMaxBytes: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  countsMaxArticles: number;
}

export type ModerationPolicy = 'none' | 'first-time' | 'all';

export interface Moderation {
  /**
   * none: publish at once; first-time: publish at once when the email already has a
   * published comment, otherwise hold (spoofable, as WordPress's equivalent is); all: hold all.
   */
  policy: ModerationPolicy;
  /** A comment whose body has more links than this is always held. */
  maxLinks: number;
  /** Minutes after posting during which the author may edit or delete with the edit token. */
  editWindowMinutes: number;
}

/** Per client (keyed hash of the source IP), per fixed window. */
export interface RateLimits {
  commentsPerMinute: number;
  commentsPerHour: number;
  reactionsPerMinute: number;
  reactionsPerHour: number;
}

export interface Settings {
  reactions: Reaction[];
  limits: Limits;
  /** Counter items each article's reaction counts are spread over (see README, hot articles). */
  reactionShards: number;
  moderation: Moderation;
  rateLimits: RateLimits;
}

export const DEFAULT_REACTIONS: Reaction[] = [
  { key: 'excited', label: 'Excited' },
  { key: 'happy', label: 'Happy' },
  { key: 'in-love', label: 'In Love' },
  { key: 'not-sure', label: 'Not Sure' },
  { key: 'silly', label: 'Silly' },
];

export const DEFAULT_LIMITS: Limits = {
  nameMaxChars: 80,
  emailMaxChars: 254,
  websiteMaxChars: 2048,
  bodyMaxChars: 5000,
  requestBodyMaxBytes: 16 * 1024,
  pageSizeDefault: 50,
  pageSizeMax: 100,
  countsMaxArticles: 100,
};

/**
 * A transactional write costs 2 write units on the shard item, and one item takes about 1,000
 * units a second: 16 shards carry about 8,000 votes a second on one article, past the 5,000
 * target with room for uneven hashing. Reading them costs 16 small items per page view.
 */
export const DEFAULT_REACTION_SHARDS = 16;

export const DEFAULT_MODERATION: Moderation = {
  policy: 'first-time',
  maxLinks: 2,
  editWindowMinutes: 15,
};

export const DEFAULT_RATE_LIMITS: RateLimits = {
  commentsPerMinute: 3,
  commentsPerHour: 20,
  reactionsPerMinute: 30,
  reactionsPerHour: 300,
};

export const DEFAULT_SETTINGS: Settings = {
  reactions: DEFAULT_REACTIONS,
  limits: DEFAULT_LIMITS,
  reactionShards: DEFAULT_REACTION_SHARDS,
  moderation: DEFAULT_MODERATION,
  rateLimits: DEFAULT_RATE_LIMITS,
};

const POLICIES: readonly ModerationPolicy[] = ['none', 'first-time', 'all'];

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

export class SettingsError extends Error {
  override name = 'SettingsError';
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SettingsError(`${name} must be a positive integer`);
  }
  return value;
}

/** Checks settings from any source and fills in defaults; throws SettingsError naming the fault. */
export function parseSettings(input: unknown): Settings {
  const raw = (input ?? {}) as Partial<Omit<Settings, 'limits' | 'moderation' | 'rateLimits'>> & {
    limits?: Partial<Limits>;
    moderation?: Partial<Moderation>;
    rateLimits?: Partial<RateLimits>;
  };
  const reactions = raw.reactions ?? DEFAULT_REACTIONS;
  if (!Array.isArray(reactions) || reactions.length === 0 || reactions.length > 20) {
    throw new SettingsError('reactions must be a list of 1 to 20 { key, label } entries');
  }
  const seen = new Set<string>();
  for (const reaction of reactions) {
    if (
      typeof reaction?.key !== 'string' ||
      !REACTION_KEY.test(reaction.key) ||
      RESERVED_ATTRIBUTES.has(reaction.key)
    ) {
      throw new SettingsError(
        `reaction key ${JSON.stringify(reaction?.key)} must match ${REACTION_KEY} and not be a reserved attribute name`,
      );
    }
    if (typeof reaction.label !== 'string' || reaction.label.trim() === '') {
      throw new SettingsError(`reaction ${reaction.key} needs a label`);
    }
    if (seen.has(reaction.key)) throw new SettingsError(`reaction ${reaction.key} is listed twice`);
    seen.add(reaction.key);
  }
  for (const name of ['limits', 'moderation', 'rateLimits'] as const) {
    const value: unknown = raw[name];
    if (
      value !== undefined &&
      (value === null || typeof value !== 'object' || Array.isArray(value))
    ) {
      throw new SettingsError(`${name} must be an object`);
    }
  }
  const limits: Limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(raw.limits ?? {})) {
    if (!(name in DEFAULT_LIMITS)) throw new SettingsError(`unknown limit ${name}`);
    limits[name as keyof Limits] = positiveInteger(value, `limits.${name}`);
  }
  if (limits.pageSizeDefault > limits.pageSizeMax) {
    throw new SettingsError('limits.pageSizeDefault must not exceed limits.pageSizeMax');
  }
  if (limits.countsMaxArticles > 100) {
    throw new SettingsError('limits.countsMaxArticles is at most 100 (one DynamoDB batch read)');
  }
  const reactionShards = positiveInteger(
    raw.reactionShards ?? DEFAULT_REACTION_SHARDS,
    'reactionShards',
  );
  if (reactionShards > 32) throw new SettingsError('reactionShards is at most 32');
  const moderation: Moderation = { ...DEFAULT_MODERATION };
  for (const [name, value] of Object.entries(raw.moderation ?? {})) {
    if (name === 'policy') {
      if (!POLICIES.includes(value as ModerationPolicy)) {
        throw new SettingsError(`moderation.policy must be one of ${POLICIES.join(', ')}`);
      }
      moderation.policy = value as ModerationPolicy;
    } else if (name === 'maxLinks') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new SettingsError('moderation.maxLinks must be a whole number, 0 or more');
      }
      moderation.maxLinks = value;
    } else if (name === 'editWindowMinutes') {
      moderation.editWindowMinutes = positiveInteger(value, 'moderation.editWindowMinutes');
    } else {
      throw new SettingsError(`unknown moderation setting ${name}`);
    }
  }
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS };
  for (const [name, value] of Object.entries(raw.rateLimits ?? {})) {
    if (!(name in DEFAULT_RATE_LIMITS)) throw new SettingsError(`unknown rate limit ${name}`);
    rateLimits[name as keyof RateLimits] = positiveInteger(value, `rateLimits.${name}`);
  }
  return {
    reactions: reactions.map(({ key, label }) => ({ key, label: label.trim() })),
    limits,
    reactionShards,
    moderation,
    rateLimits,
  };
}

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
