/**
 * The root secrets from Secrets Manager (lambda/secrets/keys-from-env.ts): each fetched by its
 * ARN on an instance's first request and kept, only where the function has that ARN, a failed
 * fetch answered 503 with Retry-After and tried again on the next request; the secrets
 * themselves where no ARN is configured (local server, tests). The legacy link secret is fetched
 * only while its transition lasts.
 */
import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { createKeyedHasher, readSignedJson, signJson } from '../../lambda/domain/keyed-hash';
import { createKeyring } from '../../lambda/domain/keyring';
import { httpHandler, type LambdaHandler } from '../../lambda/http/handler';
import { json } from '../../lambda/http/response';
import { keysFromEnv } from '../../lambda/secrets/keys-from-env';
import { bodyOf, httpEvent } from '../support/events';
import { mockSecretsManager, secretArn } from '../support/secrets-manager';

const ARN = secretArn('TalkbackHashSecret-AbCdEf');
const LINK_ARN = secretArn('TalkbackLinkSecret-GhIjKl');
const SECRET = 'from-secrets-manager-0123456789-0123456789-abcdef';
const LINK_SECRET = 'link-from-secrets-manager-0123456789-0123456789';
const ENV_SECRET = 'from-the-environment-0123456789-0123456789-abcdef';
const NOW = Date.parse('2027-01-10T12:00:00Z');
const clock = () => NOW;

const { secrets, answer, fetched } = mockSecretsManager();

/** A route that answers a purpose's keyed hash, through the real HTTP layer, waiting as told. */
function hashingRoute(
  { hasher, beforeRequest }: ReturnType<typeof keysFromEnv>,
  purpose = 'visitor',
): LambdaHandler {
  return httpHandler('Hashing', { beforeRequest }, async () =>
    json(200, { hash: hasher.hash(purpose, 'v-1') }),
  );
}

const call = (handler: LambdaHandler) =>
  handler(httpEvent('GET', '/articles/a/reactions'), { awsRequestId: 'r-1' });

/** What the keyring would hash with these secrets, as the functions' own tests see it. */
const expected = (purpose: string, hashing: string, links: string) =>
  createKeyring({ hashing: () => hashing, links: () => links }, clock).hash(purpose, 'v-1');

describe('with TALKBACK_SECRET_ARN', () => {
  it('fetches the hashing secret by its ARN once, for every request of the instance', async () => {
    answer(ARN, SECRET);
    const handler = hashingRoute(keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock));
    const answers = await Promise.all([call(handler), call(handler)]);
    answers.push(await call(handler), await call(handler));
    for (const response of answers) {
      expect(response.statusCode).toBe(200);
      expect(bodyOf(response)).toEqual({ hash: createKeyedHasher(SECRET).hash('visitor', 'v-1') });
    }
    expect(fetched()).toEqual([{ SecretId: ARN }]);
  });

  it('prefers the ARN to TALKBACK_SECRET', async () => {
    answer(ARN, SECRET);
    const handler = hashingRoute(
      keysFromEnv({ TALKBACK_SECRET_ARN: ARN, TALKBACK_SECRET: ENV_SECRET }, clock),
    );
    expect(bodyOf(await call(handler))).toEqual({
      hash: createKeyedHasher(SECRET).hash('visitor', 'v-1'),
    });
  });

  it('derives the cursors key from it', async () => {
    answer(ARN, SECRET);
    const handler = hashingRoute(keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock), 'cursor');
    expect(bodyOf(await call(handler))).toEqual({ hash: expected('cursor', SECRET, 'unused') });
  });

  it('answers 503 with Retry-After when the fetch fails, and fetches again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: SECRET });
    const handler = hashingRoute(keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock));
    const failed = await call(handler);
    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['retry-after']).toBe('1');
    expect(failed.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const next = await call(handler);
    expect(next.statusCode).toBe(200);
    expect(bodyOf(next)).toEqual({ hash: createKeyedHasher(SECRET).hash('visitor', 'v-1') });
    expect(fetched()).toEqual([{ SecretId: ARN }, { SecretId: ARN }]);
  });

  it('answers a method the route does not serve at once, without fetching the secret', async () => {
    answer(ARN, SECRET);
    const { hasher, beforeRequest } = keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock);
    // A function URL behind the CDN passes on any method; GetThread serves GET alone.
    const handler = httpHandler('GetThread', { beforeRequest }, async () =>
      json(200, { hash: hasher.hash('visitor', 'x') }),
    );
    const wrong = await handler(httpEvent('DELETE', '/articles/a'), { awsRequestId: 'r-1' });
    expect(wrong.statusCode).toBe(405);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('answers 503 for a secret without a string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({});
    const failed = await call(hashingRoute(keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock)));
    expect(failed.statusCode).toBe(503);
  });

  it('never fetches the link secret, and refuses to sign a link, naming its variables', async () => {
    answer(ARN, SECRET);
    const handler = hashingRoute(
      keysFromEnv({ TALKBACK_SECRET_ARN: ARN }, clock),
      'subscription-unsubscribe',
    );
    expect((await call(handler)).statusCode).toBe(500);
    expect(fetched()).toEqual([{ SecretId: ARN }]);
    const { hasher } = keysFromEnv({ TALKBACK_SECRET: ENV_SECRET }, clock);
    expect(() => hasher.hash('moderation-link', 'v')).toThrow(
      'neither TALKBACK_LINK_SECRET_ARN nor TALKBACK_LINK_SECRET is set',
    );
  });
});

