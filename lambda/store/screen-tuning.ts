/**
 * The screen's tuning counts (lambda/domain/screen-tuning.ts): the Updates a moderator's decision
 * (or its undo) adds to its transaction, one item per month and reason, and the operators' read of
 * a range of months.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  monthOf,
  type TuningCount,
  type TuningRow,
  type TuningStore,
} from '../domain/screen-tuning';
import { translateStoreError } from './errors';
import { ENTITY, keys, SCREEN_TUNING_PARTITION } from './keys';
import { queryPages } from './queries';

/** Adds `sign` (1, or -1 for an undo) to each reason's outcome in the month of `at`. */
export function tuningUpdates(
  tableName: string,
  counts: readonly TuningCount[],
  at: string,
  sign: 1 | -1,
) {
  const month = monthOf(at);
  return counts.map(({ reason, outcome }) => ({
    Update: {
      TableName: tableName,
      Key: keys.screenTuning(month, reason),
      UpdateExpression: 'SET #entity = :entity, #month = :month, #reason = :reason ADD #outcome :n',
      ExpressionAttributeNames: {
        '#entity': 'entity',
        '#month': 'month',
        '#reason': 'reason',
        '#outcome': outcome,
      },
      ExpressionAttributeValues: {
        ':entity': ENTITY.screenTuning,
        ':month': month,
        ':reason': reason,
        ':n': sign,
      },
    },
  }));
}

export class ScreenTuningRepository implements TuningStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async tuningRows(fromMonth: string, toMonth: string): Promise<TuningRow[]> {
    const rows: TuningRow[] = [];
    try {
      for await (const items of queryPages(this.client, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': SCREEN_TUNING_PARTITION,
          ':first': `MONTH#${fromMonth}#`,
          // '\uffff' sorts after every character a reason starts with.
          ':last': `MONTH#${toMonth}#\uffff`,
        },
      })) {
        for (const item of items) {
          rows.push({
            month: String(item.month),
            reason: String(item.reason),
            overturned: Number(item.overturned ?? 0),
            upheld: Number(item.upheld ?? 0),
          });
        }
      }
    } catch (error) {
      translateStoreError(error);
    }
    return rows;
  }
}
