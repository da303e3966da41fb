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
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CommentRecord, type CommentStatus, ERASED_AUTHOR_NAME } from '../domain/comment';
import type { ModerationPage, ModerationStore } from '../domain/ports';
import {
  authorUpdate,
  commentDeletion,
  commentKey,
  countDelta,
  countUpdates,
  toRecord,
} from './comment-items';
import { translateStoreError } from './errors';
import { keys } from './keys';
import { guardedCommentWrite } from './transactions';

type Item = Record<string, unknown>;

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
  ): Promise<ModerationPage> {
    try {
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

  async findById(commentId: string): Promise<CommentRecord | undefined> {
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
      return output.Item ? toRecord(output.Item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async setStatus(current: CommentRecord, status: CommentStatus): Promise<void> {
    const now = this.now();
    const delta = countDelta(current.status, status);
    await guardedCommentWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: commentKey(current),
          UpdateExpression: 'SET #status = :to, moderatedAt = :now',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': status, ':from': current.status, ':now': now },
        },
      },
      ...(delta === 0 ? [] : countUpdates(this.tableName, current.articleId, delta, now)),
      // Approving a comment makes its author known to the first-time policy.
      ...(status === 'published' && current.emailHash
        ? [authorUpdate(this.tableName, current.emailHash, now, false)]
        : []),
    ]);
  }

  async remove(current: CommentRecord): Promise<void> {
    await guardedCommentWrite(
      this.client,
      commentDeletion(this.tableName, current, this.now(), { requireEditToken: false }),
    );
  }

  /**
   * Every comment with this email hash loses its email, its hash and its author details; the
   * text stays, under the name "Deleted user". Each comment is one idempotent update, so an
   * interrupted erasure can simply be run again.
   */
  async erase(emailHash: string): Promise<number> {
    const now = this.now();
    let erased = 0;
    let after: Item | undefined;
    try {
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'byEmailHash',
            KeyConditionExpression: 'emailHash = :hash',
            ExpressionAttributeValues: { ':hash': emailHash },
            ExclusiveStartKey: after,
          }),
        );
        for (const key of page.Items ?? []) {
          if (await this.eraseOne({ PK: key.PK, SK: key.SK }, now)) erased += 1;
        }
        after = page.LastEvaluatedKey;
      } while (after);
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

  private async eraseOne(key: Item, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET authorName = :name, erasedAt = :now REMOVE email, emailHash, authorWebsite, notify',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':name': ERASED_AUTHOR_NAME, ':now': now },
        }),
      );
      return true;
    } catch (error) {
      // Deleted between the index read and the update: nothing left to erase.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
