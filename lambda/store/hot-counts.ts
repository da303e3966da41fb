/**
 * Copies of hot articles' reaction counts, kept by each function instance for views.
 *
 * Every view of an article reads all of its counter shards, and one DynamoDB item serves at most
 * 3,000 read units a second: about 6,000 eventually consistent reads. An article that one
 * instance is asked to show `hotViewsPerSecond` times within a second is hot: its views are
 * answered from the counts that instance read last, for up to `maxAgeMs`, so each instance reads
 * its shards about once a second however many readers it serves. Below that rate every view reads
 * the table, and votes never use a copy.
 */
export interface HotCountsPolicy {
  /** Views within one second, in one instance, from which an article is hot. */
  hotViewsPerSecond: number;
  /** How old a copy may be when it answers a view. */
  maxAgeMs: number;
  /** Articles followed at once; the one followed longest makes way for a new one. */
  maxArticles: number;
}

export const HOT_COUNTS_POLICY: HotCountsPolicy = {
  hotViewsPerSecond: 20,
  maxAgeMs: 1_000,
  maxArticles: 1_000,
};

interface Followed {
  windowStart: number;
  views: number;
  copy?: { counts: Readonly<Record<string, number>>; readAt: number };
}

export class HotCounts {
  private readonly articles = new Map<string, Followed>();

  constructor(private readonly policy: HotCountsPolicy = HOT_COUNTS_POLICY) {}

  /** The article's copied counts if it is hot and they are recent enough, else undefined. */
  recent(articleId: string, now: number): Readonly<Record<string, number>> | undefined {
    const copy = this.articles.get(articleId)?.copy;
    return copy && now - copy.readAt < this.policy.maxAgeMs ? copy.counts : undefined;
  }

  /** Notes a view that read the table at `now`; keeps its counts once the article is hot. */
  viewed(articleId: string, counts: Record<string, number>, now: number): void {
    let followed = this.articles.get(articleId);
    if (!followed) {
      if (this.articles.size >= this.policy.maxArticles) {
        const oldest = this.articles.keys().next().value;
        if (oldest !== undefined) this.articles.delete(oldest);
      }
      followed = { windowStart: now, views: 0 };
      this.articles.set(articleId, followed);
    }
    if (now - followed.windowStart >= 1_000) {
      followed.windowStart = now;
      followed.views = 0;
    }
    followed.views += 1;
    if (followed.views >= this.policy.hotViewsPerSecond) {
      followed.copy = { counts: { ...counts }, readAt: now };
    }
  }

  /** How many articles are followed (for tests of the bound). */
  get size(): number {
    return this.articles.size;
  }
}
