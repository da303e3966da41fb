/**
 * An article's own settings (contract v1.2, "Per-article settings"; docs/moderation.md): its
 * moderation policy and who may comment, each overriding the deployment's, and when it closes.
 * They live on the article's two stats items, which every first page of its comments reads and
 * the create path's gate reads (one GetItem), so no view and no comment needs a read of its own.
 *
 * When an article closes: a moderator's `closed`; else its own `closeAt`; else, where the
 * deployment sets `autoCloseDays`, that many days after its first published comment, unless a
 * moderator reopened it past that time (`keepOpen`). Nothing is written at the closing time: the
 * thread and the create path compare it with the clock.
 */
import type { CommentingMode } from './reader-settings';

/**
 * As settings.ts's (moderation.policy), written out here so that the console's types
 * (web/shared/admin-api.ts) need nothing of the functions' configuration.
 */
export type ModerationPolicy = 'none' | 'first-time' | 'all';

const DAY_MS = 86_400_000;

/** What the stats items hold of an article's settings (absent: the deployment's). */
export interface ArticleSettings {
  /** A moderator closed it. */
  closed: boolean;
  /** Its own closing time (ISO 8601), past or future; overrides autoCloseDays. */
  closeAt?: string;
  /** Reopened by a moderator after its closing time: no automatic closing. */
  keepOpen?: boolean;
  moderation?: ModerationPolicy;
  commenting?: CommentingMode;
  /** When its first published comment was posted: where autoCloseDays counts from. */
  firstCommentAt?: string;
}

/** The deployment's side of an article's settings. */
export interface ArticleDefaults {
  /** Days after an article's first comment when it closes; undefined: never. */
  autoCloseDays?: number;
}

/** When the article closes by time (milliseconds), or undefined when it does not. */
export function closingTime(
  article: ArticleSettings,
  defaults: ArticleDefaults,
): number | undefined {
  if (article.closeAt !== undefined) return Date.parse(article.closeAt);
  const { autoCloseDays } = defaults;
  if (article.keepOpen || autoCloseDays === undefined || article.firstCommentAt === undefined) {
    return undefined;
  }
  return Date.parse(article.firstCommentAt) + autoCloseDays * DAY_MS;
}

/** Whether the article takes new comments at `now`. */
export function isOpen(article: ArticleSettings, defaults: ArticleDefaults, now: number): boolean {
  if (article.closed) return false;
  const closing = closingTime(article, defaults);
  return closing === undefined || now < closing;
}

/**
 * Whole seconds the article stays as open as it is now: until its closing time while it is
 * open, undefined when nothing will change by itself (closed, or no closing time). A cached copy
 * of a thread that says `open: true` must be gone by then.
 */
export function secondsUnchanged(
  article: ArticleSettings,
  defaults: ArticleDefaults,
  now: number,
): number | undefined {
  if (!isOpen(article, defaults, now)) return undefined;
  const closing = closingTime(article, defaults);
  return closing === undefined ? undefined : Math.max(0, Math.floor((closing - now) / 1000));
}

/** What an operator asks of an article (PATCH /admin/articles/{articleId}); absent: unchanged. */
export interface ArticleChange {
  /** `false` closes it, `true` reopens it. */
  open?: boolean;
  /** null: the deployment's. */
  moderation?: ModerationPolicy | null;
  commenting?: CommentingMode | null;
  /** A time (a past one closes it now), or null for none (then the deployment's autoCloseDays). */
  closeAt?: string | null;
}

/** What the store writes on both stats items; absent fields stay as they are. */
export interface StoredArticleChange {
  closed?: boolean;
  closeAt?: string | null;
  keepOpen?: boolean;
  moderation?: ModerationPolicy | null;
  commenting?: CommentingMode | null;
}

/**
 * The change the store makes. Setting or clearing `closeAt` ends a reopening's `keepOpen`.
 * Reopening an article whose time has come (its `closeAt` passed, or autoCloseDays since its
 * first comment) without a new `closeAt` keeps it open: its `closeAt` goes and autoCloseDays
 * no longer applies to it, until an operator sets a `closeAt` again.
 */
export function storedChange(
  change: ArticleChange,
  current: ArticleSettings,
  defaults: ArticleDefaults,
  now: number,
): StoredArticleChange {
  const stored: StoredArticleChange = {};
  if (change.open !== undefined) stored.closed = !change.open;
  if (change.moderation !== undefined) stored.moderation = change.moderation;
  if (change.commenting !== undefined) stored.commenting = change.commenting;
  if (change.closeAt !== undefined) {
    stored.closeAt = change.closeAt;
    stored.keepOpen = false;
  } else if (change.open === true) {
    const closing = closingTime(current, defaults);
    if (closing !== undefined && closing <= now) {
      stored.closeAt = null;
      stored.keepOpen = true;
    }
  }
  return stored;
}

/** An article as operators see it (GET and PATCH /admin/articles/{articleId}). */
export interface ArticleState {
  articleId: string;
  /** Whether it takes new comments now. */
  open: boolean;
  /** Whether a moderator closed it. */
  closed: boolean;
  /** Its own closing time; null: none (the deployment's autoCloseDays, if any, applies). */
  closeAt: string | null;
  /** When it closes by time, whatever sets it (its closeAt, autoCloseDays); null: never. */
  closesAt: string | null;
  /** Its own moderation policy; null: the deployment's. */
  moderation: ModerationPolicy | null;
  /** Who may comment on it; null: the deployment's. */
  commenting: CommentingMode | null;
  commentCount: number;
  /** Ids of the pinned comments. */
  pinned: string[];
}
