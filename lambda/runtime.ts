/**
 * The composition root: reads and checks configuration once, at module load of each handler,
 * and builds the adapters the domain needs. A missing variable fails the cold start loudly.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Areas, commentArea, importArea, moderationArea, reactionArea } from './areas';
import { type Clock, type IdGenerator, systemClock, ulidGenerator } from './domain/ids';
import type { KeyedHasher } from './domain/keyed-hash';
import type { CommentStore, CountsStore, ModerationStore, ReactionStore } from './domain/ports';
import { type Settings, settingsFromEnv } from './domain/settings';
import type { TallyStore } from './domain/tally';
import { buildSchemas, type Schemas } from './domain/validation';
import { ORIGIN_VERIFY_ENV, TABLE_NAME_ENV } from './env';
import { useJsonFastPath } from './json-fast-path';
import { keyedHasherFromEnv } from './secrets/keyed-hasher-from-env';
import { createDocumentClient } from './store/client';
import { CommentRepository } from './store/comment-repository';
import { ImportRepository } from './store/import-repository';
import { ModerationRepository } from './store/moderation-repository';
import { ReactionRepository } from './store/reaction-repository';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`Talkback configuration: environment variable ${name} is not set`);
  }
  return value;
}

export interface Configuration {
  settings: Settings;
  schemas: Schemas;
  /** What CloudFront proves itself with to the write functions (http/request.ts clientAddress). */
  originVerify?: string | undefined;
}

export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  useJsonFastPath(env);
  const settings = settingsFromEnv(env);
  return { settings, schemas: buildSchemas(settings), originVerify: env[ORIGIN_VERIFY_ENV] };
}

export interface Runtime extends Configuration {
  hasher: KeyedHasher;
  clock: Clock;
  newId: IdGenerator;
  /** The adapters as built, without metrics: tests and benchmarks reach into them. */
  commentStore: CommentStore;
  reactionStore: ReactionStore & CountsStore & TallyStore;
  moderationStore: ModerationStore;
  /** What the handlers of each area hand the domain. */
  areas: Areas;
}

/** What a handler needs: some of the configuration and some areas. */
export type HandlerDeps<A extends keyof Areas, C extends keyof Configuration = never> = Pick<
  Configuration,
  C
> & { areas: Pick<Areas, A> };

/**
 * `clock` lets tests move time (rate-limit windows, the edit window); `client` lets benchmarks
 * meter every DynamoDB call.
 */
export function loadRuntime(
  env: NodeJS.ProcessEnv = process.env,
  options: { clock?: Clock; client?: DynamoDBDocumentClient } = {},
): Runtime {
  const configuration = loadConfiguration(env);
  const { settings } = configuration;
  const tableName = required(env, TABLE_NAME_ENV);
  // From Secrets Manager where TALKBACK_SECRET_ARN is set, else TALKBACK_SECRET (local, tests).
  const hasher = keyedHasherFromEnv(env);
  const client = options.client ?? createDocumentClient(env);
  const clock = options.clock ?? systemClock;
  const newId = ulidGenerator;
  const commentStore = new CommentRepository(client, tableName, clock);
  const reactionStore = new ReactionRepository(client, tableName, settings, clock);
  const moderationStore = new ModerationRepository(client, tableName, clock);
  return {
    ...configuration,
    hasher,
    clock,
    newId,
    commentStore,
    reactionStore,
    moderationStore,
    areas: {
      comments: commentArea({ store: commentStore, hasher, settings, clock, newId }),
      reactions: reactionArea({ store: reactionStore, hasher, settings, clock }),
      counts: reactionStore,
      moderation: moderationArea(moderationStore, { hasher }),
      tally: reactionStore,
      imports: importArea(new ImportRepository(client, tableName, clock), { hasher }),
    },
  };
}
