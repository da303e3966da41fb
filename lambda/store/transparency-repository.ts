/**
 * The operators' read of the transparency counters (store/transparency.ts writes them): a range
 * of months, one Query of their partition.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  TransparencyCounts,
  TransparencyRow,
  TransparencyStore,
} from '../domain/transparency';
import { translateStoreError } from './errors';
import { TRANSPARENCY_PARTITION } from './keys';
import { queryPages } from './queries';

/** Counter names are `kind:value` (domain/transparency.ts); the item's other attributes are not. */
const COUNTER = /^(decisions|removals|ground|notice|latency):/;

export class TransparencyRepository implements TransparencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async transparencyRows(fromMonth: string, toMonth: string): Promise<TransparencyRow[]> {
    const rows: TransparencyRow[] = [];
    try {
      for await (const items of queryPages(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': TRANSPARENCY_PARTITION,
          ':first': `MONTH#${fromMonth}`,
          ':last': `MONTH#${toMonth}`,
        },
      })) {
        for (const item of items) {
          const counts: TransparencyCounts = {};
          for (const [name, value] of Object.entries(item)) {
            if (COUNTER.test(name) && typeof value === 'number') counts[name] = value;
          }
          rows.push({ month: String(item.month), counts });
        }
      }
    } catch (error) {
      translateStoreError(error);
    }
    return rows;
  }
}
