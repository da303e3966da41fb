/** A secret from AWS Secrets Manager: the adapter of the domain's SecretSource port. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../domain/keyed-hash';

let sharedClient: SecretsManagerClient | undefined;

function sharedInstanceClient(): SecretsManagerClient {
  sharedClient ??= new SecretsManagerClient({});
  return sharedClient;
}

/**
 * Reads the secret's current string value on every `read()`; the caller keeps what it got. Every
 * source not given a client shares one per instance: a client costs about as much of the cold
 * start as the DynamoDB one, and a function may read three secrets (hashing, links, origin).
 */
export function secretsManagerSource(
  secretId: string,
  client: SecretsManagerClient = sharedInstanceClient(),
): SecretSource {
  return {
    async read() {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (!output.SecretString) throw new Error('the secret has no string value');
      return output.SecretString;
    },
  };
}
