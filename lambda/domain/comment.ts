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
}

/** Shown for an author whose details were erased. */
export const ERASED_AUTHOR_NAME = 'Deleted user';

/** What operators see under /admin/: the public comment plus status and email. */
export interface AdminComment extends PublicComment {
  status: CommentStatus;
  email: string | null;
}

export function toAdminComment(record: CommentRecord): AdminComment {
  return { ...toPublicComment(record), status: record.status, email: record.email };
}

export interface PublicComment {
  id: string;
  articleId: string;
  parentId: string | null;
  author: { name: string; website: string | null };
  body: string;
  createdAt: string;
  editedAt: string | null;
}

export function toPublicComment(fields: PublicCommentFields): PublicComment {
  return {
    id: fields.commentId,
    articleId: fields.articleId,
    parentId: fields.parentId,
    author: { name: fields.authorName, website: fields.authorWebsite },
    body: fields.body,
    createdAt: fields.createdAt,
    editedAt: fields.editedAt,
  };
}
