/**
 * Creates the Talkback table in DynamoDB Local from the same definition the CDK construct
 * uses, if it does not exist yet.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type KeyAttribute,
  TABLE_DEFINITION,
  type TableDefinition,
} from '../../lambda/store/table-definition';

export function createTableInput(
  tableName: string,
  definition: TableDefinition = TABLE_DEFINITION,
): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const keysOf = (partition: KeyAttribute, sort: KeyAttribute | undefined) => {
    attributes.set(partition.name, partition.type);
    const schema = [{ AttributeName: partition.name, KeyType: 'HASH' as const }];
    if (sort === undefined) return schema;
    attributes.set(sort.name, sort.type);
    return [...schema, { AttributeName: sort.name, KeyType: 'RANGE' as const }];
  };
  const KeySchema = keysOf(definition.partitionKey, definition.sortKey);
  const GlobalSecondaryIndexes = definition.globalIndexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keysOf(index.partitionKey, index.sortKey),
    Projection:
      typeof index.projection === 'string'
        ? { ProjectionType: index.projection }
        : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: index.projection.include },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    ...(GlobalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes } : {}),
    StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
  };
}

/**
 * The ARN of the table's stream, turning the stream on first for a table made before it had
 * one (an older .talkback/ folder).
 */
export async function tableStreamArn(client: DynamoDBClient, tableName: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled && Table.LatestStreamArn)
    return Table.LatestStreamArn;
  const updated = await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DEFINITION.stream },
    }),
  );
  const arn = updated.TableDescription?.LatestStreamArn;
  if (!arn) throw new Error(`table ${tableName} has no stream`);
  return arn;
}

/**
 * Adds the indexes the definition has and the table lacks (a table made by an older version, in
 * an older .talkback/ folder), one at a time as DynamoDB requires.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  tableName: string,
  existing: readonly string[],
  definition: TableDefinition,
): Promise<void> {
  const full = createTableInput(tableName, definition);
  for (const index of full.GlobalSecondaryIndexes ?? []) {
    if (index.IndexName === undefined || existing.includes(index.IndexName)) continue;
    const { KeySchema, Projection } = index;
    const used = new Set(KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: full.AttributeDefinitions?.filter((attribute) =>
          used.has(attribute.AttributeName),
        ),
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.IndexName, KeySchema, Projection } },
        ],
      }),
    );
  }
}

/**
 * Returns true when it created the table, false when the table was already there (then with
 * any index it lacked added).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition = TABLE_DEFINITION,
): Promise<boolean> {
  let existing: string[] | undefined;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    existing = (Table?.GlobalSecondaryIndexes ?? []).flatMap((index) =>
      index.IndexName ? [index.IndexName] : [],
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing !== undefined) {
    await addMissingIndexes(client, tableName, existing, definition);
    return false;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: {
        AttributeName: TABLE_DEFINITION.timeToLiveAttribute,
        Enabled: true,
      },
    }),
  );
  return true;
}
