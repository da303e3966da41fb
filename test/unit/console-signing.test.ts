/**
 * The console's signing and sign-in, outside the browser: WebCrypto SHA-256/HMAC against Node's,
 * a SigV4 request signed in the page's way against the CLI's, Cognito's JSON API calls in order,
 * and the session kept in sessionStorage only until the credentials expire.
 */
import { createHash, createHmac } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { prepare } from '../../web/console/api';
import { cognitoClient } from '../../web/console/cognito';
import { clearSession, loadSession, saveSession } from '../../web/console/session';
import { WebCryptoSha256 } from '../../web/console/sha256';

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEKEY',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
  expiresAt: Date.UTC(2026, 11, 2, 2, 0, 0),
};
const NOW = Date.UTC(2026, 11, 2, 1, 0, 0);

describe('WebCryptoSha256', () => {
  it('hashes as Node does, across several updates', async () => {
    const hash = new WebCryptoSha256();
    hash.update(new TextEncoder().encode('hello '));
    hash.update(new TextEncoder().encode('world'));
    expect(Buffer.from(await hash.digest()).toString('hex')).toBe(
      createHash('sha256').update('hello world').digest('hex'),
    );
  });

  it('is an HMAC when given a secret', async () => {
    const hmac = new WebCryptoSha256('key');
    hmac.update(new TextEncoder().encode('message'));
    expect(Buffer.from(await hmac.digest()).toString('hex')).toBe(
      createHmac('sha256', 'key').update('message').digest('hex'),
    );
  });
});

describe('prepare (the console’s requests)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  it('signs with SigV4 exactly as the Node signer does', async () => {
    const apiUrl = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
    const { url, init } = await prepare(
      apiUrl,
      { kind: 'sigv4', region: 'eu-west-1', credentials: CREDENTIALS },
      'PATCH',
      '/admin/comments/01JDQ7X6ZJ6Y8R3K2V9N4T5B1C?x=1',
      { status: 'published' },
    );
    expect(url).toBe(`${apiUrl}admin/comments/01JDQ7X6ZJ6Y8R3K2V9N4T5B1C?x=1`);
    const reference = await new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      sha256: Hash.bind(null, 'sha256'),
    }).sign({
      method: 'PATCH',
      protocol: 'https:',
      hostname: 'abc123.execute-api.eu-west-1.amazonaws.com',
      path: '/admin/comments/01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
      query: { x: '1' },
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      },
      body: JSON.stringify({ status: 'published' }),
    });
    expect(init.headers.authorization).toBe(reference.headers.authorization);
    expect(init.headers.authorization).toContain(
      'Credential=ASIAEXAMPLEKEY/20261202/eu-west-1/execute-api/aws4_request',
    );
    expect(init.headers['x-amz-security-token']).toBe('session-token-example');
    expect(init.headers.host).toBeUndefined();
    expect(init.credentials).toBe('omit');
  });

  it('sends through the CDN, to its own origin, the signature API Gateway checks', async () => {
    const apiHost = 'abc123.execute-api.eu-west-1.amazonaws.com';
    const auth = { kind: 'sigv4', region: 'eu-west-1', credentials: CREDENTIALS } as const;
    const direct = await prepare(`https://${apiHost}/`, auth, 'GET', '/admin/comments?limit=50');
    const viaCdn = await prepare(
      { apiUrl: 'https://comments.news.example/', signedHost: apiHost },
      auth,
      'GET',
      '/admin/comments?limit=50',
    );
    expect(viaCdn.url).toBe('https://comments.news.example/admin/comments?limit=50');
    // The CDN sends the API its own host: the same request, to API Gateway, as signed directly.
    expect(viaCdn.init.headers).toEqual(direct.init.headers);
    expect(viaCdn.init.headers.authorization).toContain('SignedHeaders=accept;host;');
  });

  it('carries the local admin token as a bearer token, and no signature', async () => {
    const { init } = await prepare(
      'http://127.0.0.1:3000/',
      { kind: 'token', token: 'local-token' },
      'GET',
      '/admin/counts',
    );
    expect(init.headers).toEqual({
      accept: 'application/json',
      authorization: 'Bearer local-token',
    });
  });
});

