/**
 * A signed-in reader's reply notifications are kept under their own key (their `sub` with the
 * address: domain/comment-writer.ts readerSubscriberHash), not the address's hash: a guest who
 * types the same address shares nothing with them. The dispatcher's side, with a fake store.
 */
import type { CommentRecord } from '../../../lambda/domain/comment';
import { readerSubscriberHash } from '../../../lambda/domain/comment-writer';
import {
  type CommentRef,
  mailForComment,
  type NotificationDeps,
  type NotificationStore,
  readConfirmToken,
  readUnsubscribeToken,
  type SubscriberRecord,
} from '../../../lambda/domain/notifications';
import { commentRecord, fixedClock, fixedId, hasher, NOW } from '../fakes';

const ARTICLE = 'lighthouse-keepers';
const EMAIL = 'ada@reader.example';
const EMAIL_HASH = hasher.hash('email', EMAIL);
const READER_KEY = readerSubscriberHash(hasher, 'user-42', EMAIL);

/** A store that records whose subscription was asked about, with `subscribers` confirmed. */
function storeWith(parent: CommentRecord, subscribers: SubscriberRecord[] = []) {
  const asked: string[] = [];
  const marked: { emailHash: string; email: string }[] = [];
  const counted: string[] = [];
  const store = {
    findComment: async (_: string, commentId: string) =>
      commentId === parent.commentId ? parent : undefined,
    subscriber: async (key: string) => {
      asked.push(key);
      return subscribers.find((subscriber) => subscriber.emailHash === key);
    },
    markConfirmationSent: async (subscriber: { emailHash: string; email: string }) => {
      marked.push(subscriber);
      return true;
    },
    countReply: async (key: string, _window: string, _reply: CommentRef) => {
      counted.push(key);
      return 'send' as const;
    },
  } as unknown as NotificationStore;
  return { store, asked, marked, counted };
}

function deps(store: NotificationStore): NotificationDeps {
  return {
    store,
    hasher,
    clock: fixedClock,
    mail: {
      siteName: 'News Site',
      articleUrlTemplate: 'https://news.example/{articleId}',
      apiUrl: 'https://api.news.example',
      moderatorEmails: [],
      digestSeconds: 300,
    },
    undoSeconds: 6,
  };
}

const readerComment = (minute: number, overrides: Partial<CommentRecord> = {}) =>
  commentRecord({
    commentId: fixedId(NOW + minute * 60_000),
    articleId: ARTICLE,
    createdAt: new Date(NOW + minute * 60_000).toISOString(),
    email: EMAIL,
    emailHash: EMAIL_HASH,
    verified: true,
    commenterId: 'user-42',
    subscriberHash: READER_KEY,
    notify: true,
    ...overrides,
  });

describe('a signed-in reader’s reply notifications', () => {
  it('ask for confirmation under the reader’s own key, with links that carry it', async () => {
    const asking = readerComment(0);
    const { store, marked } = storeWith(asking);
    const jobs = await mailForComment(deps(store), asking);
    expect(marked).toEqual([{ emailHash: READER_KEY, email: EMAIL }]);
    const mail = jobs.find((queued) => queued.job.kind === 'mail')?.job;
    const link = mail?.kind === 'mail' ? /token=([^"&\s<]+)/.exec(mail.mail.text)?.[1] : undefined;
    expect(readConfirmToken(hasher, link, NOW)?.emailHash).toBe(READER_KEY);
  });

  it('tell the reader of a reply under their key, not their address’s', async () => {
    const parent = readerComment(0);
    const subscriber = { emailHash: READER_KEY, email: EMAIL, state: 'confirmed' as const };
    const { store, asked, counted } = storeWith(parent, [subscriber]);
    const reply = commentRecord({
      commentId: fixedId(NOW + 60_000),
      articleId: ARTICLE,
      parentId: parent.commentId,
      email: 'zoe@other.example',
      emailHash: hasher.hash('email', 'zoe@other.example'),
    });
    const jobs = await mailForComment(deps(store), reply);
    expect(asked).toEqual([READER_KEY]);
    expect(counted).toEqual([READER_KEY]);
    const mail = jobs.find((queued) => queued.job.kind === 'mail')?.job;
    expect(mail?.kind === 'mail' && mail.mail.to).toBe(EMAIL);
    const unsubscribe = mail?.kind === 'mail' ? mail.mail.unsubscribeUrl : undefined;
    const token = new URL(String(unsubscribe)).searchParams.get('token') ?? undefined;
    expect(readUnsubscribeToken(hasher, token)).toBe(READER_KEY);
  });

  it('are not a guest’s: a guest comment with the same address is asked about by the address', async () => {
    const guest = readerComment(0, {
      verified: undefined,
      commenterId: undefined,
      subscriberHash: undefined,
    });
    const confirmed = { emailHash: READER_KEY, email: EMAIL, state: 'confirmed' as const };
    const { store, asked } = storeWith(guest, [confirmed]);
    const reply = commentRecord({
      commentId: fixedId(NOW + 60_000),
      articleId: ARTICLE,
      parentId: guest.commentId,
      email: 'zoe@other.example',
      emailHash: hasher.hash('email', 'zoe@other.example'),
    });
    expect(await mailForComment(deps(store), reply)).toEqual([]);
    expect(asked).toEqual([EMAIL_HASH]);
  });
});
