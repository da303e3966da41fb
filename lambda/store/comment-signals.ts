/**
 * The tally's side of readers' signals (domain/signals.ts): each comment's signals item, and the
 * likes tallied from the counter shards onto the comment, its Top rank and its pinned copies.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LIKE_SHARDS } from '../domain/likes';
import type { CommentPlace, SignalsStore } from '../domain/signals';
import { projection, SIGNALS_TALLY_READ_ATTRIBUTES } from './attributes';
import { batchGetAll } from './batch-get';
import { translateStoreError } from './errors';
import { ENTITY, keys } from './keys';

type Item = Record<string, unknown>;

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export class CommentSignalsRepository implements SignalsStore {
  // One projection for both reads: the tally's grant names one list (lib/table-grants.ts).
  private readonly syncProjection = projection(SIGNALS_TALLY_READ_ATTRIBUTES);
  private readonly tallyProjection = this.syncProjection;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async sync({ articleId, createdAt, commentId }: CommentPlace): Promise<void> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [keys.comment(articleId, createdAt, commentId), keys.commentSignals(commentId)],
      ConsistentRead: true,
      ...this.syncProjection,
    });
    const comment = items.find((item) => item.entity === ENTITY.comment);
    const stored = items.find((item) => item.entity === ENTITY.commentSignals);
    const key = keys.commentSignals(commentId);
    try {
      if (comment === undefined) {
        // Deleted: so are its signals (a condition failure means another sync got there first).
        if (stored !== undefined) {
          await this.client.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: key,
              ConditionExpression: 'attribute_exists(PK)',
            }),
          );
        }
        return;
      }
      const wanted = signalsOf(comment);
      if (stored !== undefined && sameSignals(stored, wanted)) return;
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity: ENTITY.commentSignals,
            commentId,
            articleId,
            ...wanted,
            updatedAt: new Date(this.clock()).toISOString(),
          },
        }),
      );
    } catch (error) {
      translateStoreError(error);
    }
  }

  async tallyLikes(commentId: string): Promise<void> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [
        keys.commentSignals(commentId),
        ...Array.from({ length: LIKE_SHARDS }, (_, shard) => keys.likeShard(commentId, shard)),
      ],
      ConsistentRead: true,
      ...this.tallyProjection,
    });
    const signals = items.find((item) => item.entity === ENTITY.commentSignals);
    // A comment deleted since: nothing left to show its likes on.
    if (signals === undefined) return;
    let likes = 0;
    let writes = 0;
    for (const item of items) {
      if (item.entity !== ENTITY.likeCounts) continue;
      if (typeof item.likes === 'number') likes += item.likes;
      if (typeof item.writes === 'number') writes += item.writes;
    }
    likes = Math.max(0, likes);
    const articleId = String(signals.articleId);
    const createdAt = String(signals.createdAt);
    try {
      // Each shard counts its writes, so their sum orders tallies: a comment only takes a
      // tally made from more writes than the one it holds (a replayed batch changes nothing).
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.comment(articleId, createdAt, commentId),
          UpdateExpression:
            'SET likes = :likes, likeWrites = :writes, topOf = :topOf, topRank = :topRank',
          ConditionExpression:
            'attribute_exists(PK) AND (attribute_not_exists(likeWrites) OR likeWrites < :writes)',
          ExpressionAttributeValues: {
            ':likes': likes,
            ':writes': writes,
            ':topOf': keys.articlePartition(articleId),
            ':topRank': keys.topRank(likes, createdAt, commentId),
          },
        }),
      );
    } catch (error) {
      // Deleted meanwhile, or a tally of as many writes is already stored.
      if (isConditionFailure(error)) return;
      translateStoreError(error);
    }
    if (signals.pinned === true) await this.copyLikesToPin(articleId, commentId, likes);
  }

  /** A pinned comment is shown from its copies on the stats items: their likes follow. */
  private async copyLikesToPin(articleId: string, commentId: string, likes: number) {
    for (const Key of [keys.statsHead(articleId), keys.statsTail(articleId)]) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET pins.#pin.likes = :likes',
            ConditionExpression: 'attribute_exists(pins.#pin)',
            ExpressionAttributeNames: { '#pin': commentId },
            ExpressionAttributeValues: { ':likes': likes },
          }),
        );
      } catch (error) {
        // Unpinned meanwhile: no copy to follow.
        if (!isConditionFailure(error)) translateStoreError(error);
      }
    }
  }
}

/** What the signals item says of a comment: where it is, and whether it is published. */
function signalsOf(comment: Item) {
  return {
    createdAt: String(comment.createdAt),
    published: comment.status === 'published',
    pinned: comment.pinned === true,
    featured: comment.featured === true,
  };
}

function sameSignals(stored: Item, wanted: ReturnType<typeof signalsOf>): boolean {
  return (
    stored.createdAt === wanted.createdAt &&
    stored.published === wanted.published &&
    (stored.pinned === true) === wanted.pinned &&
    (stored.featured === true) === wanted.featured
  );
}
