/**
 * What the moderators' link pages read and write (docs/notifications.md, "Moderators"): a comment
 * by its key, projected (never the email), the once-only marker of a used link, and the one
 * transaction that records the link's use together with the status change it makes.
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import type { LinkActResult, ModerationLinkStore } from '../domain/notification-links';
import type { ModerationAction } from '../domain/notifications';
import type { ModeratedComment } from '../domain/ports';
import type { TuningCount } from '../domain/screen-tuning';
import { LINK_ACTION_ATTRIBUTES, LINK_PAGE_ATTRIBUTES, projection } from './attributes';
import { statusChange } from './comment-items';
import { translateStoreError } from './errors';
import { getComment, getCommentItem } from './get-comment';
import { ENTITY, keys } from './keys';
import { toModeratedComment } from './moderation-decisions';
import { tuningUpdates } from './screen-tuning';
import { markedWrite } from './transactions';

export class ModerationLinkRepository implements ModerationLinkStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined> {
    return getComment(this.client, this.tableName, { articleId, commentId }, LINK_PAGE_ATTRIBUTES);
  }

  async findForAction(articleId: string, commentId: string): Promise<ModeratedComment | undefined> {
    const item = await getCommentItem(
      this.client,
      this.tableName,
      { articleId, commentId },
      LINK_ACTION_ATTRIBUTES,
    );
    return item ? toModeratedComment(item) : undefined;
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

  act(
    markerId: string,
    expiresAtSeconds: number,
    current: CommentRecord,
    status: ModerationAction,
    tuning: readonly TuningCount[] = [],
  ): Promise<LinkActResult> {
    const now = new Date(this.clock()).toISOString();
    return markedWrite(
      this.client,
      this.tableName,
      { ...keys.linkUse(markerId), entity: ENTITY.linkUse, expiresAt: expiresAtSeconds },
      // A first decision on the screen's verdict counts for tuning, in the same transaction.
      [
        ...statusChange(this.tableName, current, status, now),
        ...tuningUpdates(this.tableName, tuning, now, 1),
      ],
    );
  }
}
