/**
 * Mail about comments (docs/notifications.md): moderators hear of held comments, readers who
 * asked hear of published replies to their comments after confirming their address once.
 *
 * The dispatcher runs on the table's stream (keys only) and decides from the comment as it is
 * now, never from what changed: every mail it asks for is named by a key that is the same for
 * the same recipient and event, and the sender sends each key at most once. A redelivered or
 * repeated stream record therefore sends nothing new.
 */
import type { CommentRecord } from './comment';
import type { Clock } from './ids';
import { type KeyedHasher, readSignedJson, signJson } from './keyed-hash';
import { MailNotSentError, type MailSender, type OutgoingMail } from './mail';
import { decisionMailDelaySeconds } from './moderation-undo';
import {
  articleUrl,
  confirmationMail,
  heldCommentsMail,
  type MailSettings,
  repliesDigestMail,
  replyMail,
} from './notification-mails';
import type { RateCharge } from './rate-limit';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long a confirmation link and a moderator's approve or spam link work. */
export const LINK_LIFETIME_MS = 7 * DAY_MS;
/** At most one confirmation mail per address in this time. */
export const CONFIRMATION_INTERVAL_MS = DAY_MS;
/** Per client (keyed hash of its network), comments that ask for notifications, per hour. */
export const NOTIFY_REQUESTS_PER_HOUR = 10;
/**
 * At most this many reply notifications per address in an hour (of the clock); the replies past
 * it wait for one digest mail when the hour ends.
 */
export const NOTIFICATIONS_PER_HOUR = 5;
/** How long the sender remembers a mail it sent (redeliveries come within minutes or days). */
export const MAIL_MARKER_DAYS = 30;

export type SubscriberState = 'pending' | 'confirmed' | 'unsubscribed';

export interface SubscriberRecord {
  emailHash: string;
  email: string;
  state: SubscriberState;
}

/**
 * Work for the sender: a composed mail, the moderators' notice of one digest window, or an
 * address's digest of the replies past its hourly cap.
 */
export type MailJob =
  | {
      kind: 'mail';
      mail: OutgoingMail;
      /**
       * A mail about this comment being published: sent only if it still is when the mail goes
       * out (a moderator may have undone the approval meanwhile).
       */
      published?: CommentRef;
    }
  | { kind: 'held'; windowStart: string; windowEnd: string }
  | { kind: 'replies'; emailHash: string; windowStart: string; windowEnd: string };

/** A comment by its key parts. */
export interface CommentRef {
  articleId: string;
  commentId: string;
}

export interface QueuedJob {
  job: MailJob;
  /** Seconds before the sender may see it (at most 900, SQS's limit). */
  delaySeconds: number;
}

export interface MailQueue {
  enqueue(jobs: QueuedJob[]): Promise<void>;
}

export interface NotificationStore {
  /** The comment with its private fields, read consistently; undefined when gone. */
  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined>;
  /** The comments of a stream batch that still exist, read as findComment reads one. */
  findComments(refs: readonly CommentRef[]): Promise<CommentRecord[]>;
  subscriber(emailHash: string): Promise<SubscriberRecord | undefined>;
  /**
   * Records that a confirmation goes out for this comment's request, unless the address is
   * confirmed or was sent one in the last interval for another comment. True: send it.
   */
  markConfirmationSent(
    subscriber: { emailHash: string; email: string },
    commentId: string,
    now: string,
    notBefore: string,
  ): Promise<boolean>;
  /**
   * Pending or confirmed becomes confirmed, when the link was issued since the address's current
   * request began (`issuedAt`); false when there is no such subscriber to confirm, or the link
   * is older than an unsubscription or an erasure.
   */
  confirm(emailHash: string, issuedAt: string, now: string): Promise<boolean>;
  /** The address's state and when its current request began (never its email); read only. */
  subscriptionState(
    emailHash: string,
  ): Promise<{ state: SubscriberState; pendingSince: string | null } | undefined>;
  unsubscribe(emailHash: string, now: string): Promise<void>;
  /** Comments held now (status pending) created in [from, to). */
  heldBetween(from: string, to: string): Promise<CommentRecord[]>;
  /** Puts the at-most-once marker; false when it is already there. */
  claimMail(markerId: string, expiresAtSeconds: number): Promise<boolean>;
  releaseMail(markerId: string): Promise<void>;
  /**
   * Counts a reply toward the address's hour: `send` while the hour has sent fewer than `cap`
   * (or already counted this reply), else `digest`, with the reply recorded for the hour's digest.
   * Either way the same again for the same reply.
   */
  countReply(
    emailHash: string,
    windowStart: string,
    reply: CommentRef,
    cap: number,
    expiresAtSeconds: number,
  ): Promise<'send' | 'digest'>;
  /** The replies recorded for the hour's digest. */
  digestReplies(emailHash: string, windowStart: string): Promise<CommentRef[]>;
}

