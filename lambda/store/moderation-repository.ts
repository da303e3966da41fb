/**
 * Operators' access to comments across all articles: the moderation queue (index byStatus),
 * a comment by id (index byCommentId), status changes with their counts, and erasure by the
 * keyed hash of an email (index byEmailHash). Only the /admin/ functions use this.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StoredArticleChange } from '../domain/article-settings';
import { type CommentRecord, type CommentStatus, ERASED_AUTHOR_NAME } from '../domain/comment';
import { CommentNotFoundError, NotPublishedError, TooManyPinsError } from '../domain/errors';
import type { Decision } from '../domain/moderation-undo';
import type {
  ArticlePage,
  BoundedCount,
  ModeratedComment,
  ModerationPage,
  ModerationStore,
  StoredArticle,
} from '../domain/ports';
import type { TuningCount } from '../domain/screen-tuning';
import type { TransparencyCounts } from '../domain/transparency';
import { ARTICLE_SETTING_ATTRIBUTES, settingsOf, settingsUpdate } from './article-items';
import { batchGetAll } from './batch-get';
import { commentDeletion, commentKey, toPinnedCopy, toRecord } from './comment-items';
import { cancellationReasons, translateStoreError } from './errors';
import { ARTICLE_LIST, COMMENT_RANGE, ENTITY, type ItemKey, keys } from './keys';
import {
  type AuthorEffect,
  decisionItems,
  provisionalAuthorDeletion,
  toModeratedComment,
  undoItems,
} from './moderation-decisions';
import { commentKeysOfEmail, ensureStatsMap } from './queries';
import { guardedCommentWrite } from './transactions';

type Item = Record<string, unknown>;

/**
 * Comments with open reports: a report counts on the comment (`reportCount`), and a decision
 * removes the count (lambda/store/moderation-decisions.ts).
 */
const OPEN_REPORTS_FILTER = {
  FilterExpression: 'reportCount > :noReports',
  ExpressionAttributeValues: { ':noReports': 0 },
};

