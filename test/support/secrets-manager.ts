/** Secrets Manager for unit tests: the tests' secret ARNs, and the client mocked for a test file. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

/** A secret's ARN in the tests' account and region, by its name (with suffix). */
export const secretArn = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}`;

/**
 * Secrets Manager's client mocked for a test file and reset before each test; `answer` gives a
 * secret's value by its ARN, `fetched` the inputs of the GetSecretValue calls made, in order.
 */
export function mockSecretsManager() {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());
  return {
    secrets,
    answer: (secretId: string, value: string) =>
      secrets.on(GetSecretValueCommand, { SecretId: secretId }).resolves({ SecretString: value }),
    fetched: () => secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input),
  };
}
