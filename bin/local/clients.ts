import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The tests' shared in-memory DynamoDB Local takes any credentials; these are the defaults. */
export const LOCAL_CREDENTIALS: LocalCredentials = {
  accessKeyId: 'local',
  secretAccessKey: 'local',
};

/**
 * A low-level client for DynamoDB Local. It checks no signature, but keeps one database per
 * access key id and region (unless started with -sharedDb): the region is always `local`.
 */
export function createLowLevelClient(
  endpoint: string,
  credentials: LocalCredentials = LOCAL_CREDENTIALS,
): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials, maxAttempts: 1 });
}