export class ModerationRepository implements ModerationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async listByStatus(
    status: CommentStatus,
    limit: number,
    after?: Record<string, unknown>,
    articleId?: string,
    reported = false,
  ): Promise<ModerationPage> {
    try {
      if (articleId !== undefined) {
        return await this.listFiltered(
          this.articleStatusQuery(status, articleId, reported),
          limit,
          after,
          (last) => ({ PK: last.PK, SK: last.SK }),
        );
      }
      if (reported) {
        return await this.listFiltered(
          {
            ...this.statusQuery(status),
            FilterExpression: OPEN_REPORTS_FILTER.FilterExpression,
            ExpressionAttributeValues: {
              ':status': status,
              ...OPEN_REPORTS_FILTER.ExpressionAttributeValues,
            },
          },
          limit,
          after,
          (last) => ({ PK: last.PK, SK: last.SK, status: last.status, createdAt: last.createdAt }),
        );
      }
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byStatus',
          KeyConditionExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
          ScanIndexForward: true,
          // One more than the page: when it comes back there is a next page, and when it does
          // not the list has ended here, instead of on a page that turns out empty.
          Limit: limit + 1,
          ExclusiveStartKey: after,
        }),
      );
      const items = output.Items ?? [];
      const page = items.slice(0, limit);
      const last = page.at(-1);
      return {
        comments: page.map(toRecord),
        next:
          items.length > limit && last
            ? { PK: last.PK, SK: last.SK, status: last.status, createdAt: last.createdAt }
            : output.LastEvaluatedKey,
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  /** One Query of the sparse index `articles`: one key per article, in article-id order. */
  async listArticles(limit: number, after?: Record<string, unknown>): Promise<ArticlePage> {
    try {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ARTICLE_LIST.index,
          KeyConditionExpression: '#list = :list',
          ExpressionAttributeNames: { '#list': ARTICLE_LIST.attribute },
          ExpressionAttributeValues: { ':list': ARTICLE_LIST.value },
          // One more than the page, as for the queue: a page that ends the list says so.
          Limit: limit + 1,
          ExclusiveStartKey: after,
        }),
      );
      const items = output.Items ?? [];
      const page = items.slice(0, limit);
      const last = page.at(-1);
      return {
        articleIds: page.map((item) => String(item.articleId)),
        next:
          items.length > limit && last
            ? {
                PK: last.PK,
                SK: last.SK,
                [ARTICLE_LIST.attribute]: ARTICLE_LIST.value,
                articleId: last.articleId,
              }
            : output.LastEvaluatedKey,
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  /**
   * A page of a filtered Query (an article's comments of one status, or the comments with open
   * reports): Query after Query until the page is full or the list ends, so a page comes back
   * short only where the list ends.
   */
  private async listFiltered(
    query: QueryCommandInput,
    limit: number,
    after: Record<string, unknown> | undefined,
    keyOf: (last: Item) => Record<string, unknown>,
  ): Promise<ModerationPage> {
    const found: Item[] = [];
    let start = after;
    do {
      const output = await this.client.send(
        new QueryCommand({ ...query, Limit: limit + 1 - found.length, ExclusiveStartKey: start }),
      );
      found.push(...(output.Items ?? []));
      start = output.LastEvaluatedKey;
    } while (start && found.length <= limit);
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      comments: page.map(toRecord),
      next: found.length > limit && last ? keyOf(last) : start,
    };
  }

  private statusQuery(status: CommentStatus) {
    return {
      TableName: this.tableName,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    };
  }

  private articleStatusQuery(status: CommentStatus, articleId: string, reported = false) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      FilterExpression: `#status = :status${reported ? ` AND ${OPEN_REPORTS_FILTER.FilterExpression}` : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.articlePartition(articleId),
        ':first': COMMENT_RANGE.first,
        ':last': COMMENT_RANGE.last,
        ':status': status,
        ...(reported ? OPEN_REPORTS_FILTER.ExpressionAttributeValues : {}),
      },
    };
  }

  /** Counts page by page (Select COUNT reads keys, returns no items), stopping at the cap. */
  async countByStatus(
    status: CommentStatus,
    options: { articleId?: string; cap: number },
  ): Promise<BoundedCount> {
    const query =
      options.articleId === undefined
        ? {
            TableName: this.tableName,
            IndexName: 'byStatus',
            KeyConditionExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status },
          }
        : this.articleStatusQuery(status, options.articleId);
    return this.count(query, options.cap);
  }

  async countByEmail(emailHash: string): Promise<number> {
    const { count } = await this.count(
      {
        TableName: this.tableName,
        IndexName: 'byEmailHash',
        KeyConditionExpression: 'emailHash = :hash',
        ExpressionAttributeValues: { ':hash': emailHash },
      },
      Number.POSITIVE_INFINITY,
    );
    return count;
  }

  private async count(
    query: Omit<QueryCommandInput, 'Select' | 'ExclusiveStartKey'>,
    cap: number,
  ): Promise<BoundedCount> {
    let count = 0;
    let start: Item | undefined;
    try {
      do {
        const output = await this.client.send(
          new QueryCommand({ ...query, Select: 'COUNT', ExclusiveStartKey: start }),
        );
        count += output.Count ?? 0;
        start = output.LastEvaluatedKey;
      } while (start && count < cap);
    } catch (error) {
      translateStoreError(error);
    }
    return count >= cap ? { count: cap, capped: true } : { count, capped: false };
  }

  async publishedAuthors(emailHashes: readonly string[]): Promise<Set<string>> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: [...new Set(emailHashes)].map((hash) => keys.author(hash)),
      ProjectionExpression: 'PK',
    });
    return new Set(items.map((item) => String(item.PK).slice('AUTHOR#'.length)));
  }

  async findById(commentId: string): Promise<ModeratedComment | undefined> {
    try {
      const found = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byCommentId',
          KeyConditionExpression: 'commentId = :id',
          ExpressionAttributeValues: { ':id': commentId },
          Limit: 1,
        }),
      );
      const key = found.Items?.[0];
      if (!key) return undefined;
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { PK: key.PK, SK: key.SK },
          ConsistentRead: true,
        }),
      );
      return output.Item ? toModeratedComment(output.Item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async setStatus(
    current: CommentRecord,
    status: CommentStatus,
    tuning: readonly TuningCount[] = [],
    ground?: string,
    counted?: TransparencyCounts,
  ): Promise<void> {
    const author =
      status === 'published' && current.emailHash
        ? await this.authorEffect(current.emailHash)
        : 'known';
    await guardedCommentWrite(
      this.client,
      decisionItems(this.tableName, current, status, this.now(), author, tuning, ground, counted),
    );
  }

  /** An approval grants trust unless the author is known for good (docs/moderation.md, Undo). */
  private async authorEffect(emailHash: string): Promise<AuthorEffect> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.author(emailHash),
          ConsistentRead: true,
          ProjectionExpression: 'PK, provisional',
        }),
      );
      return !output.Item || output.Item.provisional === true ? 'grant' : 'known';
    } catch (error) {
      return translateStoreError(error);
    }
  }

  /**
   * One transaction restores the comment, its counts and pin and takes its grant from the author;
   * then a provisional author left with no grant is deleted. An author erased meanwhile has no
   * item to take the grant from: the undo goes ahead without it.
   */
  async undo(current: CommentRecord, decision: Decision): Promise<void> {
    const now = this.now();
    const withAuthor = decision.grantedAuthor && current.emailHash !== null;
    const items = undoItems(this.tableName, current, decision, now, withAuthor);
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new CommentNotFoundError();
      const authorGone = withAuthor && reasons?.at(-1)?.Code === 'ConditionalCheckFailed';
      if (!authorGone) translateStoreError(error);
      await guardedCommentWrite(
        this.client,
        undoItems(this.tableName, current, decision, now, false),
      );
    }
    if (!withAuthor || !current.emailHash) return;
    try {
      await this.client.send(
        new DeleteCommand(provisionalAuthorDeletion(this.tableName, current.emailHash)),
      );
    } catch (error) {
      // Known for good meanwhile, or another approval still stands: the author stays known.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      translateStoreError(error);
    }
  }

  /**
   * A decision that leaves the comment where it is (approving a published one) still decides its
   * reports: its count goes, on the condition that its status is still the one decided on.
   */
  async clearReports(current: CommentRecord): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: commentKey(current),
          UpdateExpression: 'SET moderatedAt = :now REMOVE reportCount',
          ConditionExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': this.now(), ':status': current.status },
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        throw new CommentNotFoundError();
      }
      translateStoreError(error);
    }
  }

  async remove(current: CommentRecord): Promise<void> {
    await guardedCommentWrite(
      this.client,
      commentDeletion(this.tableName, current, this.now(), { requireEditToken: false }),
    );
  }

  /**
   * Every comment with this email hash loses its email, its hash and its author details (a
   * signed-in reader's id at the site and marks too); the text stays, under the name "Deleted
   * user". A reader's reply notifications kept under their own key (with this address) go first,
   * while the comments still name that key. Each step is idempotent, so an interrupted erasure
   * can simply be run again.
   */
  async erase(emailHash: string): Promise<number> {
    const now = this.now();
    let erased = 0;
    try {
      for await (const keys of commentKeysOfEmail(this.client, this.tableName, emailHash)) {
        await this.forgetReaderSubscriptions(keys);
        for (const key of keys) {
          if (await this.eraseOne(key, now)) erased += 1;
        }
      }
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.author(emailHash) }),
      );
      // The address loses its reply notifications with its comments (docs/notifications.md).
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.subscriber(emailHash) }),
      );
    } catch (error) {
      translateStoreError(error);
    }
    return erased;
  }

  /** The subscriber items signed-in readers' comments among `keys` name (their own, with this address). */
  private async forgetReaderSubscriptions(commentKeys: ItemKey[]): Promise<void> {
    if (commentKeys.length === 0) return;
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: commentKeys,
      ConsistentRead: true,
      ProjectionExpression: 'PK, SK, subscriberHash',
    });
    const subscribers = new Set(
      items.flatMap((item) =>
        typeof item.subscriberHash === 'string' ? [item.subscriberHash] : [],
      ),
    );
    for (const subscriberHash of subscribers) {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.subscriber(subscriberHash) }),
      );
    }
  }

  private async eraseOne(key: ItemKey, now: string): Promise<boolean> {
    let erased: Item | undefined;
    try {
      const output = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET authorName = :name, erasedAt = :now REMOVE email, emailHash, authorWebsite, notify, commenterId, subscriberHash, verified, badges',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':name': ERASED_AUTHOR_NAME, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      erased = output.Attributes;
    } catch (error) {
      // Deleted between the index read and the update: nothing left to erase.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
    // A pinned comment's copies on the stats items lose the author's details too.
    if (erased?.pinned === true) {
      const articleId = String(erased.articleId);
      for (const Key of [keys.statsHead(articleId), keys.statsTail(articleId)]) {
        await this.client
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key,
              UpdateExpression:
                'SET pins.#pin.authorName = :name REMOVE pins.#pin.authorWebsite, pins.#pin.verified, pins.#pin.badges',
              ConditionExpression: 'attribute_exists(pins.#pin)',
              ExpressionAttributeNames: { '#pin': String(erased.commentId) },
              ExpressionAttributeValues: { ':name': ERASED_AUTHOR_NAME },
            }),
          )
          .catch((error: unknown) => {
            // Unpinned meanwhile: no copy left to fix.
            if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) {
              throw error;
            }
          });
      }
    }
    return true;
  }

  async article(articleId: string): Promise<StoredArticle> {
    try {
      const attributes = ['commentCount', 'pins', ...ARTICLE_SETTING_ATTRIBUTES];
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.statsHead(articleId),
          ConsistentRead: true,
          ProjectionExpression: attributes.map((name) => `#${name}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(
            attributes.map((name) => [`#${name}`, name]),
          ),
        }),
      );
      const item = output.Item ?? {};
      const pins = typeof item.pins === 'object' && item.pins !== null ? item.pins : {};
      return {
        ...settingsOf(item),
        articleId,
        commentCount: typeof item.commentCount === 'number' ? item.commentCount : 0,
        pinned: Object.keys(pins).sort(),
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  /** Both stats items at once, so the two ends of a comment page never disagree. */
  async changeArticle(articleId: string, change: StoredArticleChange): Promise<void> {
    const { set, remove, names, values } = settingsUpdate(change);
    const now = this.now();
    // The head item also goes on the articles index (ARTICLE_LIST), as every stats write puts it.
    const expression = (listed: string) =>
      [
        `SET entity = :entity, articleId = :articleId, updatedAt = :now${listed}${set.map((item) => `, ${item}`).join('')}`,
        ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
      ].join(' ');
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [keys.statsHead(articleId), keys.statsTail(articleId)].map(
            (Key, index) => {
              const listed = ARTICLE_LIST.on(index === 0);
              return {
                Update: {
                  TableName: this.tableName,
                  Key,
                  UpdateExpression: expression(listed.set),
                  ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
                  ExpressionAttributeValues: {
                    ...values,
                    ':entity': ENTITY.articleStats,
                    ':articleId': articleId,
                    ':now': now,
                    ...listed.values,
                  },
                },
              };
            },
          ),
        }),
      );
    } catch (error) {
      translateStoreError(error);
    }
  }

  /**
   * Two steps: make sure both stats items have a `pins` map (idempotent; a nested path cannot
   * be set in a map that does not exist yet), then one transaction that marks the comment, on
   * the condition that it is still published, and copies it onto both stats items, on the
   * condition that the article has fewer than `max` pins.
   */
  async pin(current: CommentRecord, max: number): Promise<void> {
    const now = this.now();
    const { articleId, commentId } = current;
    try {
      await ensureStatsMap(this.client, this.tableName, articleId, 'pins');
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: commentKey(current),
                UpdateExpression: 'SET pinned = :true, moderatedAt = :now',
                ConditionExpression: '#status = :published',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':true': true,
                  ':now': now,
                  ':published': 'published',
                },
              },
            },
            ...[keys.statsHead(articleId), keys.statsTail(articleId)].map((Key, index) => ({
              Update: {
                TableName: this.tableName,
                Key,
                UpdateExpression: 'SET pins.#pin = :copy, updatedAt = :now',
                // The head's check is enough: both items change together or not at all.
                ...(index === 0 ? { ConditionExpression: 'size(pins) < :max' } : {}),
                ExpressionAttributeNames: { '#pin': commentId },
                ExpressionAttributeValues: {
                  ':copy': toPinnedCopy(current),
                  ':now': now,
                  ...(index === 0 ? { ':max': max } : {}),
                },
              },
            })),
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') throw new NotPublishedError();
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') throw new TooManyPinsError(max);
      translateStoreError(error);
    }
  }

  async unpin(current: CommentRecord): Promise<void> {
    const now = this.now();
    const { articleId, commentId } = current;
    await guardedCommentWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: commentKey(current),
          UpdateExpression: 'SET moderatedAt = :now REMOVE pinned',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':now': now },
        },
      },
      ...[keys.statsHead(articleId), keys.statsTail(articleId)].map((Key) => ({
        Update: {
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET updatedAt = :now REMOVE pins.#pin',
          ExpressionAttributeNames: { '#pin': commentId },
          ExpressionAttributeValues: { ':now': now },
        },
      })),
    ]);
  }
}
