/**
 * Tokens of an issuer that publishes a JWKS: RS256, ES256 or EdDSA only. jose fetches the key
 * set when first needed, keeps it, looks it up again once for an unknown key id, waits for it a
 * bounded time (docs/readers.md), and picks the one key that fits a token's `alg` and `kid`.
 * The signature is checked with node:crypto on a KeyObject made once per key, and the claims as
 * for HS256 (hs256.ts): jose's own check goes through Web Crypto, whose asynchronous call cost
 * as much as the rest of the write (a differential test holds the two to the same answers:
 * test/unit/readers/key-sets.test.ts). A token whose header names another algorithm is refused
 * before any key is looked at, which stops `alg: none` and algorithm confusion.
 *
 * The only module that imports jose: the bundler leaves it out where no issuer has a key set
 * (jwt-tokens.ts, KEY_SET_BUNDLE_ENV in lambda/env.ts).
 */
import { KeyObject, verify } from 'node:crypto';
import { createRemoteJWKSet, errors, type JWSHeaderParameters } from 'jose';
import type { Clock } from '../domain/ids';
import type { ReaderIssuer } from '../domain/reader-settings';
import { ReaderKeysUnavailableError, ReaderTokenError } from '../domain/readers';
import { allowedAlgorithm, CLOCK_TOLERANCE_SECONDS, type CompactToken, checkClaims } from './hs256';

const KEY_SET_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
type KeySetAlgorithm = (typeof KEY_SET_ALGORITHMS)[number];
/** jose's floor for an RSA key (RFC 7518, 3.3). */
const MIN_RSA_BITS = 2048;
/** The longest a request waits for an issuer's JWKS; past it the answer is a 503. */
export const JWKS_TIMEOUT_MS = 1500;
/** A key set is kept this long (10 minutes), then fetched again on the next token that needs it. */
export const JWKS_CACHE_MS = 600_000;
/**
 * After a fetch, a key id that is not in the set is not looked up again for this long: one
 * look-up for a new key, and a flood of tokens with made-up key ids cannot hammer the issuer.
 */
export const JWKS_COOLDOWN_MS = 30_000;

/** The key a token's header picks from a key set (jose's selection by `alg` and `kid`). */
export type KeyLookup = (header: JWSHeaderParameters) => Promise<CryptoKey>;

/** A key set whose fetch faults (down, slow, not a key set) are 503s, unknown keys 401s. */
function keySet(url: string): KeyLookup {
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: JWKS_TIMEOUT_MS,
    cacheMaxAge: JWKS_CACHE_MS,
    cooldownDuration: JWKS_COOLDOWN_MS,
  });
  return async (header) => {
    try {
      return await remote(header);
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

/** Whether `signature` is `key`'s over `input` for `alg` (a JWS's ES256 is r‖s, not DER). */
function signatureMatches(
  alg: KeySetAlgorithm,
  key: KeyObject,
  input: string,
  signature: Buffer,
): boolean {
  const data = Buffer.from(input, 'ascii');
  try {
    if (alg === 'EdDSA') return verify(null, data, key, signature);
    if (alg === 'ES256') {
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/**
 * The claims of a token whose keys come from `keys` (jose's key selection over a key set),
 * once its signature and claims are checked.
 */
export function keySetTokens(
  entry: Pick<ReaderIssuer, 'issuer' | 'audience'>,
  clock: Clock,
  keys: KeyLookup,
): (token: CompactToken) => Promise<Record<string, unknown>> {
  // jose hands back the same CryptoKey for a key until the set changes: one KeyObject each.
  const keyObjects = new WeakMap<CryptoKey, KeyObject>();
  const keyObjectOf = (key: CryptoKey): KeyObject => {
    let keyObject = keyObjects.get(key);
    if (keyObject === undefined) {
      keyObject = KeyObject.from(key);
      keyObjects.set(key, keyObject);
    }
    return keyObject;
  };
  return async (token) => {
    const alg = allowedAlgorithm(token, KEY_SET_ALGORITHMS);
    let key: KeyObject;
    try {
      key = keyObjectOf(await keys(token.header as JWSHeaderParameters));
    } catch (error) {
      if (error instanceof ReaderKeysUnavailableError) throw error;
      throw new ReaderTokenError(reasonOf(error));
    }
    const tooShort =
      alg === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS;
    const signature = Buffer.from(token.signature, 'base64url');
    if (tooShort || !signatureMatches(alg, key, token.signingInput, signature)) {
      throw new ReaderTokenError('is not a valid signed token');
    }
    checkClaims(token.payload, {
      issuer: entry.issuer,
      audience: entry.audience,
      now: Math.floor(clock() / 1000),
      tolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return token.payload;
  };
}

/** The claims of a token of `entry`, an issuer with a `jwksUrl`, once verified. */
export const keySetVerifier = (entry: ReaderIssuer & { jwksUrl: string }, clock: Clock) =>
  keySetTokens(entry, clock, keySet(entry.jwksUrl));
