/**
 * Starts one DynamoDB Local for the whole test run (each start costs seconds and a JVM), and
 * publishes its endpoint to the test workers through the environment. Each test file then
 * makes its own table, so files never see each other's data.
 */
import { type DynamoDbLocal, startDynamoDbLocal } from '../../bin/local/dynamodb-local';

export const ENDPOINT_ENV = 'TALKBACK_TEST_DYNAMODB_ENDPOINT';

declare global {
  var talkbackDynamoDbLocal: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[ENDPOINT_ENV]) return;
  const local = await startDynamoDbLocal();
  globalThis.talkbackDynamoDbLocal = local;
  process.env[ENDPOINT_ENV] = local.endpoint;
}
