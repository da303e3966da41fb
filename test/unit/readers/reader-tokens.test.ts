import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { SecretUnavailableError } from '../../../lambda/domain/errors';
import {
  type Reader,
  ReaderKeysUnavailableError,
  ReaderTokenError,
  readerVerifier,
} from '../../../lambda/domain/readers';
import { parseSettings } from '../../../lambda/domain/settings';
import { buildSchemas } from '../../../lambda/domain/validation';
import { jwtReaderTokens } from '../../../lambda/readers/jwt-tokens';
import {
  AUDIENCE,
  hs256Token,
  jwksSite,
  KEYS_ISSUER,
  keyToken,
  readerSettings,
  SHARED_ISSUER,
  SHARED_SECRET,
  signingKey,
  unsignedToken,
} from '../../support/reader-issuer';
import { secretArn } from '../../support/secrets-manager';
import { FakeClock, NOW } from '../fakes';

const READER_SECRET_ARN = secretArn('reader-AbCdEf');
const site = jwksSite();
const { server } = site;
let clock: FakeClock;
let verify: (token: string) => Promise<Reader>;

function verifierFor(readers: Record<string, unknown>, options = {}) {
  const settings = parseSettings({ readers });
  return readerVerifier({
    tokens: jwtReaderTokens(settings.readers, { clock: clock.read, ...options }),
    readers: settings.readers,
    schemas: buildSchemas(settings),
  });
}

beforeEach(() => {
  clock = new FakeClock();
  // A new verifier per test: its JWKS cache starts empty.
  verify = verifierFor(readerSettings(site.jwksUrl));
});

/** The reason a token was refused with, or a failure if it was taken. */
async function refusal(token: string | Promise<string>): Promise<string> {
  const error = await verify(await token).then(
    () => new Error('the token was taken'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ReaderTokenError)) throw error;
  return error.reason;
}

describe('a reader token with a shared secret (HS256)', () => {
  it('gives the reader its sub, name, email and only the allow-listed badges', async () => {
    const token = await hs256Token(NOW, {
      claims: { sub: 'user-7', badges: ['subscriber', 'admin', 'subscriber'] },
    });
    await expect(verify(token)).resolves.toEqual({
      sub: 'user-7',
      name: 'Ada Reader',
      email: 'ada@reader.example',
      badges: ['subscriber'],
    });
  });

  it('takes a token without an email or badges', async () => {
    const token = await hs256Token(NOW, { claims: { email: undefined } });
    await expect(verify(token)).resolves.toMatchObject({ email: null, badges: [] });
  });

  it('refuses a token signed with another secret', async () => {
    const token = hs256Token(NOW, {}, 'another-secret-of-another-site-0123456789');
    expect(await refusal(token)).toBe('is not a valid signed token');
  });

  it('reads a secret kept in Secrets Manager once, and asks again after a failed read', async () => {
    const reads: string[] = [];
    let fail = true;
    const secretVerify = verifierFor(
      { issuers: [{ issuer: SHARED_ISSUER, audience: AUDIENCE, secretArn: READER_SECRET_ARN }] },
      {
        secretSource: (arn: string) => ({
          async read() {
            reads.push(arn);
            if (fail) throw new Error('throttled');
            return SHARED_SECRET;
          },
        }),
      },
    );
    const token = await hs256Token(NOW);
    await expect(secretVerify(token)).rejects.toBeInstanceOf(SecretUnavailableError);
    fail = false;
    await expect(secretVerify(token)).resolves.toMatchObject({ sub: 'user-42' });
    await expect(secretVerify(token)).resolves.toMatchObject({ sub: 'user-42' });
    expect(reads).toEqual([READER_SECRET_ARN, READER_SECRET_ARN]);
  });
});