export interface NotificationDeps {
  store: NotificationStore;
  hasher: KeyedHasher;
  clock: Clock;
  mail: MailSettings;
  /** How long a moderator's decision can be undone (settings: moderation.undoSeconds). */
  undoSeconds: number;
}

/** The per-client limit on asking for notifications, charged in the comment's transaction. */
export function notifyCharge(clientHash: string, nowMs: number): RateCharge {
  const start = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  return {
    clientHash,
    action: 'notify',
    window: 'hour',
    windowStart: new Date(start).toISOString(),
    windowEnd: start + HOUR_MS,
    limit: NOTIFY_REQUESTS_PER_HOUR,
  };
}

// Tokens: signed, each kind under its own purpose, carrying the keyed hash of the address and
// never the address.

const CONFIRM_PURPOSE = 'subscription-confirm';
const UNSUBSCRIBE_PURPOSE = 'subscription-unsubscribe';
const MODERATE_PURPOSE = 'moderation-link';

/** Carries when it was issued: a link older than an unsubscription confirms nothing. */
export function confirmToken(hasher: KeyedHasher, emailHash: string, nowMs: number): string {
  return signJson({ h: emailHash, i: nowMs, x: nowMs + LINK_LIFETIME_MS }, CONFIRM_PURPOSE, hasher);
}

/** Unsubscribe links do not expire: a notification can be read long after it was sent. */
export function unsubscribeToken(hasher: KeyedHasher, emailHash: string): string {
  return signJson({ h: emailHash }, UNSUBSCRIBE_PURPOSE, hasher);
}

export type ModerationAction = 'published' | 'spam';

/** What a moderator's link names: the comment (its article too, so its key needs no index). */
export interface ModerationLink {
  articleId: string;
  commentId: string;
  action: ModerationAction;
  /** Milliseconds since the epoch after which the link no longer acts. */
  expiresAt: number;
  /** The article's page, for the link's page to link to (absent from links signed before it). */
  articleUrl?: string;
}

/**
 * A moderator's link. It carries the article's page, signed with the rest, since the functions
 * behind the link have no mail settings to build it from.
 */
export function moderationToken(
  hasher: KeyedHasher,
  comment: { articleId: string; commentId: string },
  action: ModerationAction,
  nowMs: number,
  articleUrl?: string,
): string {
  return signJson(
    {
      a: comment.articleId,
      c: comment.commentId,
      s: action,
      x: nowMs + LINK_LIFETIME_MS,
      ...(articleUrl ? { u: articleUrl } : {}),
    },
    MODERATE_PURPOSE,
    hasher,
  );
}

function fields(token: string | undefined, purpose: string, hasher: KeyedHasher) {
  if (token === undefined) return undefined;
  const value = readSignedJson(token, purpose, hasher);
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)
    : undefined;
}

const unexpired = (expiry: unknown, nowMs: number): boolean =>
  typeof expiry === 'number' && nowMs < expiry;

/** The address's keyed hash and when the link was issued, for a valid, unexpired token. */
export function readConfirmToken(
  hasher: KeyedHasher,
  token: string | undefined,
  nowMs: number,
): { emailHash: string; issuedAt: number } | undefined {
  const value = fields(token, CONFIRM_PURPOSE, hasher);
  if (typeof value?.h !== 'string' || typeof value.i !== 'number') return undefined;
  return unexpired(value.x, nowMs) ? { emailHash: value.h, issuedAt: value.i } : undefined;
}

