/**
 * What the comment and reaction repository tests share about rate limits: the charge of a rate
 * window that a write's transaction starts with, spelled out as a literal rather than built by
 * the code under test, and how a refused charge must fail.
 */
import { RateLimitedError } from '../../../lambda/domain/errors';
import { TABLE } from './comment-fixtures';

/**
 * `client`'s request counted in the `window` of a `route` that began at `start`, on the
 * condition that it has not reached `limit`; the item expires a minute after the window's `end`.
 */
export const chargeUpdate = (
  route: 'comment' | 'reaction',
  client: string,
  window: 'minute' | 'hour',
  start: string,
  limit: number,
  end: string,
) => ({
  Update: {
    TableName: TABLE,
    Key: { PK: `CLIENT#${client}`, SK: `RATE#${route}#${window}#${start}` },
    UpdateExpression: 'ADD requests :one SET entity = :entity, expiresAt = :expiresAt',
    ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
    ExpressionAttributeValues: {
      ':one': 1,
      ':limit': limit,
      ':entity': 'RateWindow',
      // A minute after the window ends, in epoch seconds, for DynamoDB's TTL.
      ':expiresAt': Date.parse(end) / 1000 + 60,
    },
  },
});

/** That `write` was refused as rate limited, telling the client to wait `seconds`. */
export async function expectRateLimited(write: Promise<unknown>, seconds: number): Promise<void> {
  await expect(write).rejects.toBeInstanceOf(RateLimitedError);
  await expect(write).rejects.toMatchObject({ retryAfterSeconds: seconds });
}
