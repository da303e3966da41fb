/**
 * What the moderators' link pages read and write (docs/notifications.md, "Moderators"): a comment
 * by its key, projected (never the email), the once-only marker of a used link, and the one
 * transaction that records the link's use together with the status change it makes.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import type { LinkActResult, ModerationLinkStore } from '../domain/notification-links';
import type { ModerationAction } from '../domain/notifications';
import type { ModeratedComment } from '../domain/ports';
import type { TuningCount } from '../domain/screen-tuning';
import { LINK_ACTION_ATTRIBUTES, LINK_PAGE_ATTRIBUTES, projection } from './attributes';
import { statusChange, toRecord } from './comment-items';
import { cancellationReasons, translateStoreError } from './errors';
import { ENTITY, keys } from './keys';
import { toModeratedComment } from './moderation-decisions';
import { tuningUpdates } from './screen-tuning';

export class ModerationLinkRepository implements ModerationLinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    return this.read(articleId, commentId, LINK_PAGE_ATTRIBUTES, toRecord);
  }

  findForAction(articleId: string, commentId: string): Promise<ModeratedComment | undefined> {
    return this.read(articleId, commentId, LINK_ACTION_ATTRIBUTES, toModeratedComment);
  }

  async linkUsed(markerId: string): Promise<boolean> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.linkUse(markerId),
          ...projection(['PK']),
          ConsistentRead: true,
        }),
      );
      return output.Item !== undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async act(
    markerId: string,
    expiresAtSeconds: number,
    current: CommentRecord,
    status: ModerationAction,
    tuning: readonly TuningCount[] = [],
  ): Promise<LinkActResult> {
    const now = new Date(this.clock()).toISOString();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.linkUse(markerId),
                  entity: ENTITY.linkUse,
                  expiresAt: expiresAtSeconds,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...statusChange(this.tableName, current, status, now),
            ...tuningUpdates(this.tableName, tuning, now, 1),
          ],
        }),
      );
      return 'done';
    } catch (error) {
      const [marker, comment] = cancellationReasons(error) ?? [];
      if (marker?.Code === 'ConditionalCheckFailed') return 'used';
      if (comment?.Code === 'ConditionalCheckFailed') return 'changed';
      return translateStoreError(error);
    }
  }

  private async read<T>(
    articleId: string,
    commentId: string,
    attributes: readonly string[],
    toComment: (item: Record<string, unknown>) => T,
  ): Promise<T | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.commentById(articleId, commentId),
          ...projection(attributes),
          ConsistentRead: true,
        }),
      );
      return output.Item ? toComment(output.Item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }
}
