import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CommentNotFoundError } from '../domain/errors';
import { cancellationReasons, translateStoreError } from './errors';

/**
 * A transaction whose first item is conditional on a comment still being as it was read: when
 * that condition fails nothing is written and the caller learns the comment is gone (or moved).
 */
export async function guardedCommentWrite(
  client: DynamoDBDocumentClient,
  items: Record<string, unknown>[],
): Promise<void> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancellationReasons(error)?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new CommentNotFoundError();
    }
    translateStoreError(error);
  }
}

/** How a marked write ended: see markedWrite. */
export type MarkedWriteResult = 'done' | 'used' | 'changed';

/**
 * A transaction led by a once-only marker: the marker item is put on the condition that it is
 * not there yet, together with the writes it guards. `used` when the marker was there, `changed`
 * when the first guarded write's own condition failed; either way nothing was written.
 */
export async function markedWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  marker: Record<string, unknown>,
  guarded: Record<string, unknown>[],
): Promise<MarkedWriteResult> {
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: marker,
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...guarded,
        ],
      }),
    );
    return 'done';
  } catch (error) {
    const [markerReason, firstGuarded] = cancellationReasons(error) ?? [];
    if (markerReason?.Code === 'ConditionalCheckFailed') return 'used';
    if (firstGuarded?.Code === 'ConditionalCheckFailed') return 'changed';
    return translateStoreError(error);
  }
}
