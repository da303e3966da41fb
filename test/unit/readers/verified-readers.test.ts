import { type Reader, ReaderTokenError, readerVerifier } from '../../../lambda/domain/readers';
import { parseSettings } from '../../../lambda/domain/settings';
import { buildSchemas } from '../../../lambda/domain/validation';
import { readerVerifierFrom } from '../../../lambda/readers/reader-verifier-from';
import { VerifiedReaderCache } from '../../../lambda/readers/verified-readers';
import { hs256Token, readerSettings } from '../../support/reader-issuer';
import { FakeClock, NOW } from '../fakes';

const HOUR_MS = 3_600_000;

/** Claims by token, as a site would sign them; counts the signature checks made. */
function countingTokens(clock: FakeClock) {
  const checks: string[] = [];
  const tokens = {
    async verify(token: string): Promise<Record<string, unknown>> {
      checks.push(token);
      if (token.startsWith('bad')) throw new ReaderTokenError('is not a valid signed token');
      const iat = Math.floor(clock.now / 1000);
      return { sub: token, name: `Reader ${token}`, iat, exp: iat + 3600 };
    },
  };
  return { checks, tokens };
}

function verifierWith(cache: VerifiedReaderCache, clock: FakeClock) {
  const settings = parseSettings({});
  const { checks, tokens } = countingTokens(clock);
  const verify = readerVerifier({
    tokens,
    readers: settings.readers,
    schemas: buildSchemas(settings),
    verified: cache,
  });
  return { checks, verify };
}

describe('the memory of verified reader tokens', () => {
  it('checks a token once, and gives its reader again while it lasts', async () => {
    const clock = new FakeClock();
    const { checks, verify } = verifierWith(new VerifiedReaderCache(clock.read), clock);
    const first = await verify('token-a');
    clock.advance(HOUR_MS - 1);
    await expect(verify('token-a')).resolves.toEqual(first);
    expect(checks).toEqual(['token-a']);
  });

  it('checks it again once it has expired', async () => {
    const clock = new FakeClock();
    const { checks, verify } = verifierWith(new VerifiedReaderCache(clock.read), clock);
    await verify('token-a');
    clock.advance(HOUR_MS);
    await verify('token-a');
    expect(checks).toEqual(['token-a', 'token-a']);
  });

  it('keeps no refused token: each try is checked', async () => {
    const clock = new FakeClock();
    const { checks, verify } = verifierWith(new VerifiedReaderCache(clock.read), clock);
    for (let i = 0; i < 2; i++) {
      await expect(verify('bad-token')).rejects.toBeInstanceOf(ReaderTokenError);
    }
    expect(checks).toEqual(['bad-token', 'bad-token']);
  });

  it('holds at most its bound, letting the least recently used go first', async () => {
    const clock = new FakeClock();
    const cache = new VerifiedReaderCache(clock.read, 3);
    const { checks, verify } = verifierWith(cache, clock);
    for (const token of ['a', 'b', 'c']) await verify(token);
    await verify('a');
    await verify('d');
    expect(cache.size).toBe(3);
    checks.length = 0;
    for (const token of ['a', 'c', 'd', 'b']) await verify(token);
    // b was the least recently used when d came.
    expect(checks).toEqual(['b']);
  });

  it('is what the deployment’s verifier remembers with', async () => {
    const clock = new FakeClock();
    const settings = parseSettings({ readers: readerSettings('https://keys.example/jwks') });
    const remember = jest.spyOn(VerifiedReaderCache.prototype, 'remember');
    try {
      const verify = readerVerifierFrom({
        settings,
        schemas: buildSchemas(settings),
        clock: clock.read,
      }) as (token: string) => Promise<Reader>;
      const token = await hs256Token(NOW);
      await verify(token);
      await verify(token);
      expect(remember).toHaveBeenCalledTimes(2);
    } finally {
      remember.mockRestore();
    }
  });
});
