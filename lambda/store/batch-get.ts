/** BatchGetItem as every repository uses it: 100 keys a request, unprocessed keys followed. */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { backoff } from '../domain/backoff';
import { ServiceBusyError } from '../domain/errors';
import type { projection } from './attributes';
import { translateStoreError } from './errors';
import type { ItemKey } from './keys';

type Item = Record<string, unknown>;

/** DynamoDB's limit of keys in one BatchGetItem. */
const BATCH_GET_MAX_KEYS = 100;
/** Tries of keys a batch read left unprocessed (DynamoDB does this under load). */
const BATCH_ATTEMPTS = 4;

/**
 * The items of `Keys` (those that exist, in no particular order): one request a 100 keys when
 * nothing is throttled, unprocessed keys asked again with backoff, and ServiceBusyError when some
 * are still unprocessed after the last try.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: { Keys: ItemKey[]; ConsistentRead?: boolean } & Partial<ReturnType<typeof projection>>,
): Promise<Item[]> {
  const items: Item[] = [];
  for (let offset = 0; offset < request.Keys.length; offset += BATCH_GET_MAX_KEYS) {
    let pending = request.Keys.slice(offset, offset + BATCH_GET_MAX_KEYS);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) {
        throw new ServiceBusyError('batch read left keys unprocessed');
      }
      if (attempt > 0) await backoff(attempt, 25, 'none');
      let output: BatchGetCommandOutput;
      try {
        output = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { ...request, Keys: pending } } }),
        );
      } catch (error) {
        translateStoreError(error);
      }
      items.push(...(output.Responses?.[tableName] ?? []));
      pending = (output.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
    }
  }
  return items;
}
