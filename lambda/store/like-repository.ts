/**
 * Likes on the table (domain/likes.ts): a like item per voter and comment under the voter's own
 * partition key, and the comment's counter shards, each shard under a partition key of its own.
 * Nothing a like writes or reads sits in the article's partition, so every like of a viral
 * article's hot comment spreads over LIKE_SHARDS counter items and the voters' own items
 * (docs/architecture.md, "Hot comments").
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError, VoteChangedError } from '../domain/errors';
import { LIKE_SHARDS, type LikeChange, type LikeState, type LikeStore } from '../domain/likes';
import { type RateCharge, retryAfterSeconds } from '../domain/rate-limit';
import { LIKE_READ_ATTRIBUTES, projection } from './attributes';
import { batchGetAll } from './batch-get';
import { cancellationReasons, isTransactionConflict, translateStoreError } from './errors';
import { ENTITY, keys } from './keys';
import { chargeItems, refusedCharges } from './rate-windows';

export class LikeRepository implements LikeStore {
  // Built per instance: a bundle importing this module for nothing can leave it out.
  private readonly readProjection = projection(LIKE_READ_ATTRIBUTES);

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async read(commentId: string, voterHash: string): Promise<LikeState> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [
        keys.commentSignals(commentId),
        keys.like(voterHash, commentId),
        ...Array.from({ length: LIKE_SHARDS }, (_, shard) => keys.likeShard(commentId, shard)),
      ],
      ConsistentRead: false,
      ...this.readProjection,
    });
    const state: LikeState = { published: false, likes: 0, liked: false };
    for (const item of items) {
      if (item.entity === ENTITY.commentSignals) state.published = item.published === true;
      if (item.entity === ENTITY.like) state.liked = true;
      if (item.entity === ENTITY.likeCounts && typeof item.likes === 'number') {
        state.likes += item.likes;
      }
    }
    return state;
  }

  async isLiked(commentId: string, voterHash: string): Promise<boolean> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [keys.like(voterHash, commentId)],
      ConsistentRead: true,
      ...this.readProjection,
    });
    return items.length > 0;
  }

  async change(change: LikeChange, charges: RateCharge[]): Promise<'changed' | 'unchanged'> {
    const { commentId, voterHash, shard, like } = change;
    const now = new Date(this.clock()).toISOString();
    const likeKey = keys.like(voterHash, commentId);
    const likeWrite = like
      ? {
          Put: {
            TableName: this.tableName,
            // No `commentId` attribute: index byCommentId must hold comments only (it is in the key).
            Item: { ...likeKey, entity: ENTITY.like, likedAt: now },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }
      : {
          Delete: {
            TableName: this.tableName,
            Key: likeKey,
            ConditionExpression: 'attribute_exists(PK)',
          },
        };
    const shardUpdate = {
      Update: {
        TableName: this.tableName,
        Key: keys.likeShard(commentId, shard),
        UpdateExpression:
          'ADD likes :delta, writes :one SET entity = :entity, #shard = :shard, updatedAt = :now',
        ExpressionAttributeNames: { '#shard': 'shard' },
        ExpressionAttributeValues: {
          ':delta': like ? 1 : -1,
          ':one': 1,
          ':entity': ENTITY.likeCounts,
          ':shard': shard,
          ':now': now,
        },
      },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [...chargeItems(this.tableName, charges), likeWrite, shardUpdate],
        }),
      );
      return 'changed';
    } catch (error) {
      const reasons = cancellationReasons(error);
      const refused = reasons ? refusedCharges(reasons, charges) : [];
      if (refused.length > 0) throw new RateLimitedError(retryAfterSeconds(refused, this.clock()));
      // The like was already there (or already gone): nothing to change, nothing was written.
      if (reasons?.[charges.length]?.Code === 'ConditionalCheckFailed') return 'unchanged';
      // Another like of the same shard at the same moment: nothing was written; try again.
      if (isTransactionConflict(reasons)) throw new VoteChangedError();
      return translateStoreError(error);
    }
  }
}
