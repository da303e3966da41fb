/**
 * The origin-verify value from Secrets Manager (lambda/secrets/origin-verify-from-env.ts): the
 * write functions behind the CDN fetch it by ARN on an instance's first request, beside the
 * hashing key, and keep it; it is never in their configuration. A failed fetch is 503 with
 * Retry-After and is tried again; without an ARN, TALKBACK_ORIGIN_VERIFY (tests) or nothing.
 */
import { GetSecretValueCommand, InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import { httpHandler, type LambdaHandler } from '../../lambda/http/handler';
import { clientAddress } from '../../lambda/http/request';
import { json } from '../../lambda/http/response';
import { loadHandlerDeps } from '../../lambda/runtime';
import { originVerifyFromEnv } from '../../lambda/secrets/origin-verify-from-env';
import { bodyOf, httpEvent } from '../support/events';
import { mockSecretsManager, secretArn } from '../support/secrets-manager';

const VERIFY_ARN = secretArn('EdgeOriginVerify-AbCdEf');
const HASH_ARN = secretArn('ApiHashSecret-GhIjKl');
const VERIFY = 'origin-verify-from-secrets-manager-0123456789abcdef';
const HASH_KEY = 'hashing-key-from-secrets-manager-0123456789abcdef';
const EDGE = '130.176.0.10';
const READER = '198.51.100.23';

const { secrets } = mockSecretsManager();

/** A write-like route that answers the client address it would keep a rate limit for. */
function addressRoute({
  originVerify,
  beforeRequest,
}: ReturnType<typeof originVerifyFromEnv>): LambdaHandler {
  return httpHandler('Address', { beforeRequest }, async (event) =>
    json(200, { client: clientAddress(event, originVerify()) }),
  );
}

/** A request through CloudFront: the edge's address as source, the reader's in the header. */
const throughCdn = (handler: LambdaHandler, verify = VERIFY) =>
  handler(
    httpEvent('POST', '/articles/a/comments', {
      sourceIp: EDGE,
      headers: { 'x-talkback-origin-verify': verify, 'cloudfront-viewer-address': `${READER}:443` },
    }),
    { awsRequestId: 'r-1' },
  );

describe('with TALKBACK_ORIGIN_VERIFY_ARN', () => {
  it('fetches the value by its ARN once and then believes the CDN with it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: VERIFY });
    const handler = addressRoute(originVerifyFromEnv({ TALKBACK_ORIGIN_VERIFY_ARN: VERIFY_ARN }));
    const answers = await Promise.all([throughCdn(handler), throughCdn(handler)]);
    answers.push(await throughCdn(handler));
    for (const answer of answers) expect(bodyOf(answer)).toEqual({ client: READER });
    expect(bodyOf(await throughCdn(handler, 'a-forged-value'))).toEqual({ client: EDGE });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: VERIFY_ARN,
    });
  });

  it('has the composition root wait for the hashing key and the value together', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: VERIFY_ARN })
      .resolves({ SecretString: VERIFY })
      .on(GetSecretValueCommand, { SecretId: HASH_ARN })
      .resolves({ SecretString: HASH_KEY });
    const env = { TALKBACK_ORIGIN_VERIFY_ARN: VERIFY_ARN, TALKBACK_SECRET_ARN: HASH_ARN };
    const { hasher, originVerify, beforeRequest } = loadHandlerDeps({}, env);
    const handler = httpHandler('Both', { beforeRequest }, async (event) =>
      json(200, {
        client: clientAddress(event, originVerify?.()),
        hash: hasher.hash('visitor', 'x'),
      }),
    );
    expect(bodyOf(await throughCdn(handler))).toEqual({
      client: READER,
      hash: createKeyedHasher(HASH_KEY).hash('visitor', 'x'),
    });
    expect(
      secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input.SecretId),
    ).toEqual(expect.arrayContaining([VERIFY_ARN, HASH_ARN]));
  });

  it('answers 503 with Retry-After when the fetch fails, and fetches again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ message: 'try later', $metadata: {} }))
      .resolves({ SecretString: VERIFY });
    const handler = addressRoute(originVerifyFromEnv({ TALKBACK_ORIGIN_VERIFY_ARN: VERIFY_ARN }));
    const failed = await throughCdn(handler);
    expect(failed.statusCode).toBe(503);
    expect(failed.headers?.['retry-after']).toBe('1');
    expect(bodyOf(await throughCdn(handler))).toEqual({ client: READER });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('without TALKBACK_ORIGIN_VERIFY_ARN', () => {
  it('uses TALKBACK_ORIGIN_VERIFY where given, and never calls Secrets Manager', async () => {
    const handler = addressRoute(originVerifyFromEnv({ TALKBACK_ORIGIN_VERIFY: VERIFY }));
    expect(bodyOf(await throughCdn(handler))).toEqual({ client: READER });
    expect(secrets.calls()).toHaveLength(0);
  });

  it('believes no CDN header with neither', async () => {
    const handler = addressRoute(originVerifyFromEnv({}));
    expect(bodyOf(await throughCdn(handler))).toEqual({ client: EDGE });
    expect(secrets.calls()).toHaveLength(0);
  });
});
