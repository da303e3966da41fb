/**
 * Headers and claims a site or an attacker could send, for the property tests that hold
 * Talkback's token checks to jose's answers (test/unit/readers/hs256.test.ts, key-sets.test.ts).
 */
import fc from 'fast-check';
import { CLOCK_TOLERANCE_SECONDS } from '../../lambda/readers/hs256';
import { NOW } from '../unit/fakes';
import { AUDIENCE } from './reader-issuer';

export const NOW_SECONDS = Math.floor(NOW / 1000);
export const DAY = 24 * 3600;
export const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const ABSENT = Symbol('absent');
export type Maybe<T> = T | typeof ABSENT;

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
export const mostly = <T>(good: fc.Arbitrary<T>, ...bad: unknown[]): fc.Arbitrary<Maybe<unknown>> =>
  fc.oneof(
    { weight: 8, arbitrary: good },
    { weight: 1, arbitrary: fc.constantFrom<Maybe<unknown>>(...bad, ABSENT) },
  );

/** The claims of a token meant for `issuer`, each mostly right. */
export const claimsOf = (issuer: string) =>
  fc.record({
    iss: mostly(fc.constant(issuer), 'https://elsewhere.example', 7),
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

export function present<T extends Record<string, unknown>>(record: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ABSENT));
}

/** `header.payload` of a token: the present parts of both, `exp` resolved against `iat`. */
export function signingInput(head: Record<string, unknown>, body: Record<string, unknown>): string {
  const { exp, ...rest } = body;
  const values = present(rest);
  if (exp !== ABSENT) {
    const { afterIat, at } = exp as { afterIat?: number; at?: unknown };
    const iat = typeof values.iat === 'number' ? values.iat : NOW_SECONDS;
    values.exp = afterIat === undefined ? at : iat + afterIat;
  }
  return `${part(present(head))}.${part(values)}`;
}