describe('with TALKBACK_LINK_SECRET_ARN', () => {
  it('fetches the link secret by its ARN once, and signs links with keys derived from it', async () => {
    answer(LINK_ARN, LINK_SECRET);
    const keys = keysFromEnv({ TALKBACK_LINK_SECRET_ARN: LINK_ARN }, clock);
    const handler = hashingRoute(keys, 'subscription-unsubscribe');
    await call(handler);
    const response = await call(handler);
    expect(bodyOf(response)).toEqual({
      hash: expected('subscription-unsubscribe', 'unused', LINK_SECRET),
    });
    expect(fetched()).toEqual([{ SecretId: LINK_ARN }]);
  });

  it('never fetches the hashing secret, and refuses a stored hash, naming its variables', async () => {
    answer(LINK_ARN, LINK_SECRET);
    const handler = hashingRoute(keysFromEnv({ TALKBACK_LINK_SECRET_ARN: LINK_ARN }, clock));
    expect((await call(handler)).statusCode).toBe(500);
    expect(fetched()).toEqual([{ SecretId: LINK_ARN }]);
    const { hasher } = keysFromEnv({ TALKBACK_LINK_SECRET: LINK_SECRET }, clock);
    expect(() => hasher.hash('email', 'v')).toThrow(
      'neither TALKBACK_SECRET_ARN nor TALKBACK_SECRET is set',
    );
  });

  it('fetches both, together, for a function that hashes and signs links (the mail sender)', async () => {
    answer(ARN, SECRET);
    answer(LINK_ARN, LINK_SECRET);
    const keys = keysFromEnv(
      { TALKBACK_SECRET_ARN: ARN, TALKBACK_LINK_SECRET_ARN: LINK_ARN },
      clock,
    );
    await keys.beforeRequest?.();
    expect(keys.hasher.hash('mail', 'v-1')).toBe(createKeyedHasher(SECRET).hash('mail', 'v-1'));
    expect(keys.hasher.hash('moderation-link', 'v-1')).toBe(
      expected('moderation-link', SECRET, LINK_SECRET),
    );
    expect(fetched()).toEqual(expect.arrayContaining([{ SecretId: ARN }, { SecretId: LINK_ARN }]));
    expect(fetched()).toHaveLength(2);
  });
});

describe('during a legacy-links transition', () => {
  const until = new Date(NOW + 86_400_000).toISOString();
  const env = {
    TALKBACK_LINK_SECRET_ARN: LINK_ARN,
    TALKBACK_LEGACY_LINK_SECRET_ARN: ARN,
    TALKBACK_LEGACY_LINKS_UNTIL: until,
  };
  const oldUnsubscribe = signJson(
    { h: 'email-hash' },
    'subscription-unsubscribe',
    createKeyedHasher(SECRET),
  );

  it('fetches the old secret too, and accepts a link signed with it', async () => {
    answer(ARN, SECRET);
    answer(LINK_ARN, LINK_SECRET);
    const keys = keysFromEnv(env, clock);
    await keys.beforeRequest?.();
    expect(readSignedJson(oldUnsubscribe, 'subscription-unsubscribe', keys.hasher)).toEqual({
      h: 'email-hash',
    });
    expect(fetched()).toEqual(expect.arrayContaining([{ SecretId: ARN }, { SecretId: LINK_ARN }]));
    expect(fetched()).toHaveLength(2);
  });

  it('past its end, neither fetches the old secret (its grant has expired) nor accepts its links', async () => {
    answer(LINK_ARN, LINK_SECRET);
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .rejects(new Error('AccessDeniedException: the grant has expired'));
    const keys = keysFromEnv(env, () => Date.parse(until));
    await keys.beforeRequest?.();
    expect(readSignedJson(oldUnsubscribe, 'subscription-unsubscribe', keys.hasher)).toBeUndefined();
    expect(fetched()).toEqual([{ SecretId: LINK_ARN }]);
  });

  it.each([
    ['missing', {}, 'environment variable TALKBACK_LEGACY_LINKS_UNTIL is not set'],
    [
      'not a time',
      { TALKBACK_LEGACY_LINKS_UNTIL: 'soon' },
      'TALKBACK_LEGACY_LINKS_UNTIL is not a time: soon',
    ],
  ])('fails the cold start when its end is %s', (_case, end, message) => {
    expect(() => keysFromEnv({ TALKBACK_LEGACY_LINK_SECRET_ARN: ARN, ...end }, clock)).toThrow(
      message,
    );
  });
});

describe('without ARNs', () => {
  it('keys hashes with TALKBACK_SECRET and links with TALKBACK_LINK_SECRET, and never calls Secrets Manager', async () => {
    const keys = keysFromEnv(
      { TALKBACK_SECRET: ENV_SECRET, TALKBACK_LINK_SECRET: LINK_SECRET },
      clock,
    );
    expect(keys.beforeRequest).toBeUndefined();
    expect(bodyOf(await call(hashingRoute(keys)))).toEqual({
      hash: createKeyedHasher(ENV_SECRET).hash('visitor', 'v-1'),
    });
    expect(bodyOf(await call(hashingRoute(keys, 'subscription-confirm')))).toEqual({
      hash: expected('subscription-confirm', ENV_SECRET, LINK_SECRET),
    });
    expect(secrets.calls()).toHaveLength(0);
  });

  it('gives a function with neither a keyring that refuses to hash, naming both variables', () => {
    const { hasher, beforeRequest } = keysFromEnv({}, clock);
    expect(beforeRequest).toBeUndefined();
    expect(() => hasher.hash('visitor', 'v-1')).toThrow(
      'neither TALKBACK_SECRET_ARN nor TALKBACK_SECRET is set',
    );
    expect(secrets.calls()).toHaveLength(0);
  });
});
