/**
 * The thread: everything an article's footer shows, in one answer built from one read (the
 * first page of comments, which carries the article's stats item, so it starts with the pinned
 * comments and says whether the article is open and who may comment, as GET
 * /articles/{id}/comments does). It is the same for every reader, so a CDN may share it: it
 * names no visitor and carries no vote of theirs.
 */
import type { PublicComment } from './comment';
import { commentList, openness } from './comments';
import type { ListOrder } from './cursor';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import type { CommentStore } from './ports';
import type { CommentingMode } from './reader-settings';
import type { Limits, Settings } from './settings';

export interface ThreadReaction {
  key: string;
  label: string;
  count: number;
}

export interface Thread {
  articleId: string;
  open: boolean;
  reactions: ThreadReaction[];
  reactionTotal: number;
  commentCount: number;
  comments: PublicComment[];
  nextCursor: string | null;
  limits: Limits;
  /** As in GET /config: how long an author may edit, so the widget needs no second request. */
  moderation: { editWindowMinutes: number };
  /** Who may comment: the article's own mode, else the deployment's. */
  commenting: CommentingMode;
  /** Where the site signs its readers in, when the deployment has such a page. */
  signInUrl?: string;
}

/**
 * The thread, and how long it stays true (`freshForSeconds`: until the article's closing time,
 * when it has one and is open): the handler keeps shared caches' copies no longer than that, so a
 * cached thread never offers a form the API would refuse past its max-age.
 */
export async function getThread(
  deps: { store: CommentStore; hasher: KeyedHasher; settings: Settings; clock: Clock },
  request: { articleId: string; order: ListOrder; limit: number },
): Promise<Thread & { freshForSeconds?: number }> {
  const { articleId, order, limit } = request;
  const page = await deps.store.page({ articleId, order, limit });
  const list = commentList(deps.hasher, { articleId, order }, page, 0);
  const stats = page.stats;
  const counts = stats?.reactionCounts ?? {};
  // As on the comment list's first page (domain/comments.ts), which the thread always is.
  const { open, freshForSeconds } = openness(stats, deps.settings, deps.clock());
  return {
    articleId,
    open,
    // Every configured reaction in display order, zeros included; retired keys are not shown.
    reactions: deps.settings.reactions.map(({ key, label }) => ({
      key,
      label,
      count: counts[key] ?? 0,
    })),
    reactionTotal: stats?.reactionTotal ?? 0,
    commentCount: list.commentCount,
    comments: list.comments,
    nextCursor: list.nextCursor,
    limits: deps.settings.limits,
    moderation: { editWindowMinutes: deps.settings.moderation.editWindowMinutes },
    commenting: stats?.commenting ?? deps.settings.readers.commenting,
    ...(deps.settings.readers.signInUrl === undefined
      ? {}
      : { signInUrl: deps.settings.readers.signInUrl }),
    ...(freshForSeconds === undefined ? {} : { freshForSeconds }),
  };
}
