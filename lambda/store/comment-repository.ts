import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ArticleSettings } from '../domain/article-settings';
import { backoff } from '../domain/backoff';
import type { CommentRecord, CommentStatus, PublicCommentFields } from '../domain/comment';
import { ArticleClosedError, ParentNotFoundError, RateLimitedError } from '../domain/errors';
import type {
  ArticleStats,
  BodyChange,
  CommentPage,
  CommentPageQuery,
  CommentStore,
  GateRead,
  InsertOptions,
} from '../domain/ports';
import { retryAfterSeconds } from '../domain/rate-limit';
import { settingsOf } from './article-items';
import {
  EDIT_READ_ATTRIBUTES,
  GATE_ATTRIBUTES,
  OWNER_ATTRIBUTES,
  PAGE_ATTRIBUTES,
  projection,
  TOP_INDEX_ATTRIBUTES,
} from './attributes';
import { batchGetAll } from './batch-get';
import {
  authorUpdate,
  commentDeletion,
  commentKey,
  countDelta,
  countUpdates,
  toItem,
  toPublicFields,
  toRecord,
} from './comment-items';
import { commenterGateOf } from './commenter-items';
import {
  cancellationReasons,
  isTransactionConflict,
  translateStoreError,
  UnknownAuthor,
  WriteConflict,
} from './errors';
import { getComment } from './get-comment';
import {
  COMMENT_RANGE,
  ENTITY,
  isCommentSortKey,
  keyOfTopRank,
  keys,
  TOP_RANK_OF_STATS,
} from './keys';
import { chargeItems, refusedCharges } from './rate-windows';
import { guardedCommentWrite } from './transactions';

type Item = Record<string, unknown>;

/** The index of the Top order (lambda/store/table-definition.ts). */
const TOP_INDEX = 'byTop';

/** Tries of a new comment's transaction when it collides with another write of the count item. */
const CONFLICT_ATTEMPTS = 3;

