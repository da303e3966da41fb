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

export interface CommentRecord extends PublicCommentFields {
  email: string;
  status: CommentStatus;
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
