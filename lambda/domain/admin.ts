/**
 * Operators' moderation: the queue and its counts, status changes, deletion, erasure, closing
 * an article, pinning, and replies as staff.
 */
import {
  type ArticleChange,
  type ArticleDefaults,
  type ArticleState,
  closingTime,
  isOpen,
  storedChange,
} from './article-settings';
import {
  type AdminComment,
  type CommentRecord,
  type CommentStatus,
  type PublicComment,
  toAdminComment,
  toPublicComment,
} from './comment';
import { type CommenterStore, forgetCommenterNotes } from './commenter-records';
import { BadAdminCursorError, CommentNotFoundError, NotPublishedError } from './errors';
import type { Clock, IdGenerator } from './ids';
import { type KeyedHasher, readSignedJson, signJson } from './keyed-hash';
import { normaliseEmail } from './moderation';
import { undoes } from './moderation-undo';
import type { CommentStore, ModeratedComment, ModerationStore, StoredArticle } from './ports';
import { type ReportDecisions, summarise } from './reports';
import { verdictOutcomes } from './screen-tuning';
import { decisionCounts } from './transparency';

export type { ArticleState } from './article-settings';

export interface AdminDeps {
  store: ModerationStore;
  /** Commenters' records (domain/commenter-records.ts). */
  commenters: CommenterStore;
  hasher: KeyedHasher;
  clock: Clock;
  /** How long a decision can be undone (settings: moderation.undoSeconds). */
  undoSeconds: number;
  /** Readers' reports: shown on the queue, decided with their comment (domain/reports.ts). */
  reports?: ReportDecisions;
  /** The deployment's side of articles' settings (settings: autoCloseDays); absent: none. */
  articles?: ArticleDefaults;
  /** The ground a removal names when the moderator gives none (settings: decisions.grounds[0]). */
  defaultGround?: string;
}

/**
 * Whether moving the comment to `status` takes published content out of view: a published
 * comment, or one the readers' reports took out of the public lists, moved to pending or spam.
 * Such a decision carries a ground, which the author's statement of reasons gives (DSA Art. 17).
 */
/** Readers' reports or the screen took the comment out of view before a person decided. */
function automatedBefore(current: CommentRecord): boolean {
  return (
    current.status === 'pending' &&
    (current.holdReasons ?? []).some(
      (reason) => reason === 'reported' || reason === 'hook' || /^(screen|rule):/.test(reason),
    )
  );
}

export function removesPublished(current: CommentRecord, status: CommentStatus): boolean {
  if (status === 'published') return false;
  return (
    current.status === 'published' ||
    (current.status === 'pending' && (current.holdReasons ?? []).includes('reported'))
  );
}

/** Pinned comments per article: their copies ride on the stats items, which must stay small. */
export const MAX_PINNED = 5;

/** Counts stop here: a queue longer than this reads as "10000+" and costs no more to count. */
export const COUNT_CAP = 10_000;

const CURSOR_PURPOSE = 'admin-cursor';
const STATUSES: readonly CommentStatus[] = ['pending', 'published', 'spam'];

/**
 * The list position, signed so that a cursor cannot be forged to start elsewhere, and bound to
 * the status and article filter it was issued for.
 */
function encode(
  position: Record<string, unknown>,
  list: { status: string; articleId: string | null },
  hasher: KeyedHasher,
): string {
  return signJson([list.status, list.articleId, position], CURSOR_PURPOSE, hasher);
}

function decode(
  cursor: string,
  list: { status: string; articleId: string | null },
  hasher: KeyedHasher,
): Record<string, unknown> {
  const parsed = readSignedJson(cursor, CURSOR_PURPOSE, hasher);
  if (!Array.isArray(parsed) || parsed[0] !== list.status || parsed[1] !== list.articleId) {
    throw new BadAdminCursorError();
  }
  return parsed[2] as Record<string, unknown>;
}

