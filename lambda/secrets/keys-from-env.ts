/**
 * The keyring a function gets (lambda/domain/keyring.ts), from its environment. In AWS a function
 * has the ARN of each root secret its purposes need, and the right to read those alone: the
 * hashing secret (TALKBACK_SECRET_ARN) on the functions that hash or page, the link secret
 * (TALKBACK_LINK_SECRET_ARN) on those that sign or check the mail's links. No secret is in any
 * function's configuration. The local server and tests have no ARNs and pass the secrets
 * themselves (TALKBACK_SECRET, TALKBACK_LINK_SECRET).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { allOf, type BeforeRequest } from '../before-request';
import type { Clock } from '../domain/ids';
import { createDeferredSecret, type KeyedHasher } from '../domain/keyed-hash';
import { createKeyring } from '../domain/keyring';
import {
  LEGACY_LINK_SECRET_ARN_ENV,
  LEGACY_LINK_SECRET_ENV,
  LEGACY_LINKS_UNTIL_ENV,
  LINK_SECRET_ARN_ENV,
  LINK_SECRET_ENV,
  required,
  SECRET_ARN_ENV,
  SECRET_ENV,
} from '../env';
import { secretsManagerSource } from './secrets-manager';

interface RootSecret {
  /** The value; throws before `ready` resolved, or where the function has no such secret. */
  value(): string;
  /** The fetch every request waits for, on an instance's first request; absent: nothing to fetch. */
  ready?: BeforeRequest;
}

/**
 * By ARN, fetched on the instance's first request (a failed fetch answers 503 and is tried again
 * on the next request) and kept; else the value itself; else none, which throws when used,
 * naming both variables, so a function deployed without a secret fails loudly if it needs it.
 */
function rootSecret(
  env: NodeJS.ProcessEnv,
  arnName: string,
  valueName: string,
  what: string,
  client: SecretsManagerClient | undefined,
): RootSecret {
  const arn = env[arnName];
  if (arn) {
    const secret = createDeferredSecret(secretsManagerSource(arn, client), what);
    return { value: () => secret.value(), ready: () => secret.ready() };
  }
  const value = env[valueName];
  if (value) return { value: () => value };
  return {
    value() {
      throw new Error(`Talkback configuration: neither ${arnName} nor ${valueName} is set`);
    },
  };
}

/** The end of the legacy links' transition, in milliseconds; a bad value fails the cold start. */
function legacyUntil(env: NodeJS.ProcessEnv): number {
  const raw = required(env, LEGACY_LINKS_UNTIL_ENV);
  const until = Date.parse(raw);
  if (Number.isNaN(until)) {
    throw new Error(`Talkback configuration: ${LEGACY_LINKS_UNTIL_ENV} is not a time: ${raw}`);
  }
  return until;
}

/**
 * The keyring, and what a request waits for first: the fetch of each root secret the function
 * has an ARN for. The legacy link secret is fetched only while its transition lasts: past its
 * end, its grant has expired too (lib/talkback-api.ts), and no request waits for it.
 */
export function keysFromEnv(
  env: NodeJS.ProcessEnv,
  clock: Clock,
  options: { secretsClient?: SecretsManagerClient } = {},
): { hasher: KeyedHasher; beforeRequest?: BeforeRequest } {
  const client = options.secretsClient;
  const hashing = rootSecret(env, SECRET_ARN_ENV, SECRET_ENV, 'the hashing secret', client);
  const links = rootSecret(env, LINK_SECRET_ARN_ENV, LINK_SECRET_ENV, 'the link secret', client);
  const hasLegacy = Boolean(env[LEGACY_LINK_SECRET_ARN_ENV] || env[LEGACY_LINK_SECRET_ENV]);
  const legacy = hasLegacy
    ? {
        secret: rootSecret(
          env,
          LEGACY_LINK_SECRET_ARN_ENV,
          LEGACY_LINK_SECRET_ENV,
          'the legacy link secret',
          client,
        ),
        until: legacyUntil(env),
      }
    : undefined;
  const legacyReady = legacy?.secret.ready;
  const hasher = createKeyring(
    {
      hashing: () => hashing.value(),
      links: () => links.value(),
      ...(legacy
        ? { legacyLinks: { secret: () => legacy.secret.value(), until: legacy.until } }
        : {}),
    },
    clock,
  );
  const beforeRequest = allOf([
    hashing.ready,
    links.ready,
    legacy && legacyReady ? () => (clock() < legacy.until ? legacyReady() : undefined) : undefined,
  ]);
  return beforeRequest ? { hasher, beforeRequest } : { hasher };
}
