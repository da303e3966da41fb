/**
 * Imported comments, written the way a new comment is (lambda/store/comment-items.ts): the same
 * item, the count items of its article when it is published, and its author's item. Each comment
 * is put on the condition that its key is free, so an import run again writes nothing and counts
 * nothing twice. A batch is split into transactions of up to 100 items; a comment that is already
 * there (or a reply whose parent is not) is taken out and the rest of its transaction tried again,
 * so every count moves exactly with the comments written in the same transaction. An author
 * record that an earlier batch wrote (the sender says so) is left out: it is what most of a
 * transaction's items were, and the same record written again changes nothing.
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import type { ImportedReactions, ImportResult, ImportStore } from '../domain/imports';
import { placeholder } from './attributes';
import { authorUpdate, countUpdates, toItem } from './comment-items';
import { cancellationReasons, isTransactionConflict, translateStoreError } from './errors';
import { ARTICLE_LIST, ENTITY, keys } from './keys';
import { markedWrite } from './transactions';

/** DynamoDB's limit of items in one TransactWriteItems. */
const TRANSACTION_MAX_ITEMS = 100;

/** Tries of one transaction that collides with another write (the reaction tally's, say). */
const CONFLICT_ATTEMPTS = 5;

type CommentsResult = Pick<ImportResult, 'imported' | 'existing' | 'parentMissing'>;

type Role = { kind: 'put'; id: string } | { kind: 'parent'; id: string } | { kind: 'count' };

interface Transaction {
  items: Record<string, unknown>[];
  roles: Role[];
}

type AuthorOf = (record: CommentRecord) => string | null;

/** The items a comment adds to a transaction that does not have them yet. */
function itemsAdded(
  record: CommentRecord,
  articles: Set<string>,
  authors: Set<string>,
  authorOf: AuthorOf,
): number {
  if (record.status !== 'published') return 1;
  const stats = articles.has(record.articleId) ? 0 : 2;
  const author = authorOf(record);
  return 1 + stats + (author !== null && !authors.has(author) ? 1 : 0);
}

/** Marks an article's reaction counts as imported. */
function reactionsMarker(articleId: string) {
  return { PK: `IMPORT#${articleId}`, SK: 'REACTIONS' };
}

