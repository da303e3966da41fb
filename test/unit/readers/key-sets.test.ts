/**
 * Key-set tokens (RS256, ES256, EdDSA) are checked with node:crypto (lambda/readers/key-sets.ts),
 * jose only picking the key: this holds the two to the same answer as jose's own jwtVerify, with
 * the options jwt-tokens.ts gave it, over the same key set, token by token, over headers
 * (including `alg: none` and HS256 keyed by a public key), claims and signatures a site or an
 * attacker could send.
 */
import {
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  type SignKeyObjectInput,
  sign,
} from 'node:crypto';
import fc from 'fast-check';
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import { ReaderTokenError } from '../../../lambda/domain/readers';
import { CLOCK_TOLERANCE_SECONDS, decodeCompact } from '../../../lambda/readers/hs256';
import { keySetTokens, reasonOf } from '../../../lambda/readers/key-sets';
import { AUDIENCE, KEYS_ISSUER } from '../../support/reader-issuer';
import {
  ABSENT,
  claimsOf,
  DAY,
  type Maybe,
  mostly,
  signingInput,
} from '../../support/reader-token-arbitraries';
import { fixedClock, NOW } from '../fakes';

type Alg = 'RS256' | 'ES256' | 'EdDSA';
interface Pair {
  alg: Alg;
  privateKey: KeyObject;
  jwk: JWK;
}

function pair(kid: string, alg: Alg, withAlg = true): Pair {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: kid === 'short' ? 1024 : 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, use: 'sig' };
  return { alg, privateKey, jwk: withAlg ? { ...jwk, alg } : jwk };
}

/** The site's set: one key per algorithm, a short RSA key, and a second EC key without `alg`. */
const pairs: Record<string, Pair> = {
  rs: pair('rs', 'RS256'),
  es: pair('es', 'ES256'),
  ed: pair('ed', 'EdDSA'),
  short: pair('short', 'RS256'),
  'es-no-alg': pair('es-no-alg', 'ES256', false),
};
const jwks = { keys: Object.values(pairs).map((entry) => entry.jwk) };
/** A key of another site, never in the set. */
const stranger = pair('rs', 'RS256');

const claims = claimsOf(KEYS_ISSUER);
const kids = Object.keys(pairs);
const header = fc.record({
  alg: mostly(fc.constantFrom('RS256', 'ES256', 'EdDSA'), 'HS256', 'none', 'PS256', 'ES384', '', 5),
  typ: fc.constantFrom<Maybe<unknown>>('JWT', ABSENT),
  kid: mostly(fc.constantFrom(...kids), 'unknown', 7),
  crit: fc.constantFrom<Maybe<unknown>>(ABSENT, ABSENT, ABSENT, ABSENT, ['b64']),
});

type Signature =
  | 'by the key the header names'
  | 'by another key of the set'
  | 'by another site'
  | 'as DER'
  | 'HS256 keyed by the public key'
  | 'cut short'
  | 'none'
  | 'of other bytes';
const signature = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Signature>('by the key the header names') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Signature>(
      'by another key of the set',
      'by another site',
      'as DER',
      'HS256 keyed by the public key',
      'cut short',
      'none',
      'of other bytes',
    ),
  },
);

function signed(signer: Pair, input: string, der = false): string {
  const data = Buffer.from(input);
  if (signer.alg === 'EdDSA') return sign(null, data, signer.privateKey).toString('base64url');
  const key: SignKeyObjectInput = {
    key: signer.privateKey,
    ...(signer.alg === 'ES256' ? { dsaEncoding: der ? 'der' : 'ieee-p1363' } : {}),
  };
  return sign('sha256', data, key).toString('base64url');
}

function mint(head: Record<string, unknown>, body: Record<string, unknown>, how: Signature) {
  const input = signingInput(head, body);
  const named = pairs[String(head.kid)] ?? pairs.rs;
  if (named === undefined) throw new Error('no rs key');
  const other = named === pairs.es ? pairs.ed : pairs.es;
  const signatures: Record<Signature, () => string> = {
    'by the key the header names': () => signed(named, input),
    'by another key of the set': () => signed(other as Pair, input),
    'by another site': () => signed(stranger, input),
    'as DER': () => signed(named, input, true),
    'HS256 keyed by the public key': () =>
      createHmac('sha256', JSON.stringify(named.jwk)).update(input).digest('base64url'),
    'cut short': () => signed(named, input).slice(0, 20),
    none: () => '',
    'of other bytes': () => signed(named, `${input}x`),
  };
  return `${input}.${signatures[how]()}`;
}

const keys = createLocalJWKSet(jwks);
const verify = keySetTokens({ issuer: KEYS_ISSUER, audience: AUDIENCE }, fixedClock, keys);

/** Ours: the claims as the reader's, or the reason for refusing them. */
async function ours(token: string): Promise<unknown> {
  try {
    return await verify(decodeCompact(token));
  } catch (error) {
    if (error instanceof ReaderTokenError) return { refused: error.reason };
    throw error;
  }
}

/** jose's, with the options jwt-tokens.ts gave it, its refusals named as jwt-tokens.ts names them. */
async function jose(token: string): Promise<unknown> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      issuer: KEYS_ISSUER,
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

describe('key-set tokens checked with node:crypto', () => {
  it('answers as jose does for any header, claims and signature', async () => {
    const answers = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(header, claims, signature, async (head, body, how) => {
        const token = mint(head, body, how);
        const answer = await ours(token);
        expect(answer).toEqual(await jose(token));
        const refused = (answer as { refused?: string }).refused ?? 'verified';
        answers.set(refused, (answers.get(refused) ?? 0) + 1);
      }),
      { numRuns: 3000 },
    );
    // Every way through is reached: verified, each refusal.
    expect([...answers.keys()].sort()).toEqual(
      [
        'verified',
        'has expired',
        'is not a valid signed token',
        'is not for this audience',
        'is not from a trusted issuer',
        'is not valid yet',
        'is signed with an algorithm this issuer may not use',
        'must have the exp claim',
        'must have the sub claim',
      ].sort(),
    );
  });

  it.each([
    ['alg: none', { alg: 'none', kid: 'rs' }, 'none'],
    [
      'HS256 keyed by an RS256 public key',
      { alg: 'HS256', kid: 'rs' },
      'HS256 keyed by the public key',
    ],
  ] as const)('refuses %s as jose does', async (_, head, how) => {
    const now = Math.floor(NOW / 1000);
    const body = { iss: KEYS_ISSUER, aud: AUDIENCE, sub: 'u', iat: now, exp: now + 60 };
    const token = mint(head, body, how);
    const refused = { refused: 'is signed with an algorithm this issuer may not use' };
    expect(await ours(token)).toEqual(refused);
    expect(await jose(token)).toEqual(refused);
  });

  it('refuses a token signed by a 1024-bit RSA key, as jose does', async () => {
    const now = Math.floor(NOW / 1000);
    const body = { iss: KEYS_ISSUER, aud: AUDIENCE, sub: 'u', iat: now, exp: now + 60 };
    const token = mint({ alg: 'RS256', kid: 'short' }, body, 'by the key the header names');
    const refused = { refused: 'is not a valid signed token' };
    expect(await ours(token)).toEqual(refused);
    expect(await jose(token)).toEqual(refused);
  });
});
