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
import { LINK_ACTION_ATTRIBUTES, LINK_PAGE_ATTRIBUTES, projection } from './attributes';
import { statusChange, toRecord } from './comment-items';
import { cancellationReasons, translateStoreError } from './errors';
import { ENTITY, keys } from './keys';

export class ModerationLinkRepository implements ModerationLinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    return this.read(articleId, commentId, LINK_PAGE_ATTRIBUTES);
  }

  findForAction(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    return this.read(articleId, commentId, LINK_ACTION_ATTRIBUTES);
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

  private async read(
    articleId: string,
    commentId: string,
    attributes: readonly string[],
  ): Promise<CommentRecord | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.commentById(articleId, commentId),
          ...projection(attributes),
          ConsistentRead: true,
        }),
      );
      return output.Item ? toRecord(output.Item) : undefined;
    } catch (error) {
      return translateStoreError(error);
    }
  }
}
