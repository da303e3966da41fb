/**
 * The transaction items of a moderator's decision and of its undo (lambda/domain/moderation-undo.ts).
 *
 * The author's trust: an AUTHOR item exists once an address has had a comment published. An
 * approval that is what makes the address known marks the item `provisional` and adds the
 * comment to its `grantedBy` set; undoing it takes the comment out, and a provisional item left
 * with no grant is deleted. A publication that cannot be undone (authorUpdate) makes the trust
 * permanent by removing both marks.
 */
import type { CommentRecord, CommentStatus } from '../domain/comment';
import type { Decision } from '../domain/moderation-undo';
import type { ModeratedComment } from '../domain/ports';
import { type TuningCount, verdictOutcomes } from '../domain/screen-tuning';
import {
  authorUpdate,
  commentKey,
  countDelta,
  countUpdates,
  toPinnedCopy,
  toRecord,
} from './comment-items';
import { ARTICLE_LIST, ENTITY, keys } from './keys';
import { tuningUpdates } from './screen-tuning';

const STATUSES: readonly string[] = ['pending', 'published', 'spam'];

/** A comment item with its recorded decision, when the item carries a well-formed one. */
export function toModeratedComment(item: Record<string, unknown>): ModeratedComment {
  const record = toRecord(item);
  const d = item.decision as Record<string, unknown> | undefined;
  if (
    typeof d !== 'object' ||
    d === null ||
    !STATUSES.includes(String(d.from)) ||
    !STATUSES.includes(String(d.to)) ||
    typeof d.at !== 'string'
  ) {
    return record;
  }
  return {
    ...record,
    decision: {
      from: d.from as CommentStatus,
      to: d.to as CommentStatus,
      at: d.at,
      unpinned: d.unpinned === true,
      grantedAuthor: d.grantedAuthor === true,
      ...(d.tuned === true ? { tuned: true as const } : {}),
    },
  };
}

/** How a decision to publish touches the author's item. */
export type AuthorEffect = 'grant' | 'known';

/**
 * The decision's items: the comment (conditional on its status), its counts, the screen's tuning
 * counts it makes (`tuning`), and its author.
 */
export function decisionItems(
  tableName: string,
  current: CommentRecord,
  status: CommentStatus,
  now: string,
  author: AuthorEffect,
  tuning: readonly TuningCount[] = [],
) {
  const unpinned = current.pinned === true && status !== 'published';
  const publishes = status === 'published' && current.emailHash !== null;
  const decision: Decision = {
    from: current.status,
    to: status,
    at: now,
    unpinned,
    grantedAuthor: publishes && author === 'grant',
    ...(tuning.length > 0 ? { tuned: true as const } : {}),
  };
  const delta = countDelta(current.status, status);
  return [
    {
      Update: {
        TableName: tableName,
        Key: commentKey(current),
        UpdateExpression: `SET #status = :to, moderatedAt = :now, decision = :decision${unpinned ? ' REMOVE pinned' : ''}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': status,
          ':from': current.status,
          ':now': now,
          ':decision': decision,
        },
      },
    },
    ...(delta === 0 && !unpinned
      ? []
      : countUpdates(tableName, current.articleId, delta, now, {
          unpin: unpinned ? current.commentId : undefined,
          postedAt: current.createdAt,
        })),
    ...tuningUpdates(tableName, tuning, now, 1),
    ...(publishes && current.emailHash
      ? [
          decision.grantedAuthor
            ? authorGrant(tableName, current.emailHash, current.commentId, now)
            : authorUpdate(tableName, current.emailHash, now, false),
        ]
      : []),
  ];
}

/**
 * Adds the comment to a provisional author's grants, creating the item if needed; on the
 * condition that the author is not known for good meanwhile (then nothing needs undoing).
 */
function authorGrant(tableName: string, emailHash: string, commentId: string, now: string) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.author(emailHash),
      UpdateExpression:
        'SET entity = :entity, lastPublishedAt = :now, provisional = :true ADD grantedBy :grant',
      ConditionExpression: 'attribute_not_exists(PK) OR provisional = :true',
      ExpressionAttributeValues: {
        ':entity': ENTITY.author,
        ':now': now,
        ':true': true,
        ':grant': new Set([commentId]),
      },
    },
  };
}

/**
 * The undo's items, on the condition that the comment still carries this decision: its status
 * back, its pin and counts back, and its grant taken from the author (when `withAuthor`).
 */
export function undoItems(
  tableName: string,
  current: CommentRecord,
  decision: Decision,
  now: string,
  /** The author's grant goes too: false when the decision granted none, or the item is gone. */
  withAuthor: boolean,
) {
  const delta = countDelta(decision.to, decision.from);
  const repin = decision.unpinned;
  const stats = [keys.statsHead(current.articleId), keys.statsTail(current.articleId)];
  return [
    {
      Update: {
        TableName: tableName,
        Key: commentKey(current),
        UpdateExpression: `SET #status = :from, moderatedAt = :now${repin ? ', pinned = :true' : ''} REMOVE decision`,
        ConditionExpression: '#status = :to AND decision.#at = :at',
        ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
        ExpressionAttributeValues: {
          ':from': decision.from,
          ':to': decision.to,
          ':at': decision.at,
          ':now': now,
          ...(repin ? { ':true': true } : {}),
        },
      },
    },
    ...(delta === 0 && !repin
      ? []
      : stats.map((Key, index) => {
          // As every count update, the head lists the article (keys.ts ARTICLE_LIST).
          const listed = ARTICLE_LIST.on(index === 0);
          return {
            Update: {
              TableName: tableName,
              Key,
              // The pin's copy goes back into the map the decision took it from, which is still there.
              UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${listed.set}${repin ? ', pins.#pin = :copy' : ''}`,
              ...(repin ? { ExpressionAttributeNames: { '#pin': current.commentId } } : {}),
              ExpressionAttributeValues: {
                ':delta': delta,
                ':entity': ENTITY.articleStats,
                ':articleId': current.articleId,
                ':now': now,
                ...listed.values,
                ...(repin ? { ':copy': toPinnedCopy(current) } : {}),
              },
            },
          };
        })),
    // The counts the decision made, taken back in its month (before the author's item, whose
    // failure the caller reads as the transaction's last).
    ...(decision.tuned
      ? tuningUpdates(
          tableName,
          verdictOutcomes(
            { status: decision.from, holdReasons: current.holdReasons },
            decision.to,
            false,
          ),
          decision.at,
          -1,
        )
      : []),
    ...(withAuthor && current.emailHash
      ? [
          {
            Update: {
              TableName: tableName,
              Key: keys.author(current.emailHash),
              UpdateExpression: 'DELETE grantedBy :grant',
              // Erased meanwhile: no item to take the grant from (the caller retries without).
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':grant': new Set([current.commentId]) },
            },
          },
        ]
      : []),
  ];
}

/** Deletes a provisional author item that has no grant left; a no-op for any other. */
export function provisionalAuthorDeletion(tableName: string, emailHash: string) {
  return {
    TableName: tableName,
    Key: keys.author(emailHash),
    ConditionExpression: 'provisional = :true AND attribute_not_exists(grantedBy)',
    ExpressionAttributeValues: { ':true': true },
  };
}
