/**
 * Likes on a comment (docs/api.md, "Likes"): one per visitor, or per `sub` for a signed-in
 * reader, per comment, exact under concurrency and undoable.
 *
 * A like is found by its comment's id alone, and a hot comment of a viral article must not make
 * one item take every like (docs/architecture.md, "Hot comments"): so a like never touches the
 * comment or its article's partition. One eventually consistent read gives where the comment is
 * and whether it is published (its signals item, kept by the tally from the table's stream), the
 * voter's like and the comment's counter shards; one transaction then writes the voter's like
 * item, conditional on it not existing (or existing, to take it back), and adds one to the
 * voter's counter shard. The comment's `likes`, shown in every list, is tallied from the shards
 * off the request path, as the reactions' totals are (store/comment-signals.ts).
 */
import { backoff } from './backoff';
import { CommentNotFoundError, ServiceBusyError, VoteChangedError } from './errors';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { type RateCharge, rateCharges } from './rate-limit';
import { shardOf, visitorHash } from './reactions';
import type { Reader } from './readers';
import type { Settings } from './settings';
import { voterOf } from './voters';

/** What one read says about a comment and a voter, before a like changes. */
export interface LikeState {
  /** The comment is published (a like on anything else is a 404). */
  published: boolean;
  /** Summed over every counter shard. */
  likes: number;
  liked: boolean;
}

export interface LikeChange {
  commentId: string;
  voterHash: string;
  shard: number;
  /** true: like (the like item must not exist yet); false: take it back (it must exist). */
  like: boolean;
}

export interface LikeStore {
  /** The comment's signals, the voter's like and the counter shards: one consistent-enough read. */
  read(commentId: string, voterHash: string): Promise<LikeState>;
  /** The voter's like alone, strongly consistent: what a repeated like is confirmed by. */
  isLiked(commentId: string, voterHash: string): Promise<boolean>;
  /**
   * Writes the like (or takes it back) and moves the voter's counter shard, charging the
   * rate-limit windows, in one transaction; 'unchanged' when the like already was as asked.
   * Throws VoteChangedError when a concurrent write to the same shard cancelled it.
   */
  change(change: LikeChange, charges: RateCharge[]): Promise<'changed' | 'unchanged'>;
}

export interface LikeDeps {
  store: LikeStore;
  hasher: KeyedHasher;
  settings: Settings;
  clock: Clock;
  /** Verifies a signed-in reader's token; absent, no issuer is trusted. */
  verifyReader?: (token: string) => Promise<Reader>;
}

export interface LikeView {
  commentId: string;
  likes: number;
  liked: boolean;
}

/**
 * Counter items each comment's likes are spread over. A transactional write costs 2 write units
 * on its shard, and one item takes about 1,000 a second: 8 shards carry about 4,000 likes a
 * second on one comment (docs/architecture.md, "Hot comments").
 */
export const LIKE_SHARDS = 8;

const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 10;

export interface LikeRequest {
  commentId: string;
  /** The browser's visitor id; a signed-in reader's `sub` wins over it. */
  visitorId?: string;
  /** A signed-in reader's token. */
  reader?: string;
  liked: boolean;
  sourceIp: string;
}

/** Likes the comment (liked: true) or takes the like back, and answers the count. */
export async function setLike(deps: LikeDeps, request: LikeRequest): Promise<LikeView> {
  const { commentId, liked: wanted } = request;
  const voter = await voterOf(deps, request, (visitorId) => visitorHash(deps.hasher, visitorId));
  const state = await deps.store.read(commentId, voter.hash);
  if (!state.published) throw new CommentNotFoundError();
  const answer = (changed: boolean): LikeView => ({
    commentId,
    // Never below zero, nor below one for a like this request made.
    likes: Math.max(wanted && changed ? 1 : 0, state.likes + (changed ? (wanted ? 1 : -1) : 0)),
    liked: wanted,
  });
  // An eventually consistent read that says there is nothing to do is confirmed first.
  if (state.liked === wanted && (await deps.store.isLiked(commentId, voter.hash)) === wanted) {
    return answer(false);
  }
  const change = {
    commentId,
    voterHash: voter.hash,
    shard: shardOf(voter.hash, LIKE_SHARDS),
    like: wanted,
  };
  const charges = rateCharges(deps.settings.rateLimits, 'like', voter.client, deps.clock());
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      return answer((await deps.store.change(change, charges)) === 'changed');
    } catch (error) {
      if (!(error instanceof VoteChangedError)) throw error;
      await backoff(attempt, BACKOFF_BASE_MS);
    }
  }
  throw new ServiceBusyError('the likes kept changing concurrently');
}
