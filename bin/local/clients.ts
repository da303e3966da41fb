import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A low-level client for DynamoDB Local, which accepts any credentials. */
export function createLowLevelClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}