describe('a reader token with the issuer’s JWKS', () => {
  it.each(['RS256', 'ES256', 'EdDSA'] as const)('verifies %s', async (alg) => {
    const key = await signingKey(alg);
    server.keys = [key.publicJwk];
    await expect(verify(await keyToken(NOW, key))).resolves.toMatchObject({ sub: 'user-42' });
  });

  it('fetches the key set once for many tokens', async () => {
    for (const sub of ['a', 'b', 'c']) {
      await verify(await keyToken(NOW, site.rsa, { claims: { sub } }));
    }
    expect(server.requests).toBe(1);
  });

  it('looks an unknown key id up once, then finds a rotated key', async () => {
    await verify(await keyToken(NOW, site.rsa));
    const rotated = await signingKey('ES256', 'rotated');
    server.keys = [site.rsa.publicJwk, rotated.publicJwk];
    // jose's cooldown keeps a fresh set from being fetched again at once: let it pass.
    jest.useFakeTimers({ now: Date.now() + 31_000, doNotFake: ['setTimeout', 'setImmediate'] });
    try {
      await expect(verify(await keyToken(NOW, rotated))).resolves.toMatchObject({});
      expect(server.requests).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a key id it does not know without fetching the set again and again', async () => {
    const stranger = await signingKey('RS256', 'stranger');
    for (let i = 0; i < 3; i++) {
      expect(await refusal(keyToken(NOW, stranger))).toBe('is not a valid signed token');
    }
    expect(server.requests).toBe(1);
  });

  it.each([
    ['answers an error', 'down'],
    ['answers with something that is not a key set', 'garbage'],
    ['does not answer in time', 'hang'],
  ] as const)('is a busy service when the JWKS %s, and recovers', async (_, mode) => {
    server.mode = mode;
    const token = await keyToken(NOW, site.rsa);
    await expect(verify(token)).rejects.toBeInstanceOf(ReaderKeysUnavailableError);
    server.mode = 'up';
    await expect(verify(token)).resolves.toMatchObject({ sub: 'user-42' });
  });
});

describe('a token that is refused', () => {
  it('alg: none', async () => {
    const now = Math.floor(NOW / 1000);
    const token = unsignedToken({
      iss: SHARED_ISSUER,
      aud: AUDIENCE,
      sub: 'user-42',
      name: 'Mallory',
      iat: now,
      exp: now + 60,
    });
    expect(await refusal(token)).toBe('is signed with an algorithm this issuer may not use');
  });

  it('an RS256 public key used as an HS256 secret (algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const now = Math.floor(NOW / 1000);
    const token = await new SignJWT({ name: 'Mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: site.rsa.kid })
      .setIssuer(KEYS_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('user-42')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(pem));
    expect(await refusal(token)).toBe('is signed with an algorithm this issuer may not use');
  });

  it('an RS256 token for an issuer that signs with a shared secret', async () => {
    expect(await refusal(keyToken(NOW, site.rsa, { issuer: SHARED_ISSUER }))).toBe(
      'is signed with an algorithm this issuer may not use',
    );
  });

  it.each([
    ['an unknown issuer', { issuer: 'https://elsewhere.example' }, 'is not from a trusted issuer'],
    ['another audience', { audience: 'someone-else' }, 'is not for this audience'],
    ['an expired token', { iat: NOW / 1000 - 7200 }, 'has expired'],
    ['a token issued in the future', { iat: NOW / 1000 + 600 }, 'is not valid yet'],
    [
      'a token whose exp is more than 24 hours after its iat',
      { lifetime: 24 * 3600 + 1 },
      'exp may be at most 24 hours after iat',
    ],
    ['a token with no name', { claims: { name: undefined } }, 'name is required'],
    [
      'a sub over 128 characters',
      { claims: { sub: 'x'.repeat(129) } },
      'sub must be at most 128 characters',
    ],
    [
      'an invalid email',
      { claims: { email: 'not-an-email' } },
      'email must be a valid email address',
    ],
    [
      'badges that are not a list',
      { claims: { badges: 'subscriber' } },
      'badges must be a list of names',
    ],
  ])('%s', async (_, mint, reason) => {
    expect(await refusal(hs256Token(NOW, mint))).toBe(reason);
  });

  it('a token that is not yet valid (nbf)', async () => {
    const token = hs256Token(NOW, { claims: { nbf: Math.floor(NOW / 1000) + 600 } });
    expect(await refusal(token)).toBe('is not valid yet');
  });

  it('a token that is no JWT at all', async () => {
    expect(await refusal('not.a.token')).toBe('is not a valid signed token');
  });
});