export async function listForModeration(
  deps: AdminDeps,
  request: {
    status: CommentStatus;
    limit: number;
    cursor?: string;
    articleId?: string;
    /** Only comments with open reports (the console's Reported view). */
    reported?: boolean;
  },
): Promise<{ comments: AdminComment[]; nextCursor: string | null }> {
  // A cursor of one list is refused by another: the reported list is a list of its own.
  const list = {
    status: request.reported ? `${request.status}:reported` : request.status,
    articleId: request.articleId ?? null,
  };
  const after =
    request.cursor === undefined ? undefined : decode(request.cursor, list, deps.hasher);
  const page = await deps.store.listByStatus(
    request.status,
    request.limit,
    after,
    request.articleId,
    request.reported === true,
  );
  const hashes = page.comments.flatMap((comment) => (comment.emailHash ? [comment.emailHash] : []));
  const known = hashes.length > 0 ? await deps.store.publishedAuthors(hashes) : new Set<string>();
  const reports = await Promise.all(
    page.comments.map(async (comment) =>
      comment.reportCount && deps.reports
        ? summarise(await deps.reports.openReports(comment.commentId))
        : undefined,
    ),
  );
  return {
    comments: page.comments.map((comment, index) =>
      toAdminComment(
        comment,
        comment.emailHash !== null && known.has(comment.emailHash),
        reports[index],
      ),
    ),
    nextCursor: page.next ? encode(page.next, list, deps.hasher) : null,
  };
}

/** `view=articles`: every article with a comment, reactions or closed, by id, a page at a time. */
export async function listArticles(
  deps: AdminDeps,
  request: { limit: number; cursor?: string },
): Promise<{ articles: string[]; nextCursor: string | null }> {
  const list = { status: 'view=articles', articleId: null };
  const after =
    request.cursor === undefined ? undefined : decode(request.cursor, list, deps.hasher);
  const page = await deps.store.listArticles(request.limit, after);
  return {
    articles: page.articleIds,
    nextCursor: page.next ? encode(page.next, list, deps.hasher) : null,
  };
}

export interface QueueCounts {
  counts: Record<CommentStatus, number>;
  /** Statuses whose count stopped at the cap: there are at least that many. */
  capped: CommentStatus[];
}

/** The size of each tab of the queue, across articles or in one. */
export async function queueCounts(
  deps: AdminDeps,
  request: { articleId?: string },
): Promise<QueueCounts> {
  const results = await Promise.all(
    STATUSES.map((status) =>
      deps.store.countByStatus(status, { articleId: request.articleId, cap: COUNT_CAP }),
    ),
  );
  const counts = { pending: 0, published: 0, spam: 0 };
  const capped: CommentStatus[] = [];
  STATUSES.forEach((status, index) => {
    const result = results[index] ?? { count: 0, capped: false };
    counts[status] = result.count;
    if (result.capped) capped.push(status);
  });
  return { counts, capped };
}

async function existing(deps: AdminDeps, commentId: string): Promise<ModeratedComment> {
  const current = await deps.store.findById(commentId);
  if (!current) throw new CommentNotFoundError();
  return current;
}

/**
 * Publish, mark as spam, or put back in the queue. A change back to the status the last decision
 * came from, while that decision can still be undone, is its undo: it restores exactly what the
 * decision changed (lambda/domain/moderation-undo.ts).
 */
export async function moderate(
  deps: AdminDeps,
  commentId: string,
  status: CommentStatus,
  /** Why, for a removal of published content; the deployment's first ground when absent. */
  ground?: string,
): Promise<AdminComment> {
  const { decision, ...current } = await existing(deps, commentId);
  if (current.status === status) {
    // Approving a published comment that readers reported keeps it, and decides their reports.
    if (!current.reportCount || !deps.reports) return toAdminComment(current);
    await deps.store.clearReports(current);
    await deps.reports.decide(commentId, status, new Date(deps.clock()).toISOString());
    const { reportCount: _decided, ...kept } = current;
    return toAdminComment(kept);
  }
  if (undoes(decision, current.status, status, deps.clock(), deps.undoSeconds)) {
    await deps.store.undo(current, decision);
    return toAdminComment({ ...current, status, pinned: current.pinned || decision.unpinned });
  }
  // A first human decision on the screen's verdict is counted for tuning (domain/screen-tuning.ts).
  const given = removesPublished(current, status) ? (ground ?? deps.defaultGround) : undefined;
  // The transparency counts (domain/transparency.ts), with the open reports it decides.
  const notices =
    current.reportCount && deps.reports ? await deps.reports.openReports(commentId) : [];
  const counted = decisionCounts({
    ...(given === undefined ? {} : { ground: given }),
    automated: given !== undefined && automatedBefore(current),
    notices,
    decidedAtMs: deps.clock(),
  });
  await deps.store.setStatus(
    current,
    status,
    verdictOutcomes(current, status, decision !== undefined),
    given,
    counted,
  );
  // Deciding a reported comment decides its reports: its count starts again from zero.
  if (current.reportCount && deps.reports) {
    await deps.reports.decide(commentId, status, new Date(deps.clock()).toISOString());
  }
  const pinned = current.pinned && status === 'published';
  const { reportCount: _decided, ...decided } = current;
  return toAdminComment({ ...decided, status, pinned });
}