export class CommentRepository implements CommentStore {
  // Built once per instance, not at module load, so that a bundle importing this module for
  // nothing (lambda/areas.ts) can leave it out: esbuild keeps module-level calls it cannot
  // prove pure.
  private readonly pageProjection = projection(PAGE_ATTRIBUTES);
  /** The same from index byTop, with each item's rank there (a cursor continues from it). */
  private readonly topProjection = projection([
    'PK',
    'SK',
    ...TOP_INDEX_ATTRIBUTES,
    'topOf',
    'topRank',
  ]);
  private readonly gateProjection = projection(GATE_ATTRIBUTES);
  private readonly editProjection = projection(EDIT_READ_ATTRIBUTES);

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /**
   * The gate's one read: the article's first stats item and the commenter's record in one
   * BatchGetItem, eventually consistent (half a read unit each), since the transaction still
   * checks `closed` itself, and a setting or a ban changed a moment ago may apply a moment late.
   * One projection serves both items: the article's settings, the commenter's state and until.
   */
  async gate(articleId: string, commenterId: string): Promise<GateRead> {
    const articleKey = keys.statsHead(articleId);
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [articleKey, keys.commenter(commenterId)],
      ...this.gateProjection,
    });
    const article = items.find((item) => item.PK === articleKey.PK);
    const commenter = items.find((item) => item.PK !== articleKey.PK);
    return {
      article: settingsOf(article),
      ...(commenter ? { commenter: commenterGateOf(commenter) } : {}),
    };
  }

  /**
   * One transaction: the rate-limit windows, the parent check for a reply, the comment, and for
   * a published comment both counts and the author record. Under the first-time policy the
   * author record must already exist; if it does not, the comment is written again as pending
   * (a second request, for first-time authors only).
   */
  async insert(record: CommentRecord, options: InsertOptions): Promise<CommentStatus> {
    try {
      await this.writeRetryingConflicts(record, options);
      return record.status;
    } catch (error) {
      if (error instanceof UnknownAuthor) {
        const pending: CommentRecord = { ...record, status: 'pending' };
        await this.writeRetryingConflicts(pending, { ...options, ifKnownAuthor: false });
        return 'pending';
      }
      throw error;
    }
  }

  /**
   * The count item is also written by the reaction tally; when both land at the same moment
   * DynamoDB cancels the transaction as a conflict, having written nothing. Try again briefly.
   */
  private async writeRetryingConflicts(
    record: CommentRecord,
    options: InsertOptions,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(record, options);
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
        if (attempt === CONFLICT_ATTEMPTS) translateStoreError(error.cause);
        // Full jitter over 20 ms, then 40 (attempt counts from 1 here).
        await backoff(attempt, 10);
      }
    }
  }

  private async write(record: CommentRecord, options: InsertOptions): Promise<void> {
    const { articleId, parentId } = record;
    const charges = chargeItems(this.tableName, options.charges);
    const parentCheck =
      parentId === null
        ? []
        : [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.commentById(articleId, parentId),
                ConditionExpression: '#status = :published',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':published': 'published' },
              },
            },
          ];
    const published = record.status === 'published';
    // A closed article has `closed` on its stats items. A published comment's count Update
    // carries the check; any other comment gets a ConditionCheck of the same item. Either sits
    // right after the Put, so one index names it.
    const counts = published
      ? countUpdates(this.tableName, articleId, 1, record.createdAt, {
          postedAt: record.createdAt,
        })
      : [];
    const [headCount, ...otherCounts] = counts;
    const openCheck = !options.ifOpen
      ? counts
      : headCount
        ? [{ Update: { ...headCount.Update, ...OPEN } }, ...otherCounts]
        : [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.statsHead(articleId),
                ...OPEN,
              },
            },
          ];
    const openIndex = charges.length + parentCheck.length + 1;
    const author =
      published && record.emailHash
        ? [authorUpdate(this.tableName, record.emailHash, record.createdAt, options.ifKnownAuthor)]
        : [];
    const authorIndex = charges.length + parentCheck.length + 1 + (published ? 2 : 0);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...charges,
            ...parentCheck,
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(record),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...openCheck,
            ...author,
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons) {
        const refused = refusedCharges(reasons, options.charges);
        if (refused.length > 0)
          throw new RateLimitedError(retryAfterSeconds(refused, this.clock()));
        if (parentCheck.length > 0 && reasons[charges.length]?.Code === 'ConditionalCheckFailed') {
          throw new ParentNotFoundError();
        }
        if (options.ifOpen && reasons[openIndex]?.Code === 'ConditionalCheckFailed') {
          throw new ArticleClosedError();
        }
        if (options.ifKnownAuthor && reasons[authorIndex]?.Code === 'ConditionalCheckFailed') {
          throw new UnknownAuthor();
        }
        if (isTransactionConflict(reasons)) throw new WriteConflict(error);
      }
      translateStoreError(error);
    }
  }

  find(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    return getComment(this.client, this.tableName, { articleId, commentId }, OWNER_ATTRIBUTES);
  }

  async findWithArticle(
    articleId: string,
    commentId: string,
  ): Promise<{ record: CommentRecord | undefined; article: ArticleSettings }> {
    const head = keys.statsHead(articleId);
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [keys.commentById(articleId, commentId), head],
      ConsistentRead: true,
      ...this.editProjection,
    });
    const stats = items.find((item) => item.SK === head.SK);
    const comment = items.find((item) => item.SK !== head.SK);
    return { record: comment ? toRecord(comment) : undefined, article: settingsOf(stats) };
  }

  async changeBody(current: CommentRecord, change: BodyChange): Promise<void> {
    const delta = countDelta(current.status, change.status);
    await guardedCommentWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: commentKey(current),
          UpdateExpression: bodyChangeExpression(change, current.pinned && delta !== 0),
          ConditionExpression: '#status = :from AND editTokenHash = :token',
          ExpressionAttributeNames: { '#status': 'status', '#body': 'body' },
          ExpressionAttributeValues: {
            ':body': change.body,
            ':editedAt': change.editedAt,
            ':to': change.status,
            ':from': current.status,
            ':token': current.editTokenHash,
            ...(change.holdReasons ? { ':holdReasons': change.holdReasons } : {}),
            ...(change.screenScores ? { ':screenScores': change.screenScores } : {}),
          },
        },
      },
      ...statsChanges(this.tableName, current, delta, change),
    ]);
  }

  async remove(current: CommentRecord): Promise<void> {
    await guardedCommentWrite(
      this.client,
      commentDeletion(this.tableName, current, new Date(this.clock()).toISOString(), {
        requireEditToken: true,
      }),
    );
  }

  /**
   * One Query: the page of comments and, on a first page, the count item that sorts at its
   * start. One item more than asked is read to know whether another page follows. The Top order
   * reads index byTop, where the article's first stats item heads its comments the same way.
   */
  async page(query: CommentPageQuery): Promise<CommentPage> {
    const { articleId, order, limit, after } = query;
    const partition = keys.articlePartition(articleId);
    const top = order === 'top';
    /** Where an item sits in the order read: its sort key, or in index byTop its rank. */
    const position = (item: Item | undefined) => String(top ? item?.topRank : item?.SK);
    let output: { Items?: Item[]; LastEvaluatedKey?: Item };
    try {
      output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(top
            ? { IndexName: TOP_INDEX, KeyConditionExpression: '#topOf = :pk' }
            : { KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last' }),
          // Pinned comments come from the stats item's copies, at the head of the first page. In
          // index byTop, which leaves `entity` out, the stats item is the one with a count.
          FilterExpression: `${top ? 'attribute_exists(#commentCount)' : '#entity = :stats'} OR (#status = :published AND attribute_not_exists(#pinned))`,
          Select: 'SPECIFIC_ATTRIBUTES',
          ...(top ? this.topProjection : this.pageProjection),
          ExpressionAttributeValues: {
            ':pk': partition,
            ...(top ? {} : { ':first': COMMENT_RANGE.first, ':last': COMMENT_RANGE.last }),
            ...(top ? {} : { ':stats': ENTITY.articleStats }),
            ':published': 'published',
          },
          ScanIndexForward: order !== 'newest',
          Limit: limit + (after === undefined ? 2 : 1),
          ExclusiveStartKey:
            after === undefined
              ? undefined
              : top
                ? { topOf: partition, topRank: after, ...keyOfTopRank(articleId, after) }
                : { PK: partition, SK: after },
        }),
      );
    } catch (error) {
      translateStoreError(error);
    }
    // Index byTop's items name neither their entity nor their article: the rank and the Query do.
    const items = (output.Items ?? []).map((item) =>
      top
        ? {
            ...item,
            entity: item.topRank === TOP_RANK_OF_STATS ? ENTITY.articleStats : ENTITY.comment,
            articleId,
          }
        : item,
    );
    const stats = items.find((item) => item.entity === ENTITY.articleStats);
    const comments = items.filter((item) => item.entity === ENTITY.comment);
    const first = after === undefined;
    const pinned = first ? pinnedCopies(stats) : [];
    // The pinned comments take their places on the first page: the page never exceeds `limit`
    // unless more comments are pinned than that.
    const room = Math.max(0, limit - pinned.length);
    const page = comments.slice(0, room);
    let nextAfter: string | null = null;
    const last = output.LastEvaluatedKey;
    if (comments.length > room) {
      // With no room at all the next page starts right after the stats item.
      nextAfter = position(page.at(-1) ?? stats);
    } else if (
      last &&
      (top ? last.topRank !== TOP_RANK_OF_STATS : isCommentSortKey(String(last.SK)))
    ) {
      nextAfter = position(last);
    }
    if (!first) return { comments: page.map(toPublicFields), nextAfter };
    const articleStats = statsOf(stats);
    return {
      commentCount: articleStats.commentCount,
      stats: articleStats,
      pinned,
      featured: featuredCopies(stats),
      comments: page.map(toPublicFields),
      nextAfter,
    };
  }
}

