/**
 * The article's reaction total shown by GET /counts, kept off the hot path. Votes change the
 * sharded counters in their own transaction (exact at once, see reactions.ts); a DynamoDB
 * stream of vote changes then asks for a tally of each article touched, which recomputes the
 * total from the counters. A tally is a recomputation, not an increment, so a stream batch that
 * is delivered twice cannot count anything twice.
 */
export interface TallyStore {
  /** Recomputes the article's total from its counters; a newer tally already stored wins. */
  tally(articleId: string): Promise<void>;
}

/** Tallies run this many at a time: a batch of many articles finishes quickly, politely. */
const PARALLEL_TALLIES = 8;

export async function tallyArticles(store: TallyStore, articleIds: string[]): Promise<void> {
  for (let start = 0; start < articleIds.length; start += PARALLEL_TALLIES) {
    await Promise.all(
      articleIds.slice(start, start + PARALLEL_TALLIES).map((articleId) => store.tally(articleId)),
    );
  }
}
