/** What the domain needs from storage. The DynamoDB repositories implement these; tests fake them. */
import type { ArticleSettings, StoredArticleChange } from './article-settings';
import type { CommentRecord, CommentStatus, PublicCommentFields } from './comment';
import type { CommenterGate } from './commenters';
import type { ListOrder } from './cursor';
import type { Decision } from './moderation-undo';
import type { RateCharge } from './rate-limit';
import type { TuningCount } from './screen-tuning';

export interface CommentPageQuery {
  articleId: string;
  order: ListOrder;
  limit: number;
  /** Sort key to continue after; absent for the first page. */
  after?: string;
}

/**
 * What an article's stats item says, as a first page reads it: its counts and its own settings
 * (domain/article-settings.ts), `closed` true when a moderator closed it.
 */
export interface ArticleStats extends ArticleSettings {
  commentCount: number;
  /** Each reaction's count as last tallied from the counter shards (see domain/tally.ts). */
  reactionCounts: Record<string, number>;
  reactionTotal: number;
}

export interface CommentPage {
  /** Present when the page was read from the start, where the count item sits. */
  commentCount?: number;
  /** Present with commentCount: the whole stats item (zeros for an article without one). */
  stats?: ArticleStats;
  /**
   * The pinned comments, oldest first, on a first page only (they come from the stats item);
   * `comments` then holds the rest of the page, without them.
   */
  pinned?: PublicCommentFields[];
  /** The featured comments, most recently featured first, on a first page only. */
  featured?: PublicCommentFields[];
  comments: PublicCommentFields[];
  /** Sort key to continue after, or null at the end of the list. */
  nextAfter: string | null;
}

export interface InsertOptions {
  /**
   * Publish only if the email already has a published comment, else store as pending: the
   * first-time policy, decided inside the write's transaction.
   */
  ifKnownAuthor: boolean;
  /** Rate-limit windows the write must fit in, charged in the same transaction. */
  charges: RateCharge[];
  /**
   * Write only if the article is open to comments, checked in the same transaction (a reader's
   * comment; a moderator's reply may go on a closed article).
   */
  ifOpen: boolean;
}

export interface BodyChange {
  body: string;
  editedAt: string;
  /** The status after the edit (an edit that adds too many links goes back to pending). */
  status: CommentStatus;
  /** Why the screen held the new text, if it did; absent clears the old reasons. */
  holdReasons?: string[];
  screenScores?: Record<string, string>;
}

export interface GateRead {
  article: ArticleSettings;
  commenter?: CommenterGate;
}

export interface CommentStore {
  /**
   * What the create path's gate (step 3) reads, in one eventually consistent BatchGetItem: the
   * article's own settings (its stats item; none without one) and the commenter's state and
   * until (undefined without a record).
   */
  gate(articleId: string, commenterId: string): Promise<GateRead>;
  /** Stores the comment (and counts it when published) in one transaction; returns its status. */
  insert(record: CommentRecord, options: InsertOptions): Promise<CommentStatus>;
  page(query: CommentPageQuery): Promise<CommentPage>;
  /** The stored comment, read consistently; undefined when there is none. */
  find(articleId: string, commentId: string): Promise<CommentRecord | undefined>;
  /**
   * The same, with its article's own settings (the edit path's gate), in one consistent
   * BatchGetItem of the comment and the article's stats item.
   */
  findWithArticle(
    articleId: string,
    commentId: string,
  ): Promise<{ record: CommentRecord | undefined; article: ArticleSettings }>;
  /**
   * Replaces the body on the condition that the comment is still `current` (same status and
   * edit token), moving the counts when the status changes.
   */
  changeBody(current: CommentRecord, change: BodyChange): Promise<void>;
  /** Deletes the comment on the condition that it is still `current`, uncounting it. */
  remove(current: CommentRecord): Promise<void>;
}

export interface ModerationPage {
  comments: CommentRecord[];
  /** The index position to continue after, or undefined at the end. */
  next?: Record<string, unknown>;
}

/** A page of the articles Talkback holds anything for (a comment, reactions, being closed). */
export interface ArticlePage {
  articleIds: string[];
  /** The index position to continue after, or undefined at the end. */
  next?: Record<string, unknown>;
}

/** A count that stopped at a cap: `capped` says there are at least `count`. */
export interface BoundedCount {
  count: number;
  capped: boolean;
}

