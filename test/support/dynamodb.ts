/**
 * Per-file tables on the run's DynamoDB Local, and a runtime wired to them exactly as a
 * deployed function is (through the same environment variables).
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../bin/local/bootstrap';
import { createLowLevelClient } from '../../bin/local/clients';
import { loadRuntime, type Runtime } from '../../lambda/runtime';
import { createDocumentClient } from '../../lambda/store/client';

export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';
export const TEST_LINK_SECRET = 'test-link-secret-0123456789-0123456789-abcdef';

/**
 * Settings for tests that are not about moderation or rate limits: publish at once, and limits
 * high enough for hundreds of requests from one test address. Tests of those features pass
 * their own `moderation` and `rateLimits`, which replace these.
 */
export const TEST_SETTINGS = {
  moderation: { policy: 'none' },
  rateLimits: {
    commentsPerMinute: 100_000,
    commentsPerHour: 100_000,
    reactionsPerMinute: 100_000,
    reactionsPerHour: 100_000,
  },
} as const;

/** TEST_SETTINGS with some top-level settings replaced, as TALKBACK_SETTINGS JSON. */
export function testSettings(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...TEST_SETTINGS, ...overrides });
}

export function localEndpoint(): string {
  const endpoint = process.env.TALKBACK_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('DynamoDB Local is not running: integration tests need the global setup');
  return endpoint;
}

export interface TestTable {
  tableName: string;
  env: NodeJS.ProcessEnv;
  documentClient: ReturnType<typeof createDocumentClient>;
  /** The runtime a function would build; TALKBACK_SETTINGS in extraEnv is laid over TEST_SETTINGS. */
  runtime(extraEnv?: NodeJS.ProcessEnv, options?: { clock?: () => number }): Runtime;
  /** Every item in the table, read consistently and sorted by PK then SK. */
  scanAll(): Promise<Record<string, unknown>[]>;
  drop(): Promise<void>;
}

export async function createTestTable(prefix: string): Promise<TestTable> {
  const endpoint = localEndpoint();
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  const admin = createLowLevelClient(endpoint);
  await ensureTable(admin, tableName);
  const env: NodeJS.ProcessEnv = {
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: tableName,
    TALKBACK_SECRET: TEST_SECRET,
    TALKBACK_LINK_SECRET: TEST_LINK_SECRET,
  };
  const documentClient = createDocumentClient(env);
  return {
    tableName,
    env,
    documentClient,
    runtime: (extraEnv = {}, options = {}) =>
      loadRuntime(
        {
          ...env,
          ...extraEnv,
          TALKBACK_SETTINGS: testSettings(
            extraEnv.TALKBACK_SETTINGS ? JSON.parse(extraEnv.TALKBACK_SETTINGS) : {},
          ),
        },
        options,
      ),
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const output = await documentClient.send(
          new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        items.push(...(output.Items ?? []));
        start = output.LastEvaluatedKey;
      } while (start);
      const key = (item: Record<string, unknown>) => `${String(item.PK)}\u0000${String(item.SK)}`;
      return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    async drop() {
      documentClient.destroy();
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
      admin.destroy();
    },
  };
}
