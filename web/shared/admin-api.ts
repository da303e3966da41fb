/**
 * The operators' API as its clients read it (docs/api.md, "Operators' routes"; docs/moderation.md):
 * the shapes of its answers, taken from the server's own types. Type-only, so importing it adds
 * nothing to the console's bundle or the CLI.
 */
import type { AdminComment } from '../../lambda/domain/comment';

export type { ArticleState } from '../../lambda/domain/article-settings';
export type { AdminComment, CommentStatus } from '../../lambda/domain/comment';

/** GET /admin/comments: one page of the queue. */
export interface AdminCommentPage {
  comments: AdminComment[];
  nextCursor: string | null;
}

/** GET /admin/comments?view=articles: one page of the articles' ids, in id order. */
export interface AdminArticlePage {
  articles: string[];
  nextCursor: string | null;
}

/** PATCH /admin/comments/{id}, PUT and DELETE …/pin, POST /admin/articles/{id}/comments. */
export interface AdminCommentAnswer {
  comment: AdminComment;
}

/** POST /admin/erasures. */
export interface ErasureAnswer {
  erased: number;
}

/**
 * GET and PUT /admin/house-rules: the rules in force, their version and when they were saved
 * (null: the deployment's starting lists). lambda/domain/screen-rules.ts VersionedRules.
 */
export interface HouseRulesState {
  hold: string[];
  block: string[];
  emailDomains: { disposable: 'allow' | 'hold' | 'refuse'; hold: string[]; block: string[] };
  version: number;
  updatedAt: string | null;
}

/**
 * GET and PUT /admin/commenters/{commenterId}: a commenter's record (docs/api.md), as the console
 * reads it. Written out: lambda/domain/commenter-records.ts (CommenterView) needs Node's types.
 */
export interface CommenterView {
  commenterId: string;
  state: 'normal' | 'trusted' | 'suspended' | 'banned';
  until: string | null;
  note: string | null;
  setBy: string | null;
  setAt: string | null;
  counts: { published: number; pending: number; spam: number };
  firstSeen: string | null;
  comments: AdminComment[];
}
