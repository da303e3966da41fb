/**
 * What the tally keeps for readers' signals, off the request path, from the table's stream
 * (docs/architecture.md, "Hot comments"):
 *
 * - each comment's signals item, which a like or a report reads to find the comment by its id
 *   alone and to know whether it is published: brought up to date whenever the comment is
 *   written (posted, decided, edited, pinned, deleted...), so no write path has to know of it;
 * - each liked comment's `likes` (and its place in the Top order), recomputed from its counter
 *   shards: a recomputation, not an increment, so a batch the stream delivers twice counts
 *   nothing twice, and a comment item takes at most one write per batch however many likes came.
 */
/** Where a comment's item is: its article, and the time and id of its sort key. */
export interface CommentPlace {
  articleId: string;
  createdAt: string;
  commentId: string;
}

export interface SignalsStore {
  /** Makes the comment's signals item say what the comment now is (or removes it with it). */
  sync(comment: CommentPlace): Promise<void>;
  /** Recomputes the comment's likes from its shards and stores them on the comment. */
  tallyLikes(commentId: string): Promise<void>;
}

/** Run this many at a time: a batch of many comments finishes quickly, politely. */
const PARALLEL = 8;

async function inTurns<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL) {
    await Promise.all(items.slice(start, start + PARALLEL).map(run));
  }
}

/** Syncs first, so a like tally of a comment posted in the same batch finds its signals. */
export async function followSignals(
  store: SignalsStore,
  changed: { comments: CommentPlace[]; liked: string[] },
): Promise<void> {
  await inTurns(changed.comments, (comment) => store.sync(comment));
  await inTurns(changed.liked, (commentId) => store.tallyLikes(commentId));
}
