/** How a comment is written to and read from its item, shared by every repository. */
import type { CommentRecord, CommentStatus, PublicCommentFields } from '../domain/comment';
import { ARTICLE_LIST, ENTITY, type ItemKey, keys } from './keys';

type Item = Record<string, unknown>;

export function commentKey(
  record: Pick<CommentRecord, 'articleId' | 'createdAt' | 'commentId'>,
): ItemKey {
  return keys.comment(record.articleId, record.createdAt, record.commentId);
}

/** Null fields are left out of the item, so the console shows only what is there. */
export function toItem(record: CommentRecord): Item {
  return {
    ...commentKey(record),
    entity: ENTITY.comment,
    commentId: record.commentId,
    articleId: record.articleId,
    parentId: record.parentId ?? undefined,
    authorName: record.authorName,
    authorWebsite: record.authorWebsite ?? undefined,
    email: record.email ?? undefined,
    emailHash: record.emailHash ?? undefined,
    editTokenHash: record.editTokenHash ?? undefined,
    body: record.body,
    status: record.status,
    createdAt: record.createdAt,
    editedAt: record.editedAt ?? undefined,
    // Marks are stored only when set, like the null fields.
    staff: record.staff || undefined,
    pinned: record.pinned || undefined,
    verified: record.verified,
    badges: record.badges?.length ? record.badges : undefined,
    commenterId: record.commenterId,
    subscriberHash: record.subscriberHash,
    notify: record.notify,
    imported: record.imported,
    holdReasons: record.holdReasons,
    screenScores: record.screenScores,
  };
}

/**
 * The copy of a pinned comment kept on both of its article's stats items (attribute `pins`, a
 * map by comment id), so the first page of a list shows it with one Query: public fields only.
 */
export function toPinnedCopy(record: PublicCommentFields): Item {
  return {
    commentId: record.commentId,
    articleId: record.articleId,
    parentId: record.parentId ?? undefined,
    authorName: record.authorName,
    authorWebsite: record.authorWebsite ?? undefined,
    body: record.body,
    createdAt: record.createdAt,
    editedAt: record.editedAt ?? undefined,
    staff: record.staff || undefined,
    pinned: true,
    verified: record.verified,
    badges: record.badges?.length ? record.badges : undefined,
  };
}

/** A string attribute, or null for one that is absent (null fields are not stored). */
const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The public fields of a comment item: all a page needs (a page has up to 100). */
export function toPublicFields(item: Item): PublicCommentFields {
  return {
    commentId: String(item.commentId),
    articleId: String(item.articleId),
    parentId: textOrNull(item.parentId),
    authorName: String(item.authorName),
    authorWebsite: textOrNull(item.authorWebsite),
    body: String(item.body),
    createdAt: String(item.createdAt),
    editedAt: textOrNull(item.editedAt),
    staff: item.staff === true,
    pinned: item.pinned === true,
    ...(item.verified === true ? { verified: true as const } : {}),
    ...(Array.isArray(item.badges) && item.badges.length > 0
      ? { badges: item.badges.map(String) }
      : {}),
  };
}

export function toRecord(item: Item): CommentRecord {
  return {
    ...toPublicFields(item),
    email: textOrNull(item.email),
    emailHash: textOrNull(item.emailHash),
    editTokenHash: textOrNull(item.editTokenHash),
    status: String(item.status) as CommentStatus,
    ...(typeof item.commenterId === 'string' ? { commenterId: item.commenterId } : {}),
    ...(typeof item.subscriberHash === 'string' ? { subscriberHash: item.subscriberHash } : {}),
    ...(item.notify === true ? { notify: true as const } : {}),
    ...(item.imported === true ? { imported: true as const } : {}),
    ...(Array.isArray(item.holdReasons) ? { holdReasons: item.holdReasons.map(String) } : {}),
    ...(isScores(item.screenScores) ? { screenScores: item.screenScores } : {}),
  };
}

