/**
 * HS256 tokens are checked with node:crypto (lambda/readers/hs256.ts), not jose: this holds the
 * two to the same answer, token by token, over headers, claims and signatures a site or an
 * attacker could send. jose (through Web Crypto, with the same options jwt-tokens.ts gave it)
 * is the reference.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { ReaderTokenError } from '../../../lambda/domain/readers';
import {
  CLOCK_TOLERANCE_SECONDS,
  checkClaims,
  checkHs256Signature,
  decodeCompact,
  hs256Key,
} from '../../../lambda/readers/hs256';
import { reasonOf } from '../../../lambda/readers/key-sets';
import { AUDIENCE, SHARED_ISSUER, SHARED_SECRET } from '../../support/reader-issuer';
import { NOW } from '../fakes';

const NOW_SECONDS = Math.floor(NOW / 1000);
const DAY = 24 * 3600;
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hmac = (secret: string, input: string) =>
  createHmac('sha256', secret).update(input).digest('base64url');

const ABSENT = Symbol('absent');
type Maybe<T> = T | typeof ABSENT;

/** Offsets from now around every boundary: the tolerance either way, the day's limit, far off. */
const time = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1,
      CLOCK_TOLERANCE_SECONDS,
      CLOCK_TOLERANCE_SECONDS + 1,
      -CLOCK_TOLERANCE_SECONDS,
      -CLOCK_TOLERANCE_SECONDS - 1,
      -DAY,
      -DAY - CLOCK_TOLERANCE_SECONDS,
      -DAY - CLOCK_TOLERANCE_SECONDS - 1,
      3600,
      -7200,
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: -3 * DAY, max: 3 * DAY }) },
);

/**
 * Mostly the good value, so that most tokens are wrong in one or two ways only and each rule
 * is reached; else one of the bad ones, or the claim left out.
 */
const mostly = <T>(good: fc.Arbitrary<T>, ...bad: unknown[]): fc.Arbitrary<Maybe<unknown>> =>
  fc.oneof(
    { weight: 8, arbitrary: good },
    { weight: 1, arbitrary: fc.constantFrom<Maybe<unknown>>(...bad, ABSENT) },
  );

const claims = fc.record({
  iss: mostly(fc.constant(SHARED_ISSUER), 'https://elsewhere.example', 7),
  aud: mostly(
    fc.constantFrom<unknown>(AUDIENCE, [AUDIENCE], ['other', AUDIENCE]),
    ['other'],
    'other',
    3,
    [],
  ),
  sub: mostly(fc.constant('user-42'), 42),
  iat: mostly(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(NOW_SECONDS) },
      { weight: 2, arbitrary: time.map((offset) => NOW_SECONDS + offset) },
    ),
    'now',
  ),
  nbf: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Maybe<unknown>>(ABSENT) },
    { weight: 2, arbitrary: time.map((offset) => NOW_SECONDS + offset) },
    { weight: 1, arbitrary: fc.constant<unknown>('soon') },
  ),
  // An hour after iat, or a time of its own, or not a number.
  exp: mostly(
    fc.oneof(
      fc.constant({ afterIat: 3600 }),
      time.map((offset) => ({ afterIat: offset + 3600 })),
      time.map((offset) => ({ at: NOW_SECONDS + offset })),
    ),
    { at: 'later' },
  ),
});

const header = fc.record({
  alg: mostly(fc.constant('HS256'), 'HS384', 'none', 'RS256', 'ES256', '', 5),
  typ: fc.constantFrom<Maybe<unknown>>('JWT', 'at+jwt', ABSENT),
  kid: fc.constantFrom<Maybe<unknown>>('k1', ABSENT),
});

type Signature = 'right' | 'other secret' | 'cut short' | 'none' | 'of other bytes';
const signature = fc.constantFrom<Signature>(
  'right',
  'right',
  'right',
  'right',
  'right',
  'other secret',
  'cut short',
  'none',
  'of other bytes',
);

function present<T extends Record<string, unknown>>(record: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ABSENT));
}

function mint(
  head: Record<string, unknown>,
  body: Record<string, unknown>,
  how: Signature,
): string {
  const { exp, ...rest } = body;
  const values = present(rest);
  if (exp !== ABSENT) {
    const { afterIat, at } = exp as { afterIat?: number; at?: unknown };
    const iat = typeof values.iat === 'number' ? values.iat : NOW_SECONDS;
    values.exp = afterIat === undefined ? at : iat + afterIat;
  }
  const input = `${part(present(head))}.${part(values)}`;
  const signatures: Record<Signature, string> = {
    right: hmac(SHARED_SECRET, input),
    'other secret': hmac('another-secret-of-another-site-0123456789', input),
    'cut short': hmac(SHARED_SECRET, input).slice(0, 20),
    none: '',
    'of other bytes': hmac(SHARED_SECRET, `${input}x`),
  };
  return `${input}.${signatures[how]}`;
}

const key = hs256Key(SHARED_SECRET);

/** Ours: the claims as the reader's, or the reason for refusing them. */
function ours(token: string): unknown {
  try {
    const compact = decodeCompact(token);
    checkHs256Signature(compact, key);
    checkClaims(compact.payload, {
      issuer: SHARED_ISSUER,
      audience: AUDIENCE,
      now: NOW_SECONDS,
      tolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return compact.payload;
  } catch (error) {
    if (error instanceof ReaderTokenError) return { refused: error.reason };
    throw error;
  }
}

let cryptoKey: CryptoKey;
beforeAll(async () => {
  cryptoKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(SHARED_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
});

/** jose's, with the options jwt-tokens.ts gives it, its refusals named as jwt-tokens.ts names them. */
async function jose(token: string): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, cryptoKey, {
      algorithms: ['HS256'],
      issuer: SHARED_ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
      maxTokenAge: DAY,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(NOW),
    });
    return payload;
  } catch (error) {
    return { refused: reasonOf(error) };
  }
}

describe('HS256 checked with node:crypto', () => {
  it('answers as jose does for any header, claims and signature', async () => {
    await fc.assert(
      fc.asyncProperty(header, claims, signature, async (head, body, how) => {
        const token = mint(head, body, how);
        expect(ours(token)).toEqual(await jose(token));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a token of two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a token of four parts', 'a.b.c.d'],
    ['parts that are not base64url', 'eyJhbGciOiJIUzI1NiJ9.e+J9.abc'],
    ['a header that is not JSON', `${Buffer.from('{').toString('base64url')}.e30.abc`],
    ['a header that is a list', `${part(['HS256'])}.e30.abc`],
    [
      'a payload that is not UTF-8',
      `${part({ alg: 'HS256' })}.${Buffer.from([0xff]).toString('base64url')}.abc`,
    ],
  ])('refuses %s as jose does', async (_, token) => {
    expect(ours(token)).toEqual({ refused: 'is not a valid signed token' });
    expect(await jose(token)).toEqual({ refused: 'is not a valid signed token' });
  });

  it('refuses a critical header extension, which it does not understand', () => {
    const now = NOW_SECONDS;
    const body = { iss: SHARED_ISSUER, aud: AUDIENCE, sub: 'u', iat: now, exp: now + 60 };
    const token = mint({ alg: 'HS256', crit: ['exp'], exp: 1 }, body, 'right');
    expect(ours(token)).toEqual({ refused: 'is not a valid signed token' });
  });
});
