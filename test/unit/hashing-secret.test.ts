/**
 * The hashing secret from Secrets Manager (lambda/secrets/): fetched by ARN on an instance's
 * first request and kept, a failed fetch answered 503 with Retry-After and tried again on the
 * next request, and TALKBACK_SECRET where no ARN is configured (local server, tests).
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import { httpHandler, type LambdaHandler } from '../../lambda/http/handler';
import { json } from '../../lambda/http/response';
import { keyedHasherFromEnv } from '../../lambda/secrets/keyed-hasher-from-env';
import { bodyOf, httpEvent } from '../support/events';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:TalkbackHashSecret-AbCdEf';
const SECRET = 'from-secrets-manager-0123456789-0123456789-abcdef';
const ENV_SECRET = 'from-the-environment-0123456789-0123456789-abcdef';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

/** A route that answers a keyed hash, through the real HTTP layer, waiting as it is told. */
function hashingRoute({
  hasher,
  beforeRequest,
}: ReturnType<typeof keyedHasherFromEnv>): LambdaHandler {
  return httpHandler('Hashing', { beforeRequest }, async () =>
    json(200, { hash: hasher.hash('visitor', 'v-1') }),
  );
}

const call = (handler: LambdaHandler) =>
  handler(httpEvent('GET', '/articles/a/reactions'), { awsRequestId: 'r-1' });

describe('with TALKBACK_SECRET_ARN', () => {
  it('fetches the secret by its ARN once, for every request of the instance', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const handler = hashingRoute(keyedHasherFromEnv({ TALKBACK_SECRET_ARN: ARN }));
    const answers = await Promise.all([call(handler), call(handler)]);
    answers.push(await call(handler), await call(handler));
    const expected = createKeyedHasher(SECRET).hash('visitor', 'v-1');
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(bodyOf(answer)).toEqual({ hash: expected });
    }
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: ARN,
    });
  });

  it('prefers the ARN to TALKBACK_SECRET', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const handler = hashingRoute(
      keyedHasherFromEnv({ TALKBACK_SECRET_ARN: ARN, TALKBACK_SECRET: ENV_SECRET }),
    );
    expect(bodyOf(await call(handler))).toEqual({
      hash: createKeyedHasher(SECRET).hash('visitor', 'v-1'),
    });
  });

  it('answers 503 with Retry-After when the fetch fails, and fetches again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: SECRET });
    const handler = hashingRoute(keyedHasherFromEnv({ TALKBACK_SECRET_ARN: ARN }));
    const failed = await call(handler);
    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['retry-after']).toBe('1');
    expect(failed.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const next = await call(handler);
    expect(next.statusCode).toBe(200);
    expect(bodyOf(next)).toEqual({ hash: createKeyedHasher(SECRET).hash('visitor', 'v-1') });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('answers a method the route does not serve at once, without fetching the secret', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const { hasher, beforeRequest } = keyedHasherFromEnv({ TALKBACK_SECRET_ARN: ARN });
    // A function URL behind the CDN passes on any method; GetThread serves GET alone.
    const handler = httpHandler('GetThread', { beforeRequest }, async () =>
      json(200, { hash: hasher.hash('v', 'x') }),
    );
    const wrong = await handler(httpEvent('DELETE', '/articles/a'), { awsRequestId: 'r-1' });
    expect(wrong.statusCode).toBe(405);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('answers 503 for a secret without a string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({});
    const failed = await call(hashingRoute(keyedHasherFromEnv({ TALKBACK_SECRET_ARN: ARN })));
    expect(failed.statusCode).toBe(503);
  });
});

describe('without TALKBACK_SECRET_ARN', () => {
  it('keys hashes with TALKBACK_SECRET and never calls Secrets Manager', async () => {
    const handler = hashingRoute(keyedHasherFromEnv({ TALKBACK_SECRET: ENV_SECRET }));
    expect(bodyOf(await call(handler))).toEqual({
      hash: createKeyedHasher(ENV_SECRET).hash('visitor', 'v-1'),
    });
    expect(secrets.calls()).toHaveLength(0);
  });

  it('gives a function with neither a hasher that refuses to hash, naming both variables', () => {
    const { hasher, beforeRequest } = keyedHasherFromEnv({});
    expect(beforeRequest).toBeUndefined();
    expect(() => hasher.hash('visitor', 'v-1')).toThrow(
      'neither TALKBACK_SECRET_ARN nor TALKBACK_SECRET is set',
    );
    expect(secrets.calls()).toHaveLength(0);
  });
});
