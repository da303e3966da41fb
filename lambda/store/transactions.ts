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
