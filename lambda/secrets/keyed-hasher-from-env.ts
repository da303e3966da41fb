/**
 * Which hashing key a function gets, from its environment. In AWS only the functions that hash
 * have TALKBACK_SECRET_ARN (and the right to read that secret); the secret itself is in no
 * function's configuration. The local server and tests have no ARN and pass TALKBACK_SECRET.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { BeforeRequest } from '../before-request';
import {
  createDeferredKeyedHasher,
  createKeyedHasher,
  type KeyedHasher,
} from '../domain/keyed-hash';
import { SECRET_ARN_ENV, SECRET_ENV } from '../env';
import { secretsManagerSource } from './secrets-manager';

/** For a function deployed without the secret: it does not hash, and fails loudly if it tries. */
const NO_KEY: KeyedHasher = {
  hash() {
    throw new Error(`Talkback configuration: neither ${SECRET_ARN_ENV} nor ${SECRET_ENV} is set`);
  },
  verify() {
    throw new Error(`Talkback configuration: neither ${SECRET_ARN_ENV} nor ${SECRET_ENV} is set`);
  },
};

/**
 * With an ARN: a hasher keyed by that secret, fetched on the instance's first request (every
 * request waits for `beforeRequest` until it is here; a failed fetch answers 503 and is tried
 * again on the next request). Without: TALKBACK_SECRET, or no key at all, and nothing to wait for.
 */
export function keyedHasherFromEnv(
  env: NodeJS.ProcessEnv,
  options: { secretsClient?: SecretsManagerClient } = {},
): { hasher: KeyedHasher; beforeRequest?: BeforeRequest } {
  const arn = env[SECRET_ARN_ENV];
  if (arn) {
    const hasher = createDeferredKeyedHasher(secretsManagerSource(arn, options.secretsClient));
    return { hasher, beforeRequest: () => hasher.ready() };
  }
  const secret = env[SECRET_ENV];
  return { hasher: secret ? createKeyedHasher(secret) : NO_KEY };
}
