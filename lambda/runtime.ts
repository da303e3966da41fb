/**
 * The composition root: reads and checks configuration once, at module load of each handler,
 * and builds the adapters the domain needs. A missing variable fails the cold start loudly.
 */

import { setFlagsFromString } from 'node:v8';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock, ulidGenerator } from './domain/ids';
import type { ImportStore } from './domain/imports';
import { createKeyedHasher, type KeyedHasher } from './domain/keyed-hash';
import type { CommentStore, CountsStore, ModerationStore, ReactionStore } from './domain/ports';
import { type Settings, settingsFromEnv } from './domain/settings';
import type { TallyStore } from './domain/tally';
import { buildSchemas, type Schemas } from './domain/validation';
import { createDocumentClient } from './store/client';
import { CommentRepository } from './store/comment-repository';
import { ImportRepository } from './store/import-repository';
import { ModerationRepository } from './store/moderation-repository';
import { ReactionRepository } from './store/reaction-repository';

export const TABLE_NAME_ENV = 'TABLE_NAME';
export const SECRET_ENV = 'TALKBACK_SECRET';
export const JSON_FAST_PATH_ENV = 'TALKBACK_JSON_FAST_PATH';

export const JSON_FAST_PATH_FLAG = '--json-stringify-fast-path';

/**
 * Whether this V8 has the side-effect-free JSON.stringify behind a flag that is off: 13.6, which
 * Node 24 and Lambda's nodejs24.x run, and 13.7. V8 13.8 turned it on by default (Node 25 ships
 * V8 14.1).
 */
export function jsonFastPathIsOptIn(v8Version: string): boolean {
  return /^13\.[67]\./.test(v8Version);
}

/**
 * What this process does about the fast path: `on` sets the flag, `off` leaves V8 as it is
 * (`TALKBACK_JSON_FAST_PATH=off`; default `on`), `default` is a V8 that decides for itself. Any
 * other value of the variable fails loudly.
 */
export function jsonFastPathChoice(
  env: NodeJS.ProcessEnv,
  v8Version: string = process.versions.v8,
): 'on' | 'off' | 'default' {
  const choice = env[JSON_FAST_PATH_ENV] ?? 'on';
  if (choice !== 'on' && choice !== 'off') {
    throw new Error(
      `Talkback configuration: ${JSON_FAST_PATH_ENV} must be "on" or "off", not "${choice}"`,
    );
  }
  return jsonFastPathIsOptIn(v8Version) ? choice : 'default';
}

/**
 * Turns on V8's side-effect-free JSON.stringify, which serialises Talkback's answers about twice
 * as fast (a page of 50 comments: about 58 µs down to 26 µs on the benchmark machine). NODE_OPTIONS
 * does not accept the flag, so it is set here, at each function's start, before any request. It
 * is experimental in 13.6: a risk taken knowingly, with an off switch. It writes
 * the same bytes as the general serialiser: test/unit/json-fast-path.test.ts compares the two on
 * every answer shape and on arbitrary values. Returns whether it set the flag.
 */
export function useJsonFastPath(
  env: NodeJS.ProcessEnv,
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  if (jsonFastPathChoice(env, v8Version) !== 'on') return false;
  setFlags(JSON_FAST_PATH_FLAG);
  return true;
}

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

export interface Runtime extends Configuration {
  hasher: KeyedHasher;
  comments: CommentStore;
  reactions: ReactionStore & CountsStore;
  moderation: ModerationStore;
  imports: ImportStore;
  tally: TallyStore;
  clock: Clock;
  newId: (timeMs: number) => string;
}

/**
 * `clock` lets tests move time (rate-limit windows, the edit window); `client` lets benchmarks
 * meter every DynamoDB call.
 */
export function loadRuntime(
  env: NodeJS.ProcessEnv = process.env,
  options: { clock?: Clock; client?: DynamoDBDocumentClient } = {},
): Runtime {
  const configuration = loadConfiguration(env);
  const tableName = required(env, TABLE_NAME_ENV);
  const hasher = createKeyedHasher(required(env, SECRET_ENV));
  const client = options.client ?? createDocumentClient(env);
  const clock = options.clock ?? systemClock;
  const reactions = new ReactionRepository(client, tableName, configuration.settings, clock);
  return {
    ...configuration,
    hasher,
    comments: new CommentRepository(client, tableName, clock),
    reactions,
    tally: reactions,
    moderation: new ModerationRepository(client, tableName, clock),
    imports: new ImportRepository(client, tableName, clock),
    clock,
    newId: ulidGenerator,
  };
}
