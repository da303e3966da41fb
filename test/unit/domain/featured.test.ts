import type { CommentRecord } from '../../../lambda/domain/comment';
import { CommentNotFoundError, NotPublishedError } from '../../../lambda/domain/errors';
import {
  type FeatureDeps,
  type FeatureStore,
  featureComment,
  MAX_FEATURED,
  unfeatureComment,
} from '../../../lambda/domain/featured';
import { commentRecord, fixedClock, NOW } from '../fakes';

class RecordingFeatureStore implements FeatureStore {
  readonly featured: [string, string, number][] = [];
  readonly unfeatured: string[] = [];
  async feature(current: CommentRecord, at: string, max: number) {
    this.featured.push([current.commentId, at, max]);
  }
  async unfeature(current: CommentRecord) {
    this.unfeatured.push(current.commentId);
  }
}

function deps(found: CommentRecord | undefined) {
  const store = new RecordingFeatureStore();
  const featureDeps: FeatureDeps = { store, find: async () => found, clock: fixedClock };
  return { store, featureDeps };
}

describe('featureComment', () => {
  it('marks a published comment now, with the contract’s limit of 10', async () => {
    const record = commentRecord({ status: 'published' });
    const { store, featureDeps } = deps(record);
    const comment = await featureComment(featureDeps, record.commentId);
    expect(comment.featured).toBe(true);
    expect(store.featured).toEqual([[record.commentId, new Date(NOW).toISOString(), 10]]);
    expect(MAX_FEATURED).toBe(10);
  });

  it('changes nothing for a comment already featured', async () => {
    const record = commentRecord({ status: 'published', featuredAt: '2026-11-01T00:00:00.000Z' });
    const { store, featureDeps } = deps(record);
    expect((await featureComment(featureDeps, record.commentId)).featured).toBe(true);
    expect(store.featured).toEqual([]);
  });

  it('refuses a comment that is not published, and one that does not exist', async () => {
    const held = commentRecord({ status: 'pending' });
    await expect(featureComment(deps(held).featureDeps, held.commentId)).rejects.toEqual(
      new NotPublishedError('featured'),
    );
    await expect(
      featureComment(deps(undefined).featureDeps, held.commentId),
    ).rejects.toBeInstanceOf(CommentNotFoundError);
  });
});

describe('unfeatureComment', () => {
  it('takes the mark away, and changes nothing for a comment not featured', async () => {
    const record = commentRecord({ status: 'published', featuredAt: '2026-11-01T00:00:00.000Z' });
    const featured = deps(record);
    expect((await unfeatureComment(featured.featureDeps, record.commentId)).featured).toBe(false);
    expect(featured.store.unfeatured).toEqual([record.commentId]);
    const plain = deps(commentRecord({ status: 'published' }));
    await unfeatureComment(plain.featureDeps, record.commentId);
    expect(plain.store.unfeatured).toEqual([]);
  });
});
