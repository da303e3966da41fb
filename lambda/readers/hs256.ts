/**
 * HS256 reader tokens checked with node:crypto: an HMAC over the token's first two parts and a
 * constant-time comparison, then the claims, as jose checks them for the same options (a
 * differential test holds the two to the same answers: test/unit/readers/hs256.test.ts). jose
 * runs the same check through Web Crypto, whose asynchronous call cost about ten times the HMAC
 * itself here (docs/readers.md, "What a verified comment costs"); the key-set algorithms stay
 * with jose.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { MAX_READER_TOKEN_LIFETIME_SECONDS, ReaderTokenError } from '../domain/readers';

/** Allowed drift between the site's clock and ours, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;

const NOT_A_TOKEN = 'is not a valid signed token';
const WRONG_ALGORITHM = 'is signed with an algorithm this issuer may not use';
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** A compact JWS taken apart, before any signature is checked. */
export interface CompactToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `<header>.<payload>`, as signed. */
  signingInput: string;
  signature: string;
}

/** A JSON object with no prototype but Object's, as JOSE headers and claim sets must be. */
function jsonObject(part: string): Record<string, unknown> {
  const value: unknown = JSON.parse(strictUtf8.decode(Buffer.from(part, 'base64url')));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReaderTokenError(NOT_A_TOKEN);
  }
  return value as Record<string, unknown>;
}

/** The header and claims of `header.payload.signature`; anything else is not a token. */
export function decodeCompact(token: string): CompactToken {
  const parts = token.split('.');
  const [header, payload, signature] = parts;
  if (
    parts.length !== 3 ||
    header === undefined ||
    payload === undefined ||
    signature === undefined ||
    !parts.every((part) => BASE64URL.test(part))
  ) {
    throw new ReaderTokenError(NOT_A_TOKEN);
  }
  try {
    return {
      header: jsonObject(header),
      payload: jsonObject(payload),
      signingInput: `${header}.${payload}`,
      signature,
    };
  } catch (error) {
    if (error instanceof ReaderTokenError) throw error;
    throw new ReaderTokenError(NOT_A_TOKEN);
  }
}

/** The shared secret as a key object, made once: an HMAC keyed by raw bytes makes one each time. */
export const hs256Key = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

/**
 * The signature of an HS256 token. Only `alg: HS256` is taken (so `none` and every other
 * algorithm are refused before the key is used), and no critical extension is understood.
 */
export function checkHs256Signature(token: CompactToken, key: KeyObject): void {
  const { alg, crit } = token.header;
  if (crit !== undefined) throw new ReaderTokenError(NOT_A_TOKEN);
  if (typeof alg !== 'string' || alg === '') throw new ReaderTokenError(NOT_A_TOKEN);
  if (alg !== 'HS256') throw new ReaderTokenError(WRONG_ALGORITHM);
  const expected = createHmac('sha256', key).update(token.signingInput).digest();
  const given = Buffer.from(token.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ReaderTokenError(NOT_A_TOKEN);
  }
}

export interface ClaimChecks {
  issuer: string;
  audience: string;
  /** Seconds since the epoch. */
  now: number;
  /** Allowed drift between the site's clock and ours, in seconds. */
  tolerance: number;
}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function audienceMatches(aud: unknown, audience: string): boolean {
  if (typeof aud === 'string') return aud === audience;
  return Array.isArray(aud) && aud.includes(audience);
}

/**
 * The registered claims, in jose's order and with its answers for the options jwt-tokens.ts gives
 * it: `iss`, `aud`, `iat`, `exp` and `sub` present; `iss` and `aud` this issuer's; `nbf` (when
 * given) and `iat` not in the future; `exp` not past; at most a day from `iat` to now.
 */
export function checkClaims(claims: Record<string, unknown>, checks: ClaimChecks): void {
  const missing = ['iss', 'aud', 'iat', 'exp', 'sub'].find(
    (claim) => !Object.hasOwn(claims, claim),
  );
  if (missing === 'iss') throw new ReaderTokenError('is not from a trusted issuer');
  if (missing === 'aud') throw new ReaderTokenError('is not for this audience');
  if (missing === 'iat') throw new ReaderTokenError('is not valid yet');
  if (missing !== undefined) throw new ReaderTokenError(`must have the ${missing} claim`);
  if (claims.iss !== checks.issuer) throw new ReaderTokenError('is not from a trusted issuer');
  if (!audienceMatches(claims.aud, checks.audience)) {
    throw new ReaderTokenError('is not for this audience');
  }
  const { iat, nbf, exp } = claims;
  const { now, tolerance } = checks;
  if (!isNumber(iat)) throw new ReaderTokenError('is not valid yet');
  if (nbf !== undefined && (!isNumber(nbf) || nbf > now + tolerance)) {
    throw new ReaderTokenError('is not valid yet');
  }
  if (!isNumber(exp)) throw new ReaderTokenError('must have the exp claim');
  if (exp <= now - tolerance) throw new ReaderTokenError('has expired');
  const age = now - iat;
  if (age - tolerance > MAX_READER_TOKEN_LIFETIME_SECONDS) {
    throw new ReaderTokenError('has expired');
  }
  if (age < -tolerance) throw new ReaderTokenError('is not valid yet');
}
