/**
 * The origin-verify value a write function compares CloudFront's header with, from its
 * environment. In AWS the write functions behind the CDN get TALKBACK_ORIGIN_VERIFY_ARN (and the
 * right to read that one secret) and fetch the value on the instance's first request, as the
 * hashing key is fetched: the value is in no function's configuration. Tests may pass
 * TALKBACK_ORIGIN_VERIFY; with neither, no request is believed to come through the CDN.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { BeforeRequest } from '../before-request';
import { createDeferredSecret } from '../domain/keyed-hash';
import { ORIGIN_VERIFY_ARN_ENV, ORIGIN_VERIFY_ENV } from '../env';
import { secretsManagerSource } from './secrets-manager';

/** The value, or undefined where no CDN is configured. */
export type OriginVerify = () => string | undefined;

/** With an ARN, `beforeRequest` is the value's fetch, which every request waits for. */
export function originVerifyFromEnv(
  env: NodeJS.ProcessEnv,
  options: { secretsClient?: SecretsManagerClient } = {},
): { originVerify: OriginVerify; beforeRequest?: BeforeRequest } {
  const arn = env[ORIGIN_VERIFY_ARN_ENV];
  if (arn) {
    const secret = createDeferredSecret(
      secretsManagerSource(arn, options.secretsClient),
      'the origin-verify value',
    );
    return { originVerify: () => secret.value(), beforeRequest: () => secret.ready() };
  }
  const value = env[ORIGIN_VERIFY_ENV] || undefined;
  return { originVerify: () => value };
}