/** Deletes the comment; its open reports record the decision `removed`. */
export async function removeComment(deps: AdminDeps, commentId: string): Promise<void> {
  const current = await existing(deps, commentId);
  await deps.store.remove(current);
  if (current.reportCount && deps.reports) {
    await deps.reports.decide(commentId, 'removed', new Date(deps.clock()).toISOString());
  }
}

export async function eraseEmail(deps: AdminDeps, email: string): Promise<{ erased: number }> {
  const emailHash = deps.hasher.hash('email', normaliseEmail(email));
  // The records' notes first, while the comments still name the commenterIds to find them by.
  await forgetCommenterNotes(deps, email);
  return { erased: await deps.store.erase(emailHash) };
}

/** What an erasure would change, asked before it is confirmed. */
export async function erasureCount(deps: AdminDeps, email: string): Promise<{ comments: number }> {
  const emailHash = deps.hasher.hash('email', normaliseEmail(email));
  return { comments: await deps.store.countByEmail(emailHash) };
}

function stateOf(deps: AdminDeps, article: StoredArticle): ArticleState {
  const defaults = deps.articles ?? {};
  const closing = closingTime(article, defaults);
  return {
    articleId: article.articleId,
    open: isOpen(article, defaults, deps.clock()),
    closed: article.closed,
    closeAt: article.closeAt ?? null,
    closesAt: closing === undefined ? null : new Date(closing).toISOString(),
    moderation: article.moderation ?? null,
    commenting: article.commenting ?? null,
    commentCount: article.commentCount,
    pinned: article.pinned,
  };
}

export async function articleState(deps: AdminDeps, articleId: string): Promise<ArticleState> {
  return stateOf(deps, await deps.store.article(articleId));
}

/**
 * Closes or reopens an article, sets its closing time, or its own moderation policy or
 * commenting mode (domain/article-settings.ts storedChange), then reads it back.
 */
export async function changeArticle(
  deps: AdminDeps,
  articleId: string,
  change: ArticleChange,
): Promise<ArticleState> {
  // Only a reopening depends on what is stored (has its time come?).
  const current =
    change.open === true && change.closeAt === undefined
      ? await deps.store.article(articleId)
      : { closed: false };
  await deps.store.changeArticle(
    articleId,
    storedChange(change, current, deps.articles ?? {}, deps.clock()),
  );
  return articleState(deps, articleId);
}

export async function pinComment(deps: AdminDeps, commentId: string): Promise<AdminComment> {
  const current = await existing(deps, commentId);
  if (current.status !== 'published') throw new NotPublishedError();
  if (!current.pinned) await deps.store.pin(current, MAX_PINNED);
  return toAdminComment({ ...current, pinned: true });
}

export async function unpinComment(deps: AdminDeps, commentId: string): Promise<AdminComment> {
  const current = await existing(deps, commentId);
  if (current.pinned) await deps.store.unpin(current);
  return toAdminComment({ ...current, pinned: false });
}

/** The comments area's store, clock and ids (a staff reply is written as any comment is). */
export interface StaffReplyDeps {
  store: CommentStore;
  clock: Clock;
  newId: IdGenerator;
}

/**
 * A comment by the newsroom: published at once, marked staff, with no email (nothing to erase,
 * nobody to recognise), outside the readers' rate limits, and allowed on a closed article.
 */
export async function postAsStaff(
  deps: StaffReplyDeps,
  request: { articleId: string; name: string; body: string; parentId: string | null },
): Promise<PublicComment> {
  const now = deps.clock();
  const record: CommentRecord = {
    commentId: deps.newId(now),
    articleId: request.articleId,
    parentId: request.parentId,
    authorName: request.name,
    authorWebsite: null,
    email: null,
    emailHash: null,
    editTokenHash: null,
    body: request.body,
    status: 'published',
    createdAt: new Date(now).toISOString(),
    editedAt: null,
    staff: true,
    pinned: false,
  };
  await deps.store.insert(record, { ifKnownAuthor: false, charges: [], ifOpen: false });
  return toPublicComment(record);
}
