import {
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';
import { SecretUnavailableError } from './errors';

/**
 * Keyed hashes (HMAC-SHA256). A keyed hash of a visitor id cannot be reversed or recomputed by
 * anyone who reads the table without the key. Each use has its own purpose label, hashed with
 * the value, so a hash made for one purpose never matches another; which key each purpose uses
 * is the keyring's table (keyring.ts).
 */
export interface KeyedHasher {
  hash(purpose: string, value: string): string;
  verify(purpose: string, value: string, expected: string): boolean;
}

export const MIN_SECRET_LENGTH = 32;

/** A secret long enough to key hashes and derive keys from; throws naming it otherwise. */
export function checkedSecret(secret: string, what: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${what} must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return secret;
}

/** Hashes under the secret itself: the construction every stored hash was made with. */
export function createKeyedHasher(secret: string): KeyedHasher {
  // Imported once: an HMAC keyed by a KeyObject skips parsing the key on every hash.
  return keyedHasherOf(
    createSecretKey(Buffer.from(checkedSecret(secret, 'the hashing secret'), 'utf8')),
  );
}

export function keyedHasherOf(key: KeyObject): KeyedHasher {
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
 * A 256-bit key of its own for one purpose, derived from a secret with HKDF-SHA256 (RFC 5869):
 * the secret is the input keying material, the salt is empty (the secret is already random),
 * and the purpose's label is the `info`, so each label gives an independent key and none of
 * them tells anything about the secret or another label's key.
 */
export function deriveKey(secret: string, label: string): KeyObject {
  const ikm = Buffer.from(checkedSecret(secret, 'a secret to derive keys from'), 'utf8');
  const key = hkdfSync('sha256', ikm, '', label, 32);
  return createSecretKey(Buffer.from(key));
}

/**
 * Where a secret comes from: Secrets Manager in AWS (lambda/secrets/), so it is not in any
 * function's configuration.
 */
export interface SecretSource {
  read(): Promise<string>;
}

/**
 * A secret fetched from `source` when first needed and kept for the life of the instance.
 * `ready()` is undefined once it is here; else the fetch (one for all callers meanwhile),
 * rejected with SecretUnavailableError when it fails, which is not kept: the next `ready()`
 * fetches again. `value()` before that throws.
 */
export interface DeferredSecret {
  value(): string;
  ready(): Promise<void> | undefined;
}

export function createDeferredSecret(source: SecretSource, what: string): DeferredSecret {
  let secret: string | undefined;
  let loading: Promise<void> | undefined;
  return {
    value() {
      if (secret === undefined) throw new Error(`${what} is used before ready() resolved`);
      return secret;
    },
    ready() {
      if (secret !== undefined) return undefined;
      loading ??= source.read().then(
        (read) => {
          secret = read;
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
