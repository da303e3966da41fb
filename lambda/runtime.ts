/**
 * The composition root, the one way every function is wired: it reads and checks configuration
 * once, at module load of each handler, gathers what each request waits for first, and builds
 * the areas the handler names (their builders are in areas.ts). A missing variable fails the
 * cold start loudly. HTTP routes, the stream consumers and the queue worker all start here.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Areas,
  type Configuration,
  commentRepository,
  commentsFrom,
  countsFrom,
  type Foundation,
  importsFrom,
  moderationFrom,
  moderationRepository,
  reactionRepository,
  reactionsFrom,
  type Table,
  tableOf,
  tallyFrom,
} from './areas';
import { allOf } from './before-request';
import { type Clock, systemClock, ulidGenerator } from './domain/ids';
import type { CommentStore, CountsStore, ModerationStore, ReactionStore } from './domain/ports';
import { settingsFromEnv } from './domain/settings';
import type { TallyStore } from './domain/tally';
import { buildSchemas } from './domain/validation';
import { useJsonFastPath } from './json-fast-path';
import { readersFrom } from './readers/reader-verifier-from';
import { screeningFrom } from './screen/screening-from';
import { keysFromEnv } from './secrets/keys-from-env';
import { originVerifyFromEnv } from './secrets/origin-verify-from-env';

export type { Configuration, Foundation } from './areas';

export function loadConfiguration(env: NodeJS.ProcessEnv = process.env): Configuration {
  useJsonFastPath(env);
  const settings = settingsFromEnv(env);
  return { settings, schemas: buildSchemas(settings) };
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
  const clock = options.clock ?? systemClock;
  // One key per purpose, from the root secrets the function has: from Secrets Manager where
  // their ARNs are set, else the secrets themselves (local, tests).
  const { hasher, beforeRequest: keys } = keysFromEnv(env, clock);
  const { originVerify, beforeRequest: originValue } = originVerifyFromEnv(env);
  return {
    ...loadConfiguration(env),
    env,
    hasher,
    originVerify,
    beforeRequest: allOf([keys, originValue]),
    clock,
    newId: ulidGenerator,
    ...(options.client ? { client: options.client } : {}),
  };
}

/** What a handler needs: some of the foundation, some areas, and what to wait for first. */
export type HandlerDeps<A extends keyof Areas, C extends keyof Foundation = never> = Pick<
  Foundation,
  C | 'beforeRequest'
> & { areas: Pick<Areas, A> };

/** The builders of the areas a handler uses, by area (areas.ts: commentsFrom, reactionsFrom...). */
export type AreaBuilders<A extends keyof Areas> = {
  [K in A]: (base: Foundation) => Areas[K];
};

/**
 * A handler's dependencies: the foundation and only the areas it names, so that its bundle
 * holds only the repositories and clients those areas use.
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

/**
 * The areas built from areas.ts; those of the mail links and functions (lambda/mail/mail-areas.ts)
 * are built beside a runtime where a test needs them.
 */
export type RuntimeAreas =
  | 'comments'
  | 'reactions'
  | 'counts'
  | 'moderation'
  | 'tally'
  | 'imports'
  | 'screening'
  | 'readers';

export interface Runtime extends Omit<Foundation, 'client'>, Table {
  /** The adapters as built, without metrics: tests and benchmarks reach into them. */
  commentStore: CommentStore;
  reactionStore: ReactionStore & CountsStore & TallyStore;
  moderationStore: ModerationStore;
  /** What the handlers of each area hand the domain. */
  areas: Pick<Areas, RuntimeAreas>;
}

/**
 * Every area of areas.ts, sharing one repository of each kind: for tests and benchmarks, which
 * serve every route from one process.
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
    ...tableOf(base),
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
      readers: readersFrom(base),
    },
  };
}
