/**
 * The table's repeated request shapes, written once: a Query walked page by page, a consistent
 * GetItem of one key, and the map on both stats items that a pin or a feature sets a path in.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ENTITY, type ItemKey, keys } from './keys';

type Item = Record<string, unknown>;

/**
 * The items of a Query, a page at a time: the next page is read only when the caller asks for
 * it, so a caller that stops early (a cap) sends no further request.
 */
export async function* queryPages(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Item[]> {
  let after: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: after }));
    yield page.Items ?? [];
    after = page.LastEvaluatedKey;
  } while (after);
}

/** The comment keys with this email hash (index byEmailHash, keys only), a page at a time. */
export async function* commentKeysOfEmail(
  client: DynamoDBDocumentClient,
  tableName: string,
  emailHash: string,
): AsyncGenerator<ItemKey[]> {
  for await (const items of queryPages(client, {
    TableName: tableName,
    IndexName: 'byEmailHash',
    KeyConditionExpression: 'emailHash = :hash',
    ExpressionAttributeValues: { ':hash': emailHash },
  })) {
    yield items.map((item) => ({ PK: String(item.PK), SK: String(item.SK) }));
  }
}

/** One item by its key, read consistently; undefined when there is none. */
export async function getItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  Key: ItemKey,
): Promise<Item | undefined> {
  const output = await client.send(
    new GetCommand({ TableName: tableName, Key, ConsistentRead: true }),
  );
  return output.Item;
}

/**
 * Makes sure both stats items of an article have the map `name` (`pins` or `features`): a
 * nested path cannot be set in a map that does not exist yet.
 */
export async function ensureStatsMap(
  client: DynamoDBDocumentClient,
  tableName: string,
  articleId: string,
  name: 'pins' | 'features',
): Promise<void> {
  for (const Key of [keys.statsHead(articleId), keys.statsTail(articleId)]) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key,
        UpdateExpression: `SET ${name} = if_not_exists(${name}, :none), entity = :entity, articleId = :articleId`,
        ExpressionAttributeValues: {
          ':none': {},
          ':entity': ENTITY.articleStats,
          ':articleId': articleId,
        },
      }),
    );
  }
}
