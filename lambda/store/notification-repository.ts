/**
 * What the mail functions read and write (docs/notifications.md): whole comments (email
 * included: only these functions and the operators' may), subscribers, the byStatus index for a
 * window's held comments, and the once-only markers of sent mail.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CommentRecord } from '../domain/comment';
import type { NoticeRecord } from '../domain/notices';
import type {
  CommentRef,
  MailedComment,
  NotificationStore,
  SubscriberRecord,
  SubscriberState,
} from '../domain/notifications';
import type { ReportDecision } from '../domain/reports';
import { batchGetAll } from './batch-get';
import { toRecord } from './comment-items';
import { translateStoreError } from './errors';
import { getCommentItem } from './get-comment';
import { ENTITY, keys } from './keys';
import { toModeratedComment } from './moderation-decisions';
import { getItem, queryPages } from './queries';

export class NotificationRepository implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** With the decision on it: a statement of reasons is about it (domain/statements.ts). */
  async findComment(articleId: string, commentId: string): Promise<MailedComment | undefined> {
    const item = await getCommentItem(this.client, this.tableName, { articleId, commentId });
    return item ? toModeratedComment(item) : undefined;
  }

  async findComments(refs: readonly CommentRef[]): Promise<MailedComment[]> {
    const items = await batchGetAll(this.client, this.tableName, {
      Keys: refs.map(({ articleId, commentId }) => keys.commentById(articleId, commentId)),
      ConsistentRead: true,
    });
    return items.map(toModeratedComment);
  }

  /** A report item, read consistently, with the notifier's email where one was given. */
  async findNotice(commentId: string, reporterHash: string): Promise<NoticeRecord | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.report(commentId, reporterHash),
          ConsistentRead: true,
        }),
      );
      const item = output.Item;
      if (!item) return undefined;
      return {
        articleId: String(item.articleId),
        commentId,
        reporterHash,
        reason: String(item.reason),
        receivedAt: String(item.receivedAt),
        ...(typeof item.email === 'string' ? { email: item.email } : {}),
        ...(typeof item.decision === 'string' ? { decision: item.decision as ReportDecision } : {}),
        ...(typeof item.decidedAt === 'string' ? { decidedAt: item.decidedAt } : {}),
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async subscriber(emailHash: string): Promise<SubscriberRecord | undefined> {
    try {
      const item = await getItem(this.client, this.tableName, keys.subscriber(emailHash));
      if (!item) return undefined;
      return {
        emailHash,
        email: String(item.email),
        state: String(item.state) as SubscriberState,
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async markConfirmationSent(
    subscriber: { emailHash: string; email: string },
    commentId: string,
    now: string,
    notBefore: string,
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscriber(subscriber.emailHash),
        // pendingSince: when this request began (kept by a repeat, dropped by unsubscribing); a
        // confirmation link issued before it confirms nothing.
        UpdateExpression:
          'SET entity = :entity, email = :email, #state = :pending, confirmationSentAt = :now, confirmationFor = :comment, pendingSince = if_not_exists(pendingSince, :now)',
        // A new address; or one not confirmed whose last confirmation is a day old, or was for
        // this very comment (a redelivery, which the sender's marker then keeps to one mail).
        ConditionExpression:
          'attribute_not_exists(PK) OR (#state <> :confirmed AND (confirmationSentAt < :notBefore OR confirmationFor = :comment))',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':entity': ENTITY.subscriber,
          ':email': subscriber.email,
          ':pending': 'pending',
          ':confirmed': 'confirmed',
          ':now': now,
          ':notBefore': notBefore,
          ':comment': commentId,
        },
      }),
    );
  }

  confirm(emailHash: string, issuedAt: string, now: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscriber(emailHash),
        UpdateExpression: 'SET #state = :confirmed, confirmedAt = if_not_exists(confirmedAt, :now)',
        // An address that unsubscribed since, or was erased, is not brought back by an old link,
        // even once someone asks for it again (pendingSince is then later than the link).
        ConditionExpression: '#state IN (:pending, :confirmed) AND pendingSince <= :issued',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':confirmed': 'confirmed',
          ':pending': 'pending',
          ':issued': issuedAt,
          ':now': now,
        },
      }),
    );
  }

  async subscriptionState(
    emailHash: string,
  ): Promise<{ state: SubscriberState; pendingSince: string | null } | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.subscriber(emailHash),
          // Right after a confirmation, its page must see it.
          ConsistentRead: true,
          ProjectionExpression: '#state, pendingSince',
          ExpressionAttributeNames: { '#state': 'state' },
        }),
      );
      const item = output.Item;
      if (!item) return undefined;
      return {
        state: String(item.state) as SubscriberState,
        pendingSince: typeof item.pendingSince === 'string' ? item.pendingSince : null,
      };
    } catch (error) {
      return translateStoreError(error);
    }
  }

  async unsubscribe(emailHash: string, now: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.subscriber(emailHash),
        UpdateExpression: 'SET #state = :unsubscribed, unsubscribedAt = :now REMOVE pendingSince',
        // Never creates an item: an erased address stays erased.
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':unsubscribed': 'unsubscribed', ':now': now },
      }),
    );
  }

  async heldBetween(from: string, to: string): Promise<CommentRecord[]> {
    const held: CommentRecord[] = [];
    try {
      for await (const items of queryPages(this.client, {
        TableName: this.tableName,
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :pending AND createdAt BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':from': from, ':to': to },
      })) {
        held.push(...items.map(toRecord));
      }
    } catch (error) {
      translateStoreError(error);
    }
    // BETWEEN includes its end; a window is half-open so a comment belongs to exactly one.
    return held.filter((comment) => comment.createdAt < to);
  }

  claimMail(markerId: string, expiresAtSeconds: number): Promise<boolean> {
    return this.putOnce(keys.mailMarker(markerId), ENTITY.mailMarker, expiresAtSeconds);
  }

  async releaseMail(markerId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.mailMarker(markerId) }),
      );
    } catch (error) {
      translateStoreError(error);
    }
  }

  async countReply(
    emailHash: string,
    windowStart: string,
    reply: CommentRef,
    cap: number,
    expiresAtSeconds: number,
  ): Promise<'send' | 'digest'> {
    const key = keys.notifiedHour(emailHash, windowStart);
    const member = refMember(reply);
    const values = {
      ':entity': ENTITY.notifiedHour,
      ':expiresAt': expiresAtSeconds,
      ':reply': new Set([member]),
    };
    const sent = await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD sent :reply',
        // Under the cap, or this very reply counted before (a redelivery).
        ConditionExpression:
          'attribute_not_exists(sent) OR size(sent) < :cap OR contains(sent, :one)',
        ExpressionAttributeValues: { ...values, ':cap': cap, ':one': member },
      }),
    );
    if (sent) return 'send';
    await this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET entity = :entity, expiresAt = :expiresAt ADD held :reply',
        ExpressionAttributeValues: values,
      }),
    );
    return 'digest';
  }

  async digestReplies(emailHash: string, windowStart: string): Promise<CommentRef[]> {
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.notifiedHour(emailHash, windowStart),
          ProjectionExpression: 'held',
          ConsistentRead: true,
        }),
      );
      const held = output.Item?.held;
      return held instanceof Set ? [...held].map((member) => refOf(String(member))) : [];
    } catch (error) {
      return translateStoreError(error);
    }
  }

  private putOnce(
    key: { PK: string; SK: string },
    entity: string,
    expiresAt: number,
  ): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key, entity, expiresAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /** True when the write was made, false when its condition did not hold. */
  private async conditional(command: UpdateCommand | PutCommand): Promise<boolean> {
    try {
      await this.client.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      return translateStoreError(error);
    }
  }
}

/** A reply in a string set: article ids have no spaces (docs/api.md), so a space divides. */
const refMember = (ref: CommentRef): string => `${ref.articleId} ${ref.commentId}`;

function refOf(member: string): CommentRef {
  const [articleId = '', commentId = ''] = member.split(' ');
  return { articleId, commentId };
}
