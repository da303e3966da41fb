/**
 * The composition root: reads and checks configuration once, at module load of each handler,
 * and builds the adapters the domain needs. A missing variable fails the cold start loudly.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Areas,
  commentRepository,
  commentsFrom,
  countsFrom,
  importsFrom,
  moderationFrom,
  moderationRepository,
  reactionRepository,
  reactionsFrom,
  tallyFrom,
} from './areas';
import { type Clock, type IdGenerator, systemClock, ulidGenerator } from './domain/ids';
import type { KeyedHasher } from './domain/keyed-hash';
import type { CommentStore, CountsStore, ModerationStore, ReactionStore } from './domain/ports';
import { type Settings, settingsFromEnv } from './domain/settings';
import type { TallyStore } from './domain/tally';
import { buildSchemas, type Schemas } from './domain/validation';
import { TABLE_NAME_ENV } from './env';
import { useJsonFastPath } from './json-fast-path';
import { screeningFrom } from './screen/screening-from';
import { keyedHasherFromEnv } from './secrets/keyed-hasher-from-env';
import { type OriginVerify, originVerifyFromEnv } from './secrets/origin-verify-from-env';
import { createDocumentClient } from './store/client';

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
}

export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  useJsonFastPath(env);
  const settings = settingsFromEnv(env);
  return { settings, schemas: buildSchemas(settings) };
}

/** What every area is built from: the configuration, the table and what the domain shares. */
export interface Foundation extends Configuration {
  hasher: KeyedHasher;
  clock: Clock;
  newId: IdGenerator;
  client: DynamoDBDocumentClient;
  tableName: string;
  /** What CloudFront proves itself with to the write functions (http/request.ts clientAddress). */
  originVerify?: OriginVerify;
}

/**
 * `clock` lets tests move time (rate-limit windows, the edit window); `client` lets benchmarks
 * meter every DynamoDB call.
 */
export interface RuntimeOptions {
  clock?: Clock;
  client?: DynamoDBDocumentClient;
}

function loadFoundation(env: NodeJS.ProcessEnv, options: RuntimeOptions): Foundation {
  const configuration = loadConfiguration(env);
  const tableName = required(env, TABLE_NAME_ENV);
  return {
    ...configuration,
    tableName,
    // From Secrets Manager where TALKBACK_SECRET_ARN is set, else TALKBACK_SECRET (local, tests).
    hasher: keyedHasherFromEnv(env),
    originVerify: originVerifyFromEnv(env),
    client: options.client ?? createDocumentClient(env),
    clock: options.clock ?? systemClock,
    newId: ulidGenerator,
  };
}

/** What a handler needs: some of the configuration and some areas. */
export type HandlerDeps<A extends keyof Areas, C extends keyof Foundation = never> = Pick<
  Foundation,
  C
> & { areas: Pick<Areas, A> };

/** The builders of the areas a handler uses, by area (areas.ts: commentsFrom, reactionsFrom...). */
export type AreaBuilders<A extends keyof Areas> = {
  [K in A]: (base: Foundation) => Areas[K];
};

/**
 * A handler's dependencies: the configuration and only the areas it names, so that its bundle
 * holds only the repositories those areas use.
 */
export function loadHandlerDeps<A extends keyof Areas>(
  builders: AreaBuilders<A>,
  env: NodeJS.ProcessEnv = process.env,
): Foundation & { areas: Pick<Areas, A> } {
  const base = loadFoundation(env, {});
  const areas = {} as Pick<Areas, A>;
  for (const name of Object.keys(builders) as A[]) areas[name] = builders[name](base);
  return { ...base, areas };
}

export interface Runtime extends Foundation {
  /** The adapters as built, without metrics: tests and benchmarks reach into them. */
  commentStore: CommentStore;
  reactionStore: ReactionStore & CountsStore & TallyStore;
  moderationStore: ModerationStore;
  /** What the handlers of each area hand the domain. */
  areas: Areas;
}

/**
 * Every area, sharing one repository of each kind: for the local server, tests and benchmarks,
 * which serve every route from one process.
 */
export function loadRuntime(
  env: NodeJS.ProcessEnv = process.env,
  options: RuntimeOptions = {},
): Runtime {
  const base = loadFoundation(env, options);
  const commentStore = commentRepository(base);
  const reactionStore = reactionRepository(base);
  const moderationStore = moderationRepository(base);
  return {
    ...base,
    commentStore,
    reactionStore,
    moderationStore,
    areas: {
      comments: commentsFrom(base, commentStore),
      reactions: reactionsFrom(base, reactionStore),
      counts: countsFrom(base, reactionStore),
      moderation: moderationFrom(base, moderationStore),
      tally: tallyFrom(base, reactionStore),
      imports: importsFrom(base),
      screening: screeningFrom(base),
    },
  };
}
