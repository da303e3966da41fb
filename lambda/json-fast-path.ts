/**
 * V8's side-effect-free JSON.stringify, behind a flag on the V8 that Lambda's nodejs24.x runs.
 * Kept apart from the composition root so the benchmark can ask what a process does about it
 * without loading the repositories.
 */

import { setFlagsFromString } from 'node:v8';
import { JSON_FAST_PATH_ENV } from './env';

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
