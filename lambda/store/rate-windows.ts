/**
 * Rate-limit windows as transaction items: each window's counter goes up by one on the
 * condition that it is still under the limit. The item expires by TTL after its window.
 */
import type { RateCharge } from '../domain/rate-limit';
import type { CancellationReason } from './errors';
import { ENTITY, keys } from './keys';

/** Kept a minute past the window's end; DynamoDB's TTL deletes it some time after that. */
const EXPIRY_SLACK_SECONDS = 60;

export function chargeItems(tableName: string, charges: RateCharge[]) {
  return charges.map((charge) => ({
    Update: {
      TableName: tableName,
      Key: keys.rateWindow(charge.clientHash, charge.action, charge.window, charge.windowStart),
      UpdateExpression: 'ADD requests :one SET entity = :entity, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': charge.limit,
        ':entity': ENTITY.rateWindow,
        ':expiresAt': Math.ceil(charge.windowEnd / 1000) + EXPIRY_SLACK_SECONDS,
      },
    },
  }));
}

/** The charges whose condition failed, given the reasons of a cancelled transaction that starts with them. */
export function refusedCharges(reasons: CancellationReason[], charges: RateCharge[]): RateCharge[] {
  return charges.filter((_, index) => reasons[index]?.Code === 'ConditionalCheckFailed');
}
