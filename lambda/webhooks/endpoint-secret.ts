/**
 * The shared secret of a site's endpoint (the moderation hook, a webhook) or the Slack address:
 * given directly (locally), or fetched from Secrets Manager by its ARN on first use and kept for
 * the instance's life (on AWS, where only the functions that call the endpoint may read it). A
 * failed fetch is not kept: the next use fetches again.
 */
import { createDeferredSecret, type SecretSource } from '../domain/keyed-hash';
import { secretsManagerSource } from '../secrets/secrets-manager';

export type EndpointSecret = () => Promise<string>;

export function endpointSecret(
  entry: { secret?: string; secretArn?: string },
  sourceOf: (arn: string) => SecretSource = secretsManagerSource,
): EndpointSecret {
  const { secret, secretArn } = entry;
  if (secret !== undefined) return async () => secret;
  if (secretArn === undefined) throw new Error('an endpoint needs a secret or a secretArn');
  const deferred = createDeferredSecret(sourceOf(secretArn), "an endpoint's secret");
  return async () => {
    await deferred.ready();
    return deferred.value();
  };
}
