/**
 * The transparency counters (lambda/domain/transparency.ts): one item per month
 * (TRANSPARENCY / MONTH#<yyyy-mm>), added to in a moderator's decision's transaction and taken
 * back in its undo's (the operators' read is transparency-repository.ts).
 */
import { monthOf } from '../domain/screen-tuning';
import type { TransparencyCounts } from '../domain/transparency';
import { ENTITY, keys } from './keys';

/** Adds each count (times `sign`: -1 for an undo) to the month of `at`: one Update. */
export function transparencyUpdate(
  tableName: string,
  counts: TransparencyCounts,
  at: string,
  sign: 1 | -1,
) {
  const entries = Object.entries(counts);
  const month = monthOf(at);
  return {
    Update: {
      TableName: tableName,
      Key: keys.transparency(month),
      UpdateExpression: `SET #entity = :entity, #month = :month ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: {
        '#entity': 'entity',
        '#month': 'month',
        ...Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      },
      ExpressionAttributeValues: {
        ':entity': ENTITY.transparency,
        ':month': month,
        ...Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n * sign])),
      },
    },
  };
}
