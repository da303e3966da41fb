/**
 * Featured comments, the newsroom's Editor's Picks (docs/api.md, "Featured comments"): a
 * moderator marks a published comment, and the thread lists the article's featured comments
 * above the rest, most recently featured first. Their public copies ride on the article's stats
 * items, as pinned comments' do, so the thread still reads them in its one Query; that is also
 * why an article has at most MAX_FEATURED.
 */
import { type AdminComment, type CommentRecord, toAdminComment } from './comment';
import { CommentNotFoundError, NotPublishedError } from './errors';
import type { Clock } from './ids';
import type { ModeratedComment } from './ports';

/** The contract's "at most 10". */
export const MAX_FEATURED = 10;

export interface FeatureStore {
  /**
   * Marks the comment featured at `at` and copies its public fields onto both stats items, on
   * the condition that it is still published (NotPublishedError) and that the article has fewer
   * than `max` featured (TooManyFeaturedError).
   */
  feature(current: CommentRecord, at: string, max: number): Promise<void>;
  /** Takes the mark and the copies away. */
  unfeature(current: CommentRecord): Promise<void>;
}

export interface FeatureDeps {
  store: FeatureStore;
  /** The comment by its id alone, as the operators' routes find it. */
  find(commentId: string): Promise<ModeratedComment | undefined>;
  clock: Clock;
}

async function existing(deps: FeatureDeps, commentId: string): Promise<CommentRecord> {
  const found = await deps.find(commentId);
  if (!found) throw new CommentNotFoundError();
  const { decision: _decision, ...current } = found;
  return current;
}

export async function featureComment(deps: FeatureDeps, commentId: string): Promise<AdminComment> {
  const current = await existing(deps, commentId);
  if (current.status !== 'published') throw new NotPublishedError('featured');
  if (current.featuredAt !== undefined) return toAdminComment(current);
  const featuredAt = new Date(deps.clock()).toISOString();
  await deps.store.feature(current, featuredAt, MAX_FEATURED);
  return toAdminComment({ ...current, featuredAt });
}

export async function unfeatureComment(
  deps: FeatureDeps,
  commentId: string,
): Promise<AdminComment> {
  const current = await existing(deps, commentId);
  if (current.featuredAt === undefined) return toAdminComment(current);
  await deps.store.unfeature(current);
  const { featuredAt: _featuredAt, ...unfeatured } = current;
  return toAdminComment(unfeatured);
}
