/**
 * The comment model and its one public projection. A stored comment carries private fields
 * (the email); the public shape is built only by `toPublicComment`, which is given a type that
 * has no private fields at all, so no read path can leak one by spreading an object.
 */

export type CommentStatus = 'published' | 'pending' | 'spam';

export interface PublicCommentFields {
  commentId: string;
  articleId: string;
  parentId: string | null;
  authorName: string;
  authorWebsite: string | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  /** Posted by a moderator through the operators' route; no public route can set it. */
  staff: boolean;
  /** Pinned by a moderator: listed first on the first page of the article's comments. */
  pinned: boolean;
  /** Written with a valid reader token (domain/readers.ts); present only then. */
  verified?: true;
  /** The reader's allow-listed badges when written (present only when there are some). */
  badges?: string[];
}

/** A comment as stored. Only the store and operators' routes ever see the private fields. */
export interface CommentRecord extends PublicCommentFields {
  email: string | null;
  /** Keyed hash of the normalised email, for erasure and for recognising returning authors. */
  emailHash: string | null;
  /** Keyed hash of the author's edit token. */
  editTokenHash: string | null;
  status: CommentStatus;
  /** The author asked to hear of replies by email (present only when they did). */
  notify?: true;
  /** The signed-in reader's `sub` (the site's user id); present only for a verified comment. */
  commenterId?: string;
  /**
   * The key of the reply notifications a signed-in reader asked for (their `sub` and address:
   * comment-writer.ts readerSubscriberHash); absent for a guest, whose key is `emailHash`.
   */
  subscriberHash?: string;
  /**
   * Brought in by an import (present only then): it asks for no mail, neither a moderators'
   * notice while held nor a reply notification (docs/import-export.md).
   */
  imported?: true;
  /**
   * Why the screen held it or made it spam (present only then): `rule:<id>`, `email-domain:<d>`,
   * `screen:<label>`, `screen:unavailable` (docs/screening.md).
   */
  holdReasons?: string[];
  /** The content screen's confidence in each label it found (`{ "insults": "HIGH" }`). */
  screenScores?: Record<string, string>;
}

/** Shown for an author whose details were erased. */
export const ERASED_AUTHOR_NAME = 'Deleted user';

/**
 * What operators see under /admin/: the public comment plus status and email, and whether the
 * email has had a comment published before (the first-time policy's record of it): a moderator
 * treats a regular differently from a stranger.
 */
export interface AdminComment extends PublicComment {
  status: CommentStatus;
  email: string | null;
  /** A signed-in reader's `sub` at the site (contract v1.2); absent for a guest's comment. */
  commenterId?: string;
  authorPublishedBefore: boolean;
  /** Why it waits, as far as the screen said (empty when it did not hold it). */
  holdReasons: string[];
  /** The content screen's labels and its confidence in each, when it gave any. */
  screenScores?: Record<string, string>;
}

export function toAdminComment(record: CommentRecord, authorPublishedBefore = false): AdminComment {
  return {
    ...toPublicComment(record),
    status: record.status,
    email: record.email,
    ...(record.commenterId === undefined ? {} : { commenterId: record.commenterId }),
    authorPublishedBefore,
    holdReasons: record.holdReasons ?? [],
    ...(record.screenScores ? { screenScores: record.screenScores } : {}),
  };
}

export interface PublicComment {
  id: string;
  articleId: string;
  parentId: string | null;
  author: {
    name: string;
    website: string | null;
    staff: boolean;
    verified: boolean;
    badges: string[];
  };
  body: string;
  createdAt: string;
  editedAt: string | null;
  pinned: boolean;
}

export function toPublicComment(fields: PublicCommentFields): PublicComment {
  return {
    id: fields.commentId,
    articleId: fields.articleId,
    parentId: fields.parentId,
    author: {
      name: fields.authorName,
      website: fields.authorWebsite,
      staff: fields.staff,
      verified: fields.verified === true,
      badges: fields.badges ?? [],
    },
    body: fields.body,
    createdAt: fields.createdAt,
    editedAt: fields.editedAt,
    pinned: fields.pinned,
  };
}
