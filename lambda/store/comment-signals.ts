/**
 * The tally's side of readers' signals (domain/signals.ts): each comment's signals item, and the
 * likes tallied from the counter shards onto the comment, its Top rank and its pinned copies.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { LIKE_SHARDS } from '../domain/likes';
import type { CommentPlace, SignalsStore } from '../domain/signals';
import { projection, SIGNALS_TALLY_READ_ATTRIBUTES } from './attributes';
import { batchGetAll } from './batch-get';
import { toPinnedCopy, toPublicFields } from './comment-items';
import { cancellationReasons, translateStoreError } from './errors';
import { ENTITY, type ItemKey, keys } from './keys';

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

  /**
   * Brings the comment's signals item in step with the comment, and its featured copies: a
   * featured comment's copies follow its text and likes, and leave with it when it leaves the
   * public list (it is then no longer featured), as a pinned comment's leave in its own write.
   */
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
        if (stored?.featured === true) await this.dropFeatured(articleId, commentId);
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
      let wanted = signalsOf(comment);
      if (wanted.featured && !wanted.published) {
        await this.dropFeatured(
          articleId,
          commentId,
          keys.comment(articleId, createdAt, commentId),
        );
        wanted = { ...wanted, featured: false };
      } else if (wanted.featured) {
        await this.refreshFeatured(comment);
      }
      if (stored !== undefined && sameSignals(stored, wanted)) return;
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          // No `commentId` attribute: index byCommentId must hold comments only (it is in the key).
          Item: {
            ...key,
            entity: ENTITY.commentSignals,
            articleId,
            ...wanted,
            updatedAt: new Date(this.clock()).toISOString(),
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      translateStoreError(error);
    }
  }

  /** A featured comment's copies on both stats items take its current text and likes. */
  private async refreshFeatured(comment: Item) {
    const fields = toPublicFields(comment);
    const copy = { ...toPinnedCopy(fields), pinned: fields.pinned || undefined };
    for (const Key of [keys.statsHead(fields.articleId), keys.statsTail(fields.articleId)]) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET features.#id = :copy',
            ConditionExpression: 'attribute_exists(features.#id)',
            ExpressionAttributeNames: { '#id': fields.commentId },
            ExpressionAttributeValues: { ':copy': copy },
          }),
        );
      } catch (error) {
        // Unfeatured meanwhile: no copy to follow.
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  /**
   * A featured comment that left the public list (or was deleted) stops being featured: its
   * copies leave both stats items and, while it is still there and still not published, its mark
   * goes, in one transaction.
   */
  private async dropFeatured(articleId: string, commentId: string, commentItemKey?: ItemKey) {
    const stats = [keys.statsHead(articleId), keys.statsTail(articleId)].map((Key) => ({
      Update: {
        TableName: this.tableName,
        Key,
        UpdateExpression: 'REMOVE features.#id',
        ConditionExpression: 'attribute_exists(features)',
        ExpressionAttributeNames: { '#id': commentId },
      },
    }));
    const mark = commentItemKey
      ? [
          {
            Update: {
              TableName: this.tableName,
              Key: commentItemKey,
              UpdateExpression: 'REMOVE featuredAt',
              ConditionExpression: 'attribute_exists(PK) AND #status <> :published',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':published': 'published' },
            },
          },
        ]
      : [];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [...mark, ...stats] }));
    } catch (error) {
      // Published again meanwhile (the next sync sees it), or there is no copy to remove.
      const reasons = cancellationReasons(error);
      if (reasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')) return;
      throw error;
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
    featured: typeof comment.featuredAt === 'string',
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
