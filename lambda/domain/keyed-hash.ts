import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { SecretUnavailableError } from './errors';

/**
 * Keyed hashes (HMAC-SHA256) under the deployment's secret. A keyed hash of a visitor id cannot
 * be reversed or recomputed by anyone who reads the table without the secret. Each use has its
 * own purpose label so a hash made for one purpose never matches another.
 */
export interface KeyedHasher {
  hash(purpose: string, value: string): string;
  verify(purpose: string, value: string, expected: string): boolean;
}

export const MIN_SECRET_LENGTH = 32;

export function createKeyedHasher(secret: string): KeyedHasher {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the hashing secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  // Imported once: an HMAC keyed by a KeyObject skips parsing the key on every hash.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const hash = (purpose: string, value: string): string =>
    // 128 bits are plenty for identity and keep keys short in the console.
    createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('base64url').slice(0, 22);
  return {
    hash,
    verify(purpose, value, expected) {
      const actual = Buffer.from(hash(purpose, value));
      const wanted = Buffer.from(expected);
      return actual.length === wanted.length && timingSafeEqual(actual, wanted);
    },
  };
}

/**
 * Where the hashing secret comes from: Secrets Manager in AWS (lambda/secrets/), so it is not in
 * any function's configuration.
 */
export interface SecretSource {
  read(): Promise<string>;
}

/** A KeyedHasher whose key is fetched before first use; see createDeferredKeyedHasher. */
export interface DeferredKeyedHasher extends KeyedHasher {
  /**
   * Undefined once the key is here; else the fetch (one for all callers meanwhile), rejected
   * with SecretUnavailableError when it fails. Hashing before it resolves throws.
   */
  ready(): Promise<void> | undefined;
}

/**
 * A KeyedHasher keyed by the secret from `source`, fetched once when first needed and kept for
 * the life of the instance. A failed fetch is not kept: the next `ready()` fetches again.
 */
export function createDeferredKeyedHasher(source: SecretSource): DeferredKeyedHasher {
  let keyed: KeyedHasher | undefined;
  let loading: Promise<void> | undefined;
  const current = (): KeyedHasher => {
    if (keyed === undefined) throw new Error('the hashing key is used before ready() resolved');
    return keyed;
  };
  return {
    hash: (purpose, value) => current().hash(purpose, value),
    verify: (purpose, value, expected) => current().verify(purpose, value, expected),
    ready() {
      if (keyed !== undefined) return undefined;
      loading ??= source.read().then(
        (secret) => {
          keyed = createKeyedHasher(secret);
        },
        (error: unknown) => {
          loading = undefined;
          throw new SecretUnavailableError(error);
        },
      );
      return loading;
    },
  };
}

/**
 * A JSON value as `<base64url payload>.<keyed hash>`: opaque to clients and impossible to edit
 * without the secret. The purpose keeps one kind of token from passing for another.
 */
export function signJson(value: unknown, purpose: string, hasher: KeyedHasher): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  // join() makes one flat string, where `${a}.${b}` would make a rope: V8 13.6's JSON.stringify
  // fast path (json-fast-path.ts) gives up on a rope and starts the whole page of comments again.
  return [payload, hasher.hash(purpose, payload)].join('.');
}

/** The value of a token made by signJson for this purpose, or undefined for anything else. */
export function readSignedJson(token: string, purpose: string, hasher: KeyedHasher): unknown {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!hasher.verify(purpose, payload, signature)) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
