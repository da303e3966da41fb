/**
 * Tokens of an issuer that publishes a JWKS, verified with jose: RS256, ES256 or EdDSA only, the
 * key set fetched when first needed, kept, looked up again once for an unknown key id, and
 * waited for a bounded time (docs/readers.md). jose refuses a token whose header names another
 * algorithm before it looks for a key, which stops `alg: none` and algorithm confusion.
 *
 * The only module that imports jose: the bundler leaves it out where no issuer has a key set
 * (jwt-tokens.ts, KEY_SET_BUNDLE_ENV in lambda/env.ts).
 */
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Clock } from '../domain/ids';
import type { ReaderIssuer } from '../domain/reader-settings';
import {
  MAX_READER_TOKEN_LIFETIME_SECONDS,
  ReaderKeysUnavailableError,
  ReaderTokenError,
} from '../domain/readers';
import { CLOCK_TOLERANCE_SECONDS } from './hs256';

const KEY_SET_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
/** The longest a request waits for an issuer's JWKS; past it the answer is a 503. */
export const JWKS_TIMEOUT_MS = 1500;
/** A key set is kept this long (10 minutes), then fetched again on the next token that needs it. */
export const JWKS_CACHE_MS = 600_000;
/**
 * After a fetch, a key id that is not in the set is not looked up again for this long: one
 * look-up for a new key, and a flood of tokens with made-up key ids cannot hammer the issuer.
 */
export const JWKS_COOLDOWN_MS = 30_000;

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

/** What jose's refusal means to the site that minted the token, naming no claim's value. */
export function reasonOf(error: unknown): string {
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

/** The claims of a token of `entry`, an issuer with a `jwksUrl`, once verified. */
export function keySetVerifier(
  entry: ReaderIssuer & { jwksUrl: string },
  clock: Clock,
): (token: string) => Promise<Record<string, unknown>> {
  const keys = keySet(entry.jwksUrl);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: KEY_SET_ALGORITHMS,
        issuer: entry.issuer,
        audience: entry.audience,
        requiredClaims: ['sub', 'iat', 'exp'],
        // Also refuses an `iat` in the future, which would stretch a token's life.
        maxTokenAge: MAX_READER_TOKEN_LIFETIME_SECONDS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(clock()),
      });
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ReaderKeysUnavailableError) throw error;
      throw new ReaderTokenError(reasonOf(error));
    }
  };
}
