import {
  CommentNotFoundError,
  ServiceBusyError,
  VoteChangedError,
} from '../../../lambda/domain/errors';
import { LIKE_SHARDS, type LikeDeps, setLike } from '../../../lambda/domain/likes';
import { clientHash } from '../../../lambda/domain/rate-limit';
import { shardOf, visitorHash } from '../../../lambda/domain/reactions';
import type { Reader } from '../../../lambda/domain/readers';
import { ReaderTokenError } from '../../../lambda/domain/readers';
import { DEFAULT_SETTINGS } from '../../../lambda/domain/settings';
import { readerHash } from '../../../lambda/domain/voters';
import { FakeLikeStore, fixedClock, hasher } from '../fakes';

const COMMENT = '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C';
const VISITOR = 'visitor-0123456789abcdef';
const IP = '198.51.100.7';

const ada: Reader = { sub: 'user-42', name: 'Ada', email: null, badges: [] };

function deps(store: FakeLikeStore, verifyReader?: (token: string) => Promise<Reader>): LikeDeps {
  return { store, hasher, settings: DEFAULT_SETTINGS, clock: fixedClock, verifyReader };
}

const like = (liked: boolean, extra: { visitorId?: string; reader?: string } = {}) => ({
  commentId: COMMENT,
  visitorId: VISITOR,
  liked,
  sourceIp: IP,
  ...extra,
});

describe('setLike', () => {
  it("writes the visitor's like on their shard, charged as a like, and answers the new count", async () => {
    const store = new FakeLikeStore();
    store.likes = 4;
    const view = await setLike(deps(store), like(true));
    expect(view).toEqual({ commentId: COMMENT, likes: 5, liked: true });
    const voter = visitorHash(hasher, VISITOR);
    expect(store.changes).toHaveLength(1);
    expect(store.changes[0]?.change).toEqual({
      commentId: COMMENT,
      voterHash: voter,
      shard: shardOf(voter, LIKE_SHARDS),
      like: true,
    });
    expect(store.changes[0]?.charges.map((c) => [c.action, c.window, c.clientHash])).toEqual([
      ['like', 'minute', clientHash(hasher, IP)],
      ['like', 'hour', clientHash(hasher, IP)],
    ]);
  });

  it('changes nothing when the visitor already likes it (confirmed by a consistent read)', async () => {
    const store = new FakeLikeStore();
    await setLike(deps(store), like(true));
    const again = await setLike(deps(store), like(true));
    expect(again).toEqual({ commentId: COMMENT, likes: 1, liked: true });
    expect(store.changes).toHaveLength(1);
  });

  it('likes when a stale read said the like was already there', async () => {
    const store = new FakeLikeStore();
    store.staleLiked = true;
    const view = await setLike(deps(store), like(true));
    expect(view).toEqual({ commentId: COMMENT, likes: 1, liked: true });
    expect(store.liked.has(visitorHash(hasher, VISITOR))).toBe(true);
  });

  it('takes a like back, and answers the count without it', async () => {
    const store = new FakeLikeStore();
    await setLike(deps(store), like(true));
    const view = await setLike(deps(store), like(false));
    expect(view).toEqual({ commentId: COMMENT, likes: 0, liked: false });
    expect(store.changes.map((entry) => entry.change.like)).toEqual([true, false]);
  });

  it('is a CommentNotFoundError on a comment that is not published, writing nothing', async () => {
    const store = new FakeLikeStore();
    store.published = false;
    await expect(setLike(deps(store), like(true))).rejects.toBeInstanceOf(CommentNotFoundError);
    expect(store.changes).toEqual([]);
  });

  it('counts a signed-in reader once by their sub, whatever visitor id comes with it', async () => {
    const store = new FakeLikeStore();
    const verify = async (token: string) => {
      if (token !== 'good-token') throw new ReaderTokenError('has a bad signature');
      return ada;
    };
    await setLike(deps(store, verify), like(true, { reader: 'good-token' }));
    const second = await setLike(
      deps(store, verify),
      like(true, { reader: 'good-token', visitorId: 'another-visitor-0123456' }),
    );
    expect(second.likes).toBe(1);
    const voter = readerHash(hasher, ada.sub);
    expect([...store.liked]).toEqual([voter]);
    // Rate limits count the reader, not the network.
    expect(store.changes[0]?.charges[0]?.clientHash).toBe(voter);
  });

  it('refuses a bad reader token before any read', async () => {
    const store = new FakeLikeStore();
    const verify = async (): Promise<Reader> => {
      throw new ReaderTokenError('has expired');
    };
    await expect(
      setLike(deps(store, verify), like(true, { reader: 'stale-token' })),
    ).rejects.toBeInstanceOf(ReaderTokenError);
    await expect(setLike(deps(store), like(true, { reader: 'any' }))).rejects.toBeInstanceOf(
      ReaderTokenError,
    );
    expect(store.changes).toEqual([]);
  });

  it('tries again when a concurrent like of the same shard cancelled the write', async () => {
    const store = new FakeLikeStore();
    store.failures = [new VoteChangedError(), new VoteChangedError()];
    const view = await setLike(deps(store), like(true));
    expect(view.likes).toBe(1);
    expect(store.changes).toHaveLength(3);
  });

  it('is a ServiceBusyError when the shard keeps conflicting', async () => {
    const store = new FakeLikeStore();
    store.failures = Array.from({ length: 5 }, () => new VoteChangedError());
    await expect(setLike(deps(store), like(true))).rejects.toBeInstanceOf(ServiceBusyError);
    expect(store.liked.size).toBe(0);
  });
});