export function readUnsubscribeToken(hasher: KeyedHasher, token: string | undefined) {
  const value = fields(token, UNSUBSCRIBE_PURPOSE, hasher);
  return typeof value?.h === 'string' ? value.h : undefined;
}

/**
 * The link a moderator's token names, expired or not (the page says which), or undefined when
 * the token is not one this service signed.
 */
export function readModerationToken(
  hasher: KeyedHasher,
  token: string | undefined,
): ModerationLink | undefined {
  const value = fields(token, MODERATE_PURPOSE, hasher);
  if (typeof value?.a !== 'string' || typeof value.c !== 'string') return undefined;
  if (typeof value.x !== 'number') return undefined;
  if (value.s !== 'published' && value.s !== 'spam') return undefined;
  const link: ModerationLink = {
    articleId: value.a,
    commentId: value.c,
    action: value.s,
    expiresAt: value.x,
  };
  return typeof value.u === 'string' && /^https?:\/\//.test(value.u)
    ? { ...link, articleUrl: value.u }
    : link;
}

/** The marker id of a token or a mail key: keyed, so a key that names an address leaks nothing. */
export const markerId = (hasher: KeyedHasher, value: string): string => hasher.hash('mail', value);

// The dispatcher.

/** The digest window a held comment falls in, and how long until it closes. */
function heldWindow(createdAt: string, windowSeconds: number, nowMs: number): QueuedJob {
  const size = windowSeconds * 1000;
  const start = Math.floor(Date.parse(createdAt) / size) * size;
  const end = start + size;
  return {
    job: {
      kind: 'held',
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(end).toISOString(),
    },
    delaySeconds: delayUntil(end, nowMs),
  };
}

/**
 * Seconds until a second past a window's end (so everything of the window is stored by then),
 * within SQS's limit of 900: a job due later is queued again when it comes (runJob).
 */
const delayUntil = (endMs: number, nowMs: number): number =>
  Math.min(900, Math.max(0, Math.ceil((endMs - nowMs) / 1000) + 1));

/**
 * Whose reply notifications a comment's `notify` is: a signed-in reader's own (their `sub` with
 * the address: comment-writer.ts), else the address's. Every subscriber item, token and digest
 * is named by this key.
 */
export function subscriberKeyOf(comment: CommentRecord): string | null {
  return comment.subscriberHash ?? comment.emailHash;
}

/** The mail this comment calls for now; the sender drops any that went out before. */
export async function mailForComment(
  deps: NotificationDeps,
  comment: CommentRecord,
): Promise<QueuedJob[]> {
  // An import brings years of comments at once: nobody is told of them, held ones included (the
  // import's report and the console's queue say what waits).
  if (comment.imported) return [];
  const now = deps.clock();
  const jobs: QueuedJob[] = [];
  if (comment.status === 'pending' && deps.mail.moderatorEmails.length > 0) {
    jobs.push(heldWindow(comment.createdAt, deps.mail.digestSeconds, now));
  }
  // A comment held as spam asks for nothing: that is where a flood of strangers' addresses lands.
  const key = subscriberKeyOf(comment);
  if (comment.notify && comment.status !== 'spam' && comment.email && key) {
    const confirmation = await confirmationFor(deps, comment, comment.email, key);
    if (confirmation) jobs.push({ job: { kind: 'mail', mail: confirmation }, delaySeconds: 0 });
  }
  if (comment.status === 'published' && comment.parentId !== null) {
    const notification = await replyNotification(deps, comment, comment.parentId);
    if (notification) jobs.push(notification);
  }
  return jobs;
}

