/** What the domain needs from storage. The DynamoDB repositories implement these; tests fake them. */
import type { CommentRecord, PublicCommentFields } from './comment';
import type { ListOrder } from './cursor';

export interface CommentPageQuery {
  articleId: string;
  order: ListOrder;
  limit: number;
  /** Sort key to continue after; absent for the first page. */
  after?: string;
}

export interface CommentPage {
  /** Present when the page was read from the start, where the count item sits. */
  commentCount?: number;
  comments: PublicCommentFields[];
  /** Sort key to continue after, or null at the end of the list. */
  nextAfter: string | null;
}

export interface CommentStore {
  /** Stores the comment and, when published, counts it, in one transaction. */
  insert(record: CommentRecord): Promise<void>;
  page(query: CommentPageQuery): Promise<CommentPage>;
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
  read(articleId: string, visitorHash: string | undefined): Promise<ReactionState>;
  /** Applies the change only if the vote is still `from`; throws VoteChangedError otherwise. */
  change(change: VoteChange): Promise<void>;
}

export interface CountsStore {
  /** Counts for the articles that have any; unknown articles are simply absent. */
  counts(articleIds: string[]): Promise<Map<string, ArticleCounts>>;
}
