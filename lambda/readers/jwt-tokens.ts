/**
 * The ReaderTokens adapter, on jose: picks the configured issuer a token names, then verifies
 * its signature with only that issuer's algorithms (HS256 for a shared secret; RS256, ES256 or
 * EdDSA for a JWKS), its `iss`, `aud`, `exp`, `nbf` and `iat`. Fixing the algorithms per issuer
 * is what stops `alg: none` and algorithm confusion (an RS256 public key used as an HS256
 * secret): jose refuses a token whose header names another algorithm before it looks for a key.
 */
import { createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Clock } from '../domain/ids';
import { createDeferredSecret, type SecretSource } from '../domain/keyed-hash';
import type { ReaderIssuer, ReaderSettings } from '../domain/reader-settings';
import {
  MAX_READER_TOKEN_LIFETIME_SECONDS,
  ReaderKeysUnavailableError,
  ReaderTokenError,
  type ReaderTokens,
} from '../domain/readers';

const SHARED_SECRET_ALGORITHMS = ['HS256'];
const KEY_SET_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
/** Allowed drift between the site's clock and ours, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** The longest a request waits for an issuer's JWKS; past it the answer is a 503. */
export const JWKS_TIMEOUT_MS = 1500;
/** A key set is kept this long, then fetched again on the next token that needs it. */
export const JWKS_CACHE_MS = 10 * 60_000;
/**
 * After a fetch, a key id that is not in the set is not looked up again for this long: one
 * look-up for a new key, and a flood of tokens with made-up key ids cannot hammer the issuer.
 */
export const JWKS_COOLDOWN_MS = 30_000;

type Key = CryptoKey | JWTVerifyGetKey;
type KeyOf = () => Promise<Key>;

export interface JwtTokenOptions {
  clock: Clock;
  /** Where an issuer's `secretArn` is read (Secrets Manager on AWS); asked once per instance. */
  secretSource?: (arn: string) => SecretSource;
}

/** A key set whose fetch faults (down, slow, not a key set) are 503s, unknown keys 401s. */
function keySet(url: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: JWKS_TIMEOUT_MS,
    cacheMaxAge: JWKS_CACHE_MS,
    cooldownDuration: JWKS_COOLDOWN_MS,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      throw new ReaderKeysUnavailableError(error);
    }
  };
}

function keyFor(entry: ReaderIssuer, options: JwtTokenOptions): KeyOf {
  if (entry.jwksUrl !== undefined) {
    const set = keySet(entry.jwksUrl);
    return async () => set;
  }
  if (entry.secret !== undefined) {
    const key = hmacKey(entry.secret);
    return () => key;
  }
  const arn = entry.secretArn as string;
  if (options.secretSource === undefined) {
    throw new Error(`Talkback configuration: reader issuer ${entry.issuer} has no secret source`);
  }
  const secret = createDeferredSecret(options.secretSource(arn), 'a reader issuer secret');
  let key: Promise<CryptoKey> | undefined;
  return async () => {
    await secret.ready();
    key ??= hmacKey(secret.value());
    return key;
  };
}

/**
 * The shared secret imported once: given raw bytes, jose imports them again on every token,
 * which took more CPU than the signature check itself.
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
}

/** What jose's refusal means to the site that minted the token, naming no claim's value. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'is not valid yet';
    if (error.claim === 'aud') return 'is not for this audience';
    if (error.claim === 'iss') return 'is not from a trusted issuer';
    return `must have the ${error.claim} claim`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'is signed with an algorithm this issuer may not use';
  }
  return 'is not a valid signed token';
}

export function jwtReaderTokens(readers: ReaderSettings, options: JwtTokenOptions): ReaderTokens {
  const issuers = new Map(
    readers.issuers.map((entry) => [
      entry.issuer,
      {
        entry,
        key: keyFor(entry, options),
        algorithms: entry.jwksUrl === undefined ? SHARED_SECRET_ALGORITHMS : KEY_SET_ALGORITHMS,
      },
    ]),
  );
  return {
    async verify(token) {
      let iss: unknown;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        throw new ReaderTokenError('is not a valid signed token');
      }
      const issuer = typeof iss === 'string' ? issuers.get(iss) : undefined;
      if (issuer === undefined) throw new ReaderTokenError('is not from a trusted issuer');
      const key = await issuer.key();
      const checks = {
        algorithms: issuer.algorithms,
        issuer: issuer.entry.issuer,
        audience: issuer.entry.audience,
        requiredClaims: ['sub', 'iat', 'exp'],
        // Also refuses an `iat` in the future, which would stretch a token's life.
        maxTokenAge: MAX_READER_TOKEN_LIFETIME_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(options.clock()),
      };
      try {
        const { payload } =
          typeof key === 'function'
            ? await jwtVerify(token, key, checks)
            : await jwtVerify(token, key, checks);
        return payload as Record<string, unknown>;
      } catch (error) {
        if (error instanceof ReaderKeysUnavailableError) throw error;
        throw new ReaderTokenError(reasonOf(error));
      }
    },
  };
}
