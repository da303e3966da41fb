/**
 * The webhook functions' reads and markers (lambda/domain/webhooks.ts): a stream batch's comments
 * and one comment, read consistently and projected to what an event carries (the email only
 * where an endpoint opted in), and the once-only marker of each delivery.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CommentStatus } from '../domain/comment';
import type { CommentRef } from '../domain/notifications';
import type { HookComment, HookStore } from '../domain/webhooks';
import { HOOK_READ_ATTRIBUTES, projection } from './attributes';
import { batchGetAll } from './batch-get';
import { toRecord } from './comment-items';
import { translateStoreError } from './errors';
import { ENTITY, keys } from './keys';

type Item = Record<string, unknown>;

const STATUSES: readonly string[] = ['pending', 'published', 'spam'];

function toHookComment(item: Item): HookComment {
  const decision = item.decision as { from?: unknown } | undefined;
  return {
    ...toRecord(item),
    ...(typeof item.moderatedAt === 'string' ? { moderatedAt: item.moderatedAt } : {}),
    ...(STATUSES.includes(String(decision?.from))
      ? { decidedFrom: decision?.from as CommentStatus }
      : {}),
  };
}

export class WebhookRepository implements HookStore {
  private readonly read: ReturnType<typeof projection>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Whether an endpoint opted in to the commenter's email: only then is it read. */
    includeEmail: boolean,
  ) {
    this.read = projection([...HOOK_READ_ATTRIBUTES, ...(includeEmail ? ['email'] : [])]);
  }

  async findComments(refs: readonly CommentRef[]): Promise<HookComment[]> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: refs.map(({ articleId, commentId }) => keys.commentById(articleId, commentId)),
      ConsistentRead: true,
      ...this.read,
    });
    return items.map(toHookComment);
  }

  async findComment({ articleId, commentId }: CommentRef): Promise<HookComment | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.commentById(articleId, commentId),
          ConsistentRead: true,
          ...this.read,
        }),
      );
      return output.Item ? toHookComment(output.Item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async claim(markerId: string, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.hookMarker(markerId),
            entity: ENTITY.hookMarker,
            expiresAt: expiresAtSeconds,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      return translateStoreError(error);
    }
  }

  async release(markerId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.hookMarker(markerId) }),
      );
    } catch (error) {
      translateStoreError(error);
    }
  }
}