function isScores(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Updates that add `delta` to both of an article's comment counts. `unpin` also drops that
 * comment's pinned copy from both (a pinned comment that leaves the list), in the same Updates,
 * since a transaction may name each item once.
 */
export function countUpdates(
  tableName: string,
  articleId: string,
  delta: number,
  now: string,
  options: { unpin?: string; postedAt?: string } = {},
) {
  const { unpin, postedAt } = options;
  // A comment that joins the count may be the article's first: where autoCloseDays counts from
  // (lambda/domain/article-settings.ts). The first one written stays.
  const first = delta > 0 && postedAt !== undefined;
  return [keys.statsHead(articleId), keys.statsTail(articleId)].map((Key, index) => {
    const listed = ARTICLE_LIST.on(index === 0);
    return {
      Update: {
        TableName: tableName,
        Key,
        UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${listed.set}${
          first ? ', firstCommentAt = if_not_exists(firstCommentAt, :postedAt)' : ''
        }${unpin === undefined ? '' : ' REMOVE pins.#pin'}`,
        ...(unpin === undefined ? {} : { ExpressionAttributeNames: { '#pin': unpin } }),
        ExpressionAttributeValues: {
          ':delta': delta,
          ':entity': ENTITY.articleStats,
          ':articleId': articleId,
          ':now': now,
          ...listed.values,
          ...(first ? { ':postedAt': postedAt } : {}),
        },
      },
    };
  });
}

/**
 * Remembers that an email has a published comment (the first-time policy reads this). A
 * publication that cannot be undone makes the author known for good: an approval's provisional
 * marks go (lambda/store/moderation-decisions.ts).
 */
export function authorUpdate(
  tableName: string,
  emailHash: string,
  now: string,
  mustExist: boolean,
) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.author(emailHash),
      UpdateExpression:
        'SET entity = :entity, lastPublishedAt = :now REMOVE provisional, grantedBy',
      ...(mustExist ? { ConditionExpression: 'attribute_exists(PK)' } : {}),
      ExpressionAttributeValues: { ':entity': ENTITY.author, ':now': now },
    },
  };
}

/** The count change when a comment moves between statuses: only published comments count. */
export function countDelta(from: CommentStatus | null, to: CommentStatus | null): number {
  return (to === 'published' ? 1 : 0) - (from === 'published' ? 1 : 0);
}

/**
 * The transaction items that move a comment to `status` on the condition that it is still as it
 * was read: its counts follow, a pinned comment that leaves the published list loses its pin,
 * and approving a comment makes its author known to the first-time policy. The operators'
 * route and a moderator's one-click link both change a status this way.
 */
export function statusChange(
  tableName: string,
  current: CommentRecord,
  status: CommentStatus,
  now: string,
) {
  const delta = countDelta(current.status, status);
  const unpin = current.pinned === true && status !== 'published';
  return [
    {
      Update: {
        TableName: tableName,
        Key: commentKey(current),
        UpdateExpression: `SET #status = :to, moderatedAt = :now${unpin ? ' REMOVE pinned' : ''}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':to': status, ':from': current.status, ':now': now },
      },
    },
    ...(delta === 0 && !unpin
      ? []
      : countUpdates(tableName, current.articleId, delta, now, {
          unpin: unpin ? current.commentId : undefined,
          postedAt: current.createdAt,
        })),
    ...(status === 'published' && current.emailHash
      ? [authorUpdate(tableName, current.emailHash, now, false)]
      : []),
  ];
}

/**
 * The transaction items that delete a comment on the condition that it is still as it was read
 * (its status, and for an author's own delete its edit token), uncounting it if it counted.
 */
export function commentDeletion(
  tableName: string,
  current: CommentRecord,
  now: string,
  options: { requireEditToken: boolean },
) {
  const delta = countDelta(current.status, null);
  return [
    {
      Delete: {
        TableName: tableName,
        Key: commentKey(current),
        ConditionExpression: options.requireEditToken
          ? '#status = :from AND editTokenHash = :token'
          : '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':from': current.status,
          ...(options.requireEditToken ? { ':token': current.editTokenHash } : {}),
        },
      },
    },
    ...(delta === 0 && !current.pinned
      ? []
      : countUpdates(tableName, current.articleId, delta, now, {
          unpin: current.pinned ? current.commentId : undefined,
        })),
  ];
}
