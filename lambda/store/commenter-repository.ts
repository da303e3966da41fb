/**
 * Commenter records for operators (domain/commenter-records.ts): the `COMMENTER#<commenterId>`
 * item (state, until, note, who set it when, earlier settings) and the commenter's comments
 * across articles by the index byCommenter (keys and status only). Only the /admin/ functions use
 * this; the create path's gate reads the state with the article's settings (comment-repository).
 */
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import type {
  CommenterActivity,
  CommenterSetting,
  CommenterStore,
  StoredCommenter,
} from '../domain/commenter-records';
import { COMMENTER_STATES, type CommenterState } from '../domain/commenters';
import { CommenterChangedError } from '../domain/errors';
import { batchGetAll } from './batch-get';
import { toRecord } from './comment-items';
import { translateStoreError } from './errors';
import { ENTITY, type ItemKey, keys } from './keys';
import { commentKeysOfEmail, getItem, queryPages } from './queries';

type Item = Record<string, unknown>;

/** The index of comments by commenterId, oldest first (lambda/store/table-definition.ts). */
export const BY_COMMENTER = 'byCommenter';
/** Counts stop here, as the queue's do (domain/admin.ts COUNT_CAP). */
const ACTIVITY_CAP = 10_000;

const isState = (value: unknown): value is CommenterState =>
  (COMMENTER_STATES as readonly unknown[]).includes(value);

function settingOf(item: Item): CommenterSetting {
  return {
    state: isState(item.state) ? item.state : 'normal',
    ...(typeof item.until === 'string' ? { until: item.until } : {}),
    setBy: typeof item.setBy === 'string' ? item.setBy : '',
    setAt: typeof item.setAt === 'string' ? item.setAt : '',
  };
}

function storedOf(item: Item): StoredCommenter {
  const history = Array.isArray(item.history) ? (item.history as Item[]) : [];
  return {
    ...settingOf(item),
    ...(typeof item.note === 'string' ? { note: item.note } : {}),
    history: history.map(settingOf),
  };
}

export class CommenterRepository implements CommenterStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(commenterId: string): Promise<StoredCommenter | undefined> {
    try {
      const item = await getItem(this.client, this.tableName, keys.commenter(commenterId));
      return item ? storedOf(item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  /**
   * Walks the commenter's keys in the index (oldest first, status projected), counting by
   * status, then reads the latest `recent` comments whole in one BatchGetItem.
   */
  async activity(commenterId: string, recent: number): Promise<CommenterActivity> {
    const counts = { published: 0, pending: 0, spam: 0 };
    let firstSeen: string | null = null;
    let latest: ItemKey[] = [];
    let seen = 0;
    try {
      for await (const items of queryPages(this.client, {
        TableName: this.tableName,
        IndexName: BY_COMMENTER,
        KeyConditionExpression: 'commenterId = :id',
        ExpressionAttributeValues: { ':id': commenterId },
      })) {
        for (const item of items) {
          firstSeen ??= typeof item.createdAt === 'string' ? item.createdAt : null;
          const status = item.status as keyof typeof counts;
          if (status in counts) counts[status] += 1;
          latest.push({ PK: String(item.PK), SK: String(item.SK) });
          seen += 1;
        }
        latest = latest.slice(-recent);
        if (seen >= ACTIVITY_CAP) break;
      }
      const items =
        latest.length === 0
          ? []
          : await batchGetAll(this.client, this.tableName, { Keys: latest, ConsistentRead: true });
      const comments: CommentRecord[] = items
        .filter((item) => item.entity === ENTITY.comment)
        .map(toRecord)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { counts, firstSeen, recent: comments };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async save(
    commenterId: string,
    next: StoredCommenter,
    previousSetAt: string | null,
  ): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.commenter(commenterId), entity: ENTITY.commenter, ...next },
          ...(previousSetAt === null
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: 'setAt = :previous',
                ExpressionAttributeValues: { ':previous': previousSetAt },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') {
        throw new CommenterChangedError();
      }
      translateStoreError(error);
    }
  }

  async idsOfEmail(emailHash: string): Promise<string[]> {
    const ids = new Set<string>();
    try {
      for await (const commentKeys of commentKeysOfEmail(this.client, this.tableName, emailHash)) {
        if (commentKeys.length > 0) {
          const items = await batchGetAll(this.client, this.tableName, {
            Keys: commentKeys,
            ProjectionExpression: 'commenterId',
          });
          for (const item of items) {
            if (typeof item.commenterId === 'string') ids.add(item.commenterId);
          }
        }
      }
    } catch (error) {
      translateStoreError(error);
    }
    return [...ids];
  }

  async forgetNote(commenterId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.commenter(commenterId),
          UpdateExpression: 'REMOVE note',
          ConditionExpression: 'attribute_exists(PK)',
        }),
      );
    } catch (error) {
      // No record: nothing to forget.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      translateStoreError(error);
    }
  }
}
