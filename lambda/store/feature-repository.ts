/**
 * Featured comments on the table (domain/featured.ts): `featuredAt` on the comment, and its
 * public copy in the `features` map of both of its article's stats items, changed together.
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import { NotPublishedError, TooManyFeaturedError } from '../domain/errors';
import type { FeatureStore } from '../domain/featured';
import { commentKey, toPinnedCopy } from './comment-items';
import { cancellationReasons, translateStoreError } from './errors';
import { keys } from './keys';
import { ensureStatsMap } from './queries';
import { guardedCommentWrite } from './transactions';

export class FeatureRepository implements FeatureStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private statsKeys(articleId: string) {
    return [keys.statsHead(articleId), keys.statsTail(articleId)];
  }

  /**
   * Two steps, as pinning: make sure both stats items have a `features` map (idempotent; a
   * nested path cannot be set in a map that does not exist yet), then one transaction.
   */
  async feature(current: CommentRecord, at: string, max: number): Promise<void> {
    const { articleId, commentId } = current;
    const copy = { ...toPinnedCopy(current), pinned: current.pinned || undefined, featuredAt: at };
    try {
      await ensureStatsMap(this.client, this.tableName, articleId, 'features');
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: commentKey(current),
                UpdateExpression: 'SET featuredAt = :at',
                ConditionExpression: '#status = :published',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':at': at, ':published': 'published' },
              },
            },
            ...this.statsKeys(articleId).map((Key, index) => ({
              Update: {
                TableName: this.tableName,
                Key,
                // A pinned comment's pinned copy says it is featured too.
                UpdateExpression: `SET features.#id = :copy${current.pinned ? ', pins.#id.featuredAt = :at' : ''}`,
                // The head's check is enough: both items change together or not at all.
                ...(index === 0 ? { ConditionExpression: 'size(features) < :max' } : {}),
                ExpressionAttributeNames: { '#id': commentId },
                ExpressionAttributeValues: {
                  ':copy': copy,
                  ...(current.pinned ? { ':at': at } : {}),
                  ...(index === 0 ? { ':max': max } : {}),
                },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new NotPublishedError('featured');
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') throw new TooManyFeaturedError(max);
      translateStoreError(error);
    }
  }

  async unfeature(current: CommentRecord): Promise<void> {
    const { articleId, commentId } = current;
    await guardedCommentWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: commentKey(current),
          UpdateExpression: 'REMOVE featuredAt',
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      ...this.statsKeys(articleId).map((Key) => ({
        Update: {
          TableName: this.tableName,
          Key,
          UpdateExpression: `REMOVE features.#id${current.pinned ? ', pins.#id.featuredAt' : ''}`,
          ExpressionAttributeNames: { '#id': commentId },
        },
      })),
    ]);
  }
}