/** An article as the operators' store reads it: its settings, count and pins. */
export interface StoredArticle extends ArticleSettings {
  articleId: string;
  commentCount: number;
  /** Ids of the pinned comments. */
  pinned: string[];
}

/** A comment as the operators' store reads it: with the decision that can still be undone. */
export type ModeratedComment = CommentRecord & { decision?: Decision };

export interface ModerationStore {
  /** Oldest first, across all articles, or within one article when `articleId` is given. */
  listByStatus(
    status: CommentStatus,
    limit: number,
    after?: Record<string, unknown>,
    articleId?: string,
    /** Only comments with open reports (a count since the last decision). */
    reported?: boolean,
  ): Promise<ModerationPage>;
  /** A decision that keeps the comment's status: its reports' count goes all the same. */
  clearReports(current: CommentRecord): Promise<void>;
  /** Every article with a comment, reactions or closed, by id (index `articles`). */
  listArticles(limit: number, after?: Record<string, unknown>): Promise<ArticlePage>;
  /** How many comments have this status (in one article, when given), counting up to `cap`. */
  countByStatus(
    status: CommentStatus,
    options: { articleId?: string; cap: number },
  ): Promise<BoundedCount>;
  /** Which of these email hashes have had a comment published (the first-time policy's record). */
  publishedAuthors(emailHashes: readonly string[]): Promise<Set<string>>;
  /** The comment with the last decision on it that has not been undone, if any. */
  findById(commentId: string): Promise<ModeratedComment | undefined>;
  /**
   * Moves the comment to `status` if it is still `current.status`, with counts and author, and
   * records the decision on it so that it can be undone.
   */
  setStatus(
    current: CommentRecord,
    status: CommentStatus,
    /** The screen's tuning counts the decision makes (domain/screen-tuning.ts), in its transaction. */
    tuning?: readonly TuningCount[],
    /** Why published content is removed or hidden (settings: decisions.grounds), kept on the decision. */
    ground?: string,
    /** The month's transparency counts it makes (domain/transparency.ts), in its transaction. */
    counted?: Record<string, number>,
  ): Promise<void>;
  /**
   * Restores what the decision changed (status, counts, pin, the author's trust), if the
   * comment still carries it; CommentNotFoundError when it does not.
   */
  undo(current: CommentRecord, decision: Decision): Promise<void>;
  remove(current: CommentRecord): Promise<void>;
  /** Removes the email and author details from every comment with this email hash. */
  erase(emailHash: string): Promise<number>;
  /** How many comments erase(emailHash) would change. */
  countByEmail(emailHash: string): Promise<number>;
  article(articleId: string): Promise<StoredArticle>;
  /** Changes the article's settings on both of its stats items at once. */
  changeArticle(articleId: string, change: StoredArticleChange): Promise<void>;
  /**
   * Pins a published comment: marks it and copies its public fields onto both stats items, in
   * one transaction; throws TooManyPinsError when the article already has `max` pinned.
   */
  pin(current: CommentRecord, max: number): Promise<void>;
  unpin(current: CommentRecord): Promise<void>;
}

export interface ArticleCounts {
  commentCount: number;
  reactionTotal: number;
}

export interface VoteChange {
  articleId: string;
  visitorHash: string;
  shard: number;
  from: string | null;
  to: string | null;
}

export interface ReactionState {
  /** Summed over every shard; keys of reactions no longer configured may appear. */
  counts: Record<string, number>;
  mine: string | null;
}

export interface ReactionStore {
  /** Counts and the visitor's vote, eventually consistent (what a vote's answer starts from). */
  read(articleId: string, visitorHash: string | undefined): Promise<ReactionState>;
  /**
   * The same for a view: a hot article's counts may come from this instance's copy, up to a
   * second old (see store/hot-counts.ts); the visitor's vote is always read.
   */
  readForView(articleId: string, visitorHash: string | undefined): Promise<ReactionState>;
  /** The visitor's vote alone, strongly consistent: what a vote change must start from. */
  currentVote(articleId: string, visitorHash: string): Promise<string | null>;
  /**
   * Applies the change only if the vote is still `from`, charging the rate-limit windows in the
   * same transaction; throws VoteChangedError or RateLimitedError otherwise.
   */
  change(change: VoteChange, charges?: RateCharge[]): Promise<void>;
}

export interface CountsStore {
  /** Counts for the articles that have any; unknown articles are simply absent. */
  counts(articleIds: readonly string[]): Promise<Map<string, ArticleCounts>>;
}