describe('cognitoClient', () => {
  const config = {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool123',
    clientId: 'client-id',
    identityPoolId: 'eu-west-1:0000-pool',
  };

  it('signs in through a new password and TOTP set-up, then swaps the ID token for credentials', async () => {
    const answers: Record<string, unknown>[] = [
      { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's1' },
      { ChallengeName: 'MFA_SETUP', Session: 's2' },
      { SecretCode: 'TOTPSECRET', Session: 's3' },
      { Status: 'SUCCESS', Session: 's4' },
      { AuthenticationResult: { IdToken: 'id-token' } },
      { IdentityId: 'eu-west-1:identity' },
      {
        Credentials: {
          AccessKeyId: 'AK',
          SecretKey: 'SK',
          SessionToken: 'ST',
          Expiration: 1_800_000_000,
        },
      },
    ];
    const sent: { url: string; target: string; body: Record<string, unknown> }[] = [];
    const fetcher = async (url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      sent.push({
        url,
        target: headers['x-amz-target'] ?? '',
        body: JSON.parse(String(init.body)),
      });
      return new Response(JSON.stringify(answers.shift()), { status: 200 });
    };
    const cognito = cognitoClient(config, fetcher);
    const first = await cognito.signIn('ed@news.example', 'Temporary1!');
    expect(first).toEqual({ kind: 'new-password', session: 's1', username: 'ed@news.example' });
    const second = await cognito.newPassword(
      { session: 's1', username: 'ed@news.example' },
      'N3w!pass',
    );
    expect(second).toEqual({
      kind: 'mfa-setup',
      session: 's3',
      username: 'ed@news.example',
      secret: 'TOTPSECRET',
    });
    const done = await cognito.mfaSetup({ session: 's3', username: 'ed@news.example' }, '123456');
    expect(done).toEqual({
      kind: 'signed-in',
      credentials: {
        accessKeyId: 'AK',
        secretAccessKey: 'SK',
        sessionToken: 'ST',
        expiresAt: 1_800_000_000_000,
      },
    });
    expect(sent.map((request) => request.target)).toEqual([
      'AWSCognitoIdentityProviderService.InitiateAuth',
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      'AWSCognitoIdentityProviderService.AssociateSoftwareToken',
      'AWSCognitoIdentityProviderService.VerifySoftwareToken',
      'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
      'AWSCognitoIdentityService.GetId',
      'AWSCognitoIdentityService.GetCredentialsForIdentity',
    ]);
    expect(sent[0]).toEqual({
      url: 'https://cognito-idp.eu-west-1.amazonaws.com/',
      target: 'AWSCognitoIdentityProviderService.InitiateAuth',
      body: {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'client-id',
        AuthParameters: { USERNAME: 'ed@news.example', PASSWORD: 'Temporary1!' },
      },
    });
    expect(sent[5]?.body).toEqual({
      IdentityPoolId: 'eu-west-1:0000-pool',
      Logins: { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool123': 'id-token' },
    });
  });

  it('asks for the TOTP code of an enrolled moderator, and reports Cognito’s refusal as written', async () => {
    const cognito = cognitoClient(
      config,
      async () =>
        new Response(JSON.stringify({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's' })),
    );
    expect((await cognito.signIn('ed@news.example', 'pw')).kind).toBe('mfa-code');
    const refusing = cognitoClient(
      config,
      async () =>
        new Response(JSON.stringify({ message: 'Incorrect username or password.' }), {
          status: 400,
        }),
    );
    await expect(refusing.signIn('ed@news.example', 'bad')).rejects.toThrow(
      'Incorrect username or password.',
    );
  });
});

describe('the console session', () => {
  class MemoryStorage {
    readonly items = new Map<string, string>();
    getItem = (key: string) => this.items.get(key) ?? null;
    setItem = (key: string, value: string) => void this.items.set(key, value);
    removeItem = (key: string) => void this.items.delete(key);
  }
  const storage = () => new MemoryStorage() as unknown as Storage & MemoryStorage;

  it('keeps signed credentials until they expire, then forgets them', () => {
    const store = storage();
    saveSession(store, { kind: 'sigv4', region: 'eu-west-1', credentials: CREDENTIALS });
    expect(loadSession(store, CREDENTIALS.expiresAt - 1)).toMatchObject({ kind: 'sigv4' });
    expect(loadSession(store, CREDENTIALS.expiresAt)).toBeUndefined();
    expect(store.items.size).toBe(0);
  });

  it('forgets everything on sign-out', () => {
    const store = storage();
    saveSession(store, { kind: 'token', token: 't' });
    clearSession(store);
    expect(loadSession(store)).toBeUndefined();
  });
});
