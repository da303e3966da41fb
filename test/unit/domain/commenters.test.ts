import {
  CommenterRefusedError,
  CommenterSuspendedError,
  gateCommenter,
  guestCommenterId,
} from '../../../lambda/domain/commenters';
import { createComment } from '../../../lambda/domain/comments';
import type { Settings } from '../../../lambda/domain/settings';
import type { NewCommentInput } from '../../../lambda/domain/validation';
import {
  FakeCommentStore,
  fixedClock,
  fixedId,
  hasher,
  NOW,
  screeningFor,
  settingsWith,
} from '../fakes';

const input: NewCommentInput = {
  name: 'Ada',
  email: ' Ada@Example.com ',
  website: null,
  body: 'Hello.',
  parentId: null,
  notify: false,
};
const ADA = guestCommenterId(hasher, 'ada@example.com');

function create(store: FakeCommentStore, settings: Settings, body = input.body) {
  return createComment(
    {
      store,
      clock: fixedClock,
      newId: fixedId,
      hasher,
      settings,
      screening: screeningFor(settings),
    },
    { articleId: 'a-1', input: { ...input, body }, sourceIp: '203.0.113.7' },
  );
}

describe('guestCommenterId', () => {
  it('is one id per normalised email, neither the email nor its stored hash', () => {
    expect(guestCommenterId(hasher, ' ADA@example.com')).toBe(ADA);
    expect(ADA).not.toContain('ada');
    expect(ADA).not.toBe(hasher.hash('email', 'ada@example.com'));
    expect(guestCommenterId(hasher, 'bob@example.com')).not.toBe(ADA);
  });
});

describe('gateCommenter', () => {
  it.each([
    ['no record', undefined, false],
    ['normal', { state: 'normal' as const }, false],
    ['trusted', { state: 'trusted' as const }, true],
    [
      'a suspension that has ended',
      { state: 'suspended' as const, until: '2026-11-26T21:18:59Z' },
      false,
    ],
  ])('lets %s through (trusted: %s)', (_, record, trusted) => {
    expect(gateCommenter(record, NOW)).toBe(trusted);
  });

  it('refuses a banned commenter', () => {
    expect(() => gateCommenter({ state: 'banned' }, NOW)).toThrow(CommenterRefusedError);
  });

  it('refuses a suspended commenter with the seconds left, rounded up', () => {
    const until = new Date(NOW + 90_500).toISOString();
    let thrown: unknown;
    try {
      gateCommenter({ state: 'suspended', until }, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CommenterSuspendedError);
    expect((thrown as CommenterSuspendedError).retryAfterSeconds).toBe(91);
  });
});

describe('createComment, the commenter gate', () => {
  it('stores a guest comment with its commenterId, after one gate read with the article', async () => {
    const store = new FakeCommentStore();
    await create(store, settingsWith({ policy: 'none' }));
    expect(store.gateReads).toEqual([{ articleId: 'a-1', commenterId: ADA }]);
    expect(store.inserted[0]?.commenterId).toBe(ADA);
  });

  it('refuses a banned commenter before anything is stored', async () => {
    const store = new FakeCommentStore();
    store.commenters.set(ADA, { state: 'banned' });
    await expect(create(store, settingsWith({ policy: 'none' }))).rejects.toThrow(
      CommenterRefusedError,
    );
    expect(store.inserted).toEqual([]);
  });

  it('refuses a suspended commenter until the suspension ends', async () => {
    const store = new FakeCommentStore();
    store.commenters.set(ADA, { state: 'suspended', until: new Date(NOW + 60_000).toISOString() });
    await expect(create(store, settingsWith({ policy: 'none' }))).rejects.toThrow(
      CommenterSuspendedError,
    );
    expect(store.inserted).toEqual([]);
  });

  it('publishes a trusted commenter at once under the first-time policy', async () => {
    const store = new FakeCommentStore();
    store.commenters.set(ADA, { state: 'trusted' });
    const { status } = await create(store, settingsWith({ policy: 'first-time' }));
    expect(status).toBe('published');
    expect(store.insertOptions[0]?.ifKnownAuthor).toBe(false);
  });

  it('publishes a trusted commenter with more links than maxLinks', async () => {
    const store = new FakeCommentStore();
    const links = 'https://a.example https://b.example https://c.example';
    const settings = settingsWith({ policy: 'none', maxLinks: 1 });
    expect((await create(store, settings, links)).status).toBe('pending');
    store.commenters.set(ADA, { state: 'trusted' });
    expect((await create(store, settings, links)).status).toBe('published');
  });

  it('still holds a trusted commenter under the all policy', async () => {
    const store = new FakeCommentStore();
    store.commenters.set(ADA, { state: 'trusted' });
    expect((await create(store, settingsWith({ policy: 'all' }))).status).toBe('pending');
  });
});