async function confirmationFor(
  deps: NotificationDeps,
  comment: CommentRecord,
  email: string,
  emailHash: string,
): Promise<OutgoingMail | undefined> {
  const now = deps.clock();
  const send = await deps.store.markConfirmationSent(
    { emailHash, email },
    comment.commentId,
    new Date(now).toISOString(),
    new Date(now - CONFIRMATION_INTERVAL_MS).toISOString(),
  );
  if (!send) return undefined;
  return confirmationMail(deps.mail, {
    // The comment that asked names the mail: its redelivery is the same mail.
    key: `confirm:${emailHash}:${comment.commentId}`,
    to: email,
    articleId: comment.articleId,
    commentId: comment.commentId,
    confirmUrl: `${deps.mail.apiUrl}/subscriptions/confirm?token=${confirmToken(deps.hasher, emailHash, now)}`,
  });
}

const unsubscribeUrl = (deps: NotificationDeps, emailHash: string): string =>
  `${deps.mail.apiUrl}/subscriptions/unsubscribe?token=${unsubscribeToken(deps.hasher, emailHash)}`;

/** The reply's notification, or, past the address's hourly cap, its hour's digest job. */
async function replyNotification(
  deps: NotificationDeps,
  reply: CommentRecord,
  parentId: string,
): Promise<QueuedJob | undefined> {
  const parent = await deps.store.findComment(reply.articleId, parentId);
  const key = parent === undefined ? null : subscriberKeyOf(parent);
  if (!parent?.notify || !key) return undefined;
  // Nobody hears of their own replies: the same address, or the same signed-in reader.
  if (parent.emailHash !== null && parent.emailHash === reply.emailHash) return undefined;
  if (parent.commenterId !== undefined && parent.commenterId === reply.commenterId)
    return undefined;
  const subscriber = await deps.store.subscriber(key);
  if (subscriber?.state !== 'confirmed') return undefined;
  const now = deps.clock();
  const start = Math.floor(now / HOUR_MS) * HOUR_MS;
  const windowStart = new Date(start).toISOString();
  const counted = await deps.store.countReply(
    subscriber.emailHash,
    windowStart,
    reply,
    NOTIFICATIONS_PER_HOUR,
    Math.ceil((start + DAY_MS) / 1000),
  );
  if (counted === 'digest') {
    const windowEnd = new Date(start + HOUR_MS).toISOString();
    return {
      job: { kind: 'replies', emailHash: subscriber.emailHash, windowStart, windowEnd },
      delaySeconds: delayUntil(start + HOUR_MS, now),
    };
  }
  const mail = replyMail(deps.mail, {
    key: `reply:${reply.commentId}:${subscriber.emailHash}`,
    to: subscriber.email,
    parent,
    reply,
    unsubscribeUrl: unsubscribeUrl(deps, subscriber.emailHash),
  });
  // The reply may be published by a moderator who can still undo it: the mail leaves once the
  // decision stands, and only if the reply is still published then.
  return {
    job: {
      kind: 'mail',
      mail,
      published: { articleId: reply.articleId, commentId: reply.commentId },
    },
    delaySeconds: decisionMailDelaySeconds(deps.undoSeconds),
  };
}

// The sender.

export interface SenderDeps extends NotificationDeps {
  sender: MailSender;
  /** The sender's own queue: a digest due after SQS's longest delay waits there again. */
  queue: MailQueue;
}

/**
 * Sends a mail unless its key went out before. The marker is written first: a crash between
 * marker and send loses that one mail rather than ever sending it twice. When the mail service
 * says it did not take the message, the marker is removed so a retry can send it.
 */
export async function sendOnce(deps: SenderDeps, mail: OutgoingMail): Promise<boolean> {
  const id = markerId(deps.hasher, mail.key);
  const expiresAt = Math.ceil(deps.clock() / 1000) + MAIL_MARKER_DAYS * 86_400;
  if (!(await deps.store.claimMail(id, expiresAt))) return false;
  try {
    await deps.sender.send(mail);
  } catch (error) {
    if (error instanceof MailNotSentError) await deps.store.releaseMail(id);
    throw error;
  }
  return true;
}