/** Only on an article open to comments: its stats item has no `closed` (or does not exist). */
const OPEN = {
  ConditionExpression: 'attribute_not_exists(#closed)',
  ExpressionAttributeNames: { '#closed': 'closed' },
};

/**
 * What an author's edit changes on the stats items: the counts when the status moves (a pinned
 * comment sent back to pending also loses its pin), or the pinned copy's text.
 */
/**
 * The edit's SET and REMOVE: the screen's reasons for the new text replace the old text's (a
 * clean edit clears them), and a pinned comment that goes back to pending is no longer pinned.
 */
function bodyChangeExpression(change: BodyChange, unpin: boolean): string {
  const set = ['#body = :body', 'editedAt = :editedAt', '#status = :to'];
  const remove = unpin ? ['pinned'] : [];
  for (const name of ['holdReasons', 'screenScores'] as const) {
    if (change[name]) set.push(`${name} = :${name}`);
    else remove.push(name);
  }
  return `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
}

function statsChanges(
  tableName: string,
  current: CommentRecord,
  delta: number,
  change: BodyChange,
): Record<string, unknown>[] {
  if (delta !== 0) {
    return countUpdates(tableName, current.articleId, delta, change.editedAt, {
      unpin: current.pinned ? current.commentId : undefined,
    });
  }
  if (!current.pinned) return [];
  return [keys.statsHead(current.articleId), keys.statsTail(current.articleId)].map((Key) => ({
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression: 'SET pins.#pin.#body = :body, pins.#pin.editedAt = :editedAt',
      ExpressionAttributeNames: { '#pin': current.commentId, '#body': 'body' },
      ExpressionAttributeValues: { ':body': change.body, ':editedAt': change.editedAt },
    },
  }));
}

/** The pinned comments' copies on a stats item, oldest first. */
function pinnedCopies(stats: Item | undefined): PublicCommentFields[] {
  const pins = stats?.pins;
  if (typeof pins !== 'object' || pins === null) return [];
  return Object.values(pins as Record<string, Item>)
    .map(toPublicFields)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** The featured comments' copies on a stats item, most recently featured first. */
function featuredCopies(stats: Item | undefined): PublicCommentFields[] {
  const features = stats?.features;
  if (typeof features !== 'object' || features === null) return [];
  return Object.values(features as Record<string, Item>)
    .map(toPublicFields)
    .sort((a, b) => (b.featuredAt ?? '').localeCompare(a.featuredAt ?? ''));
}

const numberOr0 = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** The stats item as the domain sees it; an article nobody commented on or voted for has none. */
function statsOf(item: Item | undefined): ArticleStats {
  const counts: Record<string, number> = {};
  const stored = item?.reactionCounts;
  if (stored !== null && typeof stored === 'object') {
    for (const [key, value] of Object.entries(stored)) {
      if (typeof value === 'number') counts[key] = value;
    }
  }
  return {
    ...settingsOf(item),
    commentCount: numberOr0(item?.commentCount),
    reactionCounts: counts,
    reactionTotal: numberOr0(item?.reactionTotal),
  };
}
