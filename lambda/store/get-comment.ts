/** Reading one comment by its id, as every repository that needs one does. */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import { projection } from './attributes';
import { toRecord } from './comment-items';
import { translateStoreError } from './errors';
import { keys } from './keys';

/**
 * A comment's item by its id, read consistently: only `attributes` when they are given (what the
 * function's grant lets it read), the whole item otherwise; undefined when there is none.
 */
export async function getCommentItem(
  client: DynamoDBDocumentClient,
  tableName: string,
  { articleId, commentId }: { articleId: string; commentId: string },
  attributes?: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  try {
    const output = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.commentById(articleId, commentId),
        ConsistentRead: true,
        ...(attributes ? projection(attributes) : {}),
      }),
    );
    return output.Item;
  } catch (error) {
    return translateStoreError(error);
  }
}

/** The same, as a comment record. */
export async function getComment(
  client: DynamoDBDocumentClient,
  tableName: string,
  ref: { articleId: string; commentId: string },
  attributes?: readonly string[],
): Promise<CommentRecord | undefined> {
  const item = await getCommentItem(client, tableName, ref, attributes);
  return item ? toRecord(item) : undefined;
}