/** Carries out one job; throws to have it retried. */
export async function runJob(deps: SenderDeps, job: MailJob): Promise<void> {
  if (job.kind === 'mail') {
    if (job.published && !(await stillPublished(deps, job.published))) return;
    await sendOnce(deps, job.mail);
    return;
  }
  if (job.kind === 'replies') {
    await sendRepliesDigest(deps, job);
    return;
  }
  const held = await deps.store.heldBetween(job.windowStart, job.windowEnd);
  if (held.length === 0) return;
  const now = deps.clock();
  const links = held.map((comment) => {
    const token = (action: ModerationAction) =>
      moderationToken(deps.hasher, comment, action, now, articleUrl(deps.mail, comment.articleId));
    return {
      comment,
      approveUrl: `${deps.mail.apiUrl}/moderation/actions?token=${token('published')}`,
      spamUrl: `${deps.mail.apiUrl}/moderation/actions?token=${token('spam')}`,
    };
  });
  for (const moderator of deps.mail.moderatorEmails) {
    await sendOnce(
      deps,
      heldCommentsMail(deps.mail, {
        key: `held:${job.windowStart}:${markerId(deps.hasher, moderator)}`,
        to: moderator,
        held: links,
      }),
    );
  }
}

async function stillPublished(deps: SenderDeps, ref: CommentRef): Promise<boolean> {
  const comment = await deps.store.findComment(ref.articleId, ref.commentId);
  return comment?.status === 'published';
}

/** An address's replies past its hourly cap, in one mail once the hour is over. */
async function sendRepliesDigest(
  deps: SenderDeps,
  job: Extract<MailJob, { kind: 'replies' }>,
): Promise<void> {
  const now = deps.clock();
  const end = Date.parse(job.windowEnd);
  if (now < end) {
    await deps.queue.enqueue([{ job, delaySeconds: delayUntil(end, now) }]);
    return;
  }
  // Asked again now: an address that unsubscribed or was erased since gets nothing.
  const subscriber = await deps.store.subscriber(job.emailHash);
  if (subscriber?.state !== 'confirmed') return;
  const refs = await deps.store.digestReplies(job.emailHash, job.windowStart);
  const found = await Promise.all(
    refs.map((ref) => deps.store.findComment(ref.articleId, ref.commentId)),
  );
  // A reply deleted or hidden since is left out.
  const replies = found
    .filter((reply): reply is CommentRecord => reply?.status === 'published')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (replies.length === 0) return;
  await sendOnce(
    deps,
    repliesDigestMail(deps.mail, {
      key: `replies:${job.emailHash}:${job.windowStart}`,
      to: subscriber.email,
      replies,
      unsubscribeUrl: unsubscribeUrl(deps, job.emailHash),
    }),
  );
}

// The reader's links.

export async function confirmSubscription(
  deps: Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>,
  token: string | undefined,
): Promise<boolean> {
  const now = deps.clock();
  const link = readConfirmToken(deps.hasher, token, now);
  return (
    link !== undefined &&
    deps.store.confirm(
      link.emailHash,
      new Date(link.issuedAt).toISOString(),
      new Date(now).toISOString(),
    )
  );
}

/**
 * What a confirmation link's page offers, read without changing anything: `invalid` (forged or
 * expired), `confirmed` (already done: nothing to press), `ready` (the button confirms), or
 * `stale`: the address unsubscribed, was erased, or asked again since the link was sent, so the
 * button would confirm nothing (confirmSubscription's condition).
 */
export type ConfirmLinkState = 'invalid' | 'confirmed' | 'ready' | 'stale';

export async function confirmLinkState(
  deps: Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>,
  token: string | undefined,
): Promise<ConfirmLinkState> {
  const link = readConfirmToken(deps.hasher, token, deps.clock());
  if (link === undefined) return 'invalid';
  const current = await deps.store.subscriptionState(link.emailHash);
  if (current?.state === 'confirmed') return 'confirmed';
  const issued = new Date(link.issuedAt).toISOString();
  const since = current?.pendingSince;
  return current?.state === 'pending' && since != null && since <= issued ? 'ready' : 'stale';
}

export async function unsubscribe(
  deps: Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>,
  token: string | undefined,
): Promise<boolean> {
  const emailHash = readUnsubscribeToken(deps.hasher, token);
  if (emailHash === undefined) return false;
  await deps.store.unsubscribe(emailHash, new Date(deps.clock()).toISOString());
  return true;
}