export class ImportRepository implements ImportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async importComments(
    records: CommentRecord[],
    recordedAuthors: ReadonlySet<string> = new Set(),
    parentGone: ReadonlySet<string> = new Set(),
  ): Promise<CommentsResult> {
    const result: CommentsResult = { imported: [], existing: [], parentMissing: [] };
    /**
     * Comments known to be in the table: written by this batch or found there. A deleted parent
     * counts as known, so its replies are written without looking for it.
     */
    const known = new Set<string>();
    for (const record of records) {
      if (record.parentId !== null && parentGone.has(record.commentId)) known.add(record.parentId);
    }
    /** The author record a published comment's transaction writes, unless already written. */
    const authorOf = (record: CommentRecord): string | null =>
      record.status === 'published' &&
      record.emailHash !== null &&
      !recordedAuthors.has(record.emailHash)
        ? record.emailHash
        : null;
    for (const chunk of this.chunks(records, authorOf)) {
      await this.writeChunk(chunk, known, result, authorOf);
    }
    return result;
  }

  /**
   * An article's imported reaction counts, added to its first counter shard and its total, with a
   * marker item put on the condition that it is not there: an article's counts are imported
   * once, however often the import runs.
   */
  async importReactions({ articleId, counts }: ImportedReactions): Promise<boolean> {
    const reactions = Object.entries(counts).filter(([, count]) => count > 0);
    const names: Record<string, string> = { '#shard': 'shard' };
    const values: Record<string, unknown> = {
      ':one': 1,
      ':entity': ENTITY.reactionCounts,
      ':articleId': articleId,
      ':shard': 0,
      ':now': new Date(this.clock()).toISOString(),
    };
    const adds = reactions.map(([key, count], index) => {
      names[placeholder(key)] = key;
      values[`:n${index}`] = count;
      return `${placeholder(key)} :n${index}`;
    });
    // Only the head is written: it lists the article (lambda/store/keys.ts ARTICLE_LIST).
    const listed = ARTICLE_LIST.on(true);
    const result = await markedWrite(
      this.client,
      this.tableName,
      { ...reactionsMarker(articleId), entity: 'ImportedReactions', articleId, counts },
      [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.reactionShard(articleId, 0),
            UpdateExpression: `ADD ${[...adds, 'writes :one'].join(', ')} SET entity = :entity, articleId = :articleId, #shard = :shard, updatedAt = :now`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        {
          // The tally runs on votes only; this moves the total (and the writes it was made
          // from) as the tally would, so GET /counts shows the imported total at once, and gives
          // the counts by reaction the thread shows to an article that has none tallied yet (a
          // vote there afterwards tallies every shard, the imported one included).
          Update: {
            TableName: this.tableName,
            Key: keys.statsHead(articleId),
            UpdateExpression: `ADD reactionTotal :total, reactionWrites :one SET reactionCounts = if_not_exists(reactionCounts, :counts), entity = :entity, articleId = :articleId, updatedAt = :now${listed.set}`,
            ExpressionAttributeValues: {
              ':total': reactions.reduce((sum, [, count]) => sum + count, 0),
              ':counts': Object.fromEntries(reactions),
              ':one': 1,
              ':entity': ENTITY.articleStats,
              ':articleId': articleId,
              ':now': values[':now'],
              ...listed.values,
            },
          },
        },
      ],
    );
    return result === 'done';
  }

  /**
   * Consecutive runs of comments that fit one transaction: each comment's put and parent check,
   * and once per transaction each article's two count items and each author's item.
   */
  private *chunks(records: CommentRecord[], authorOf: AuthorOf): Generator<CommentRecord[]> {
    let chunk: CommentRecord[] = [];
    let size = 0;
    let articles = new Set<string>();
    let authors = new Set<string>();
    for (const record of records) {
      // A reply counts its parent check even when the parent is in this chunk: a bound, not a sum.
      const parentCheck = record.parentId === null ? 0 : 1;
      if (
        size + itemsAdded(record, articles, authors, authorOf) + parentCheck >
        TRANSACTION_MAX_ITEMS
      ) {
        yield chunk;
        chunk = [];
        size = 0;
        articles = new Set();
        authors = new Set();
      }
      size += itemsAdded(record, articles, authors, authorOf) + parentCheck;
      chunk.push(record);
      if (record.status === 'published') {
        articles.add(record.articleId);
        const author = authorOf(record);
        if (author !== null) authors.add(author);
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  private build(pending: CommentRecord[], known: Set<string>, authorOf: AuthorOf): Transaction {
    const now = new Date(this.clock()).toISOString();
    const inTransaction = new Set(pending.map((record) => record.commentId));
    const items: Record<string, unknown>[] = [];
    const roles: Role[] = [];
    const counts = new Map<string, number>();
    /** Each article's earliest published comment in the batch: where autoCloseDays counts from. */
    const earliest = new Map<string, string>();
    const authors = new Map<string, string>();
    for (const record of pending) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
      roles.push({ kind: 'put', id: record.commentId });
      const { parentId } = record;
      if (parentId !== null && !inTransaction.has(parentId) && !known.has(parentId)) {
        items.push({
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.commentById(record.articleId, parentId),
            ConditionExpression: 'attribute_exists(PK)',
          },
        });
        roles.push({ kind: 'parent', id: record.commentId });
      }
      if (record.status === 'published') {
        counts.set(record.articleId, (counts.get(record.articleId) ?? 0) + 1);
        const first = earliest.get(record.articleId);
        if (first === undefined || record.createdAt < first) {
          earliest.set(record.articleId, record.createdAt);
        }
        const author = authorOf(record);
        if (author !== null) {
          const last = authors.get(author);
          if (last === undefined || record.createdAt > last) authors.set(author, record.createdAt);
        }
      }
    }
    for (const [articleId, delta] of counts) {
      const postedAt = earliest.get(articleId);
      for (const update of countUpdates(this.tableName, articleId, delta, now, { postedAt })) {
        items.push(update);
        roles.push({ kind: 'count' });
      }
    }
    for (const [emailHash, lastPublishedAt] of authors) {
      items.push(authorUpdate(this.tableName, emailHash, lastPublishedAt, false));
      roles.push({ kind: 'count' });
    }
    return { items, roles };
  }

  private async writeChunk(
    chunk: CommentRecord[],
    known: Set<string>,
    result: CommentsResult,
    authorOf: AuthorOf,
  ): Promise<void> {
    let pending = chunk;
    let conflicts = 0;
    while (pending.length > 0) {
      const { items, roles } = this.build(pending, known, authorOf);
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        for (const record of pending) {
          result.imported.push(record.commentId);
          known.add(record.commentId);
        }
        return;
      } catch (error) {
        const reasons = cancellationReasons(error);
        const failed = new Map<string, 'existing' | 'parent-missing'>();
        reasons?.forEach((reason, index) => {
          const role = roles[index];
          if (reason.Code !== 'ConditionalCheckFailed' || !role || role.kind === 'count') return;
          failed.set(role.id, role.kind === 'put' ? 'existing' : 'parent-missing');
        });
        if (failed.size > 0) {
          pending = this.without(pending, failed, known, result);
          continue;
        }
        if (isTransactionConflict(reasons) && ++conflicts < CONFLICT_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * conflicts));
          continue;
        }
        translateStoreError(error);
      }
    }
  }

  /**
   * The comments left to write once those found already there, and the replies whose parent is
   * missing (with their own replies in the batch), are taken out and reported.
   */
  private without(
    pending: CommentRecord[],
    failed: Map<string, 'existing' | 'parent-missing'>,
    known: Set<string>,
    result: CommentsResult,
  ): CommentRecord[] {
    const missing = new Set<string>();
    const left: CommentRecord[] = [];
    for (const record of pending) {
      const outcome = failed.get(record.commentId);
      if (outcome === 'existing') {
        result.existing.push(record.commentId);
        known.add(record.commentId);
      } else if (
        outcome === 'parent-missing' ||
        (record.parentId !== null && missing.has(record.parentId))
      ) {
        result.parentMissing.push(record.commentId);
        missing.add(record.commentId);
      } else {
        left.push(record);
      }
    }
    return left;
  }
}
