/** A secret from AWS Secrets Manager: the adapter of the domain's SecretSource port. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../domain/keyed-hash';

/** Reads the secret's current string value on every `read()`; the caller keeps what it got. */
export function secretsManagerSource(
  secretId: string,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): SecretSource {
  return {
    async read() {
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (!output.SecretString) throw new Error('the secret has no string value');
      return output.SecretString;
    },
  };
}
