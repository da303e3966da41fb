/**
 * Outgoing webhooks and Slack (docs/screening.md, "Outgoing webhooks and Slack"): the site's
 * endpoints are told of comment events, and a Slack channel of each held comment with the
 * moderators' one-click links, off the request path.
 *
 * As mail is (domain/notifications.ts), it is decided from the comment as it is now: the
 * dispatcher on the table's stream reads the batch's comments and queues a delivery per event and
 * endpoint, each named by the comment's stamp (when it was created, or last decided by a
 * moderator), so a repeated or redelivered record names the same delivery again and the sender
 * sends it once. A delivery about a moderator's decision waits until the decision can no longer be
 * undone, and every delivery is checked against the comment as it is when it goes out.
 */
import type { CommentRecord, CommentStatus, PublicComment } from './comment';
import { toPublicComment } from './comment';
import type { WebhookEvent, WebhookSettings } from './hook-settings';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { decisionMailDelaySeconds } from './moderation-undo';
import { type CommentRef, type ModerationAction, moderationToken } from './notifications';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

/** A comment as the webhook functions read it (its email only where an endpoint opted in). */
export interface HookComment extends CommentRecord {
  /** When a moderator (the console, a one-click link) last changed its status. */
  moderatedAt?: string;
  /** The status the console's last decision took it from, while the decision is recorded. */
  decidedFrom?: CommentStatus;
}

/** The stamp of a deleted comment: it is deleted once. */
const DELETED = 'deleted';

/** One delivery: an event to one endpoint (by its URL), or a held comment to Slack. */
export type Delivery =
  | { kind: 'event'; event: WebhookEvent; url: string; ref: CommentRef; stamp: string }
  | { kind: 'slack'; ref: CommentRef; stamp: string };

export interface QueuedDelivery {
  job: Delivery;
  /** Seconds before the sender may see it (at most 900, SQS's limit). */
  delaySeconds: number;
}

export interface DeliveryQueue {
  enqueue(jobs: QueuedDelivery[]): Promise<void>;
}

export interface HookStore {
  /** The comments of a stream batch that still exist, read consistently. */
  findComments(refs: readonly CommentRef[]): Promise<HookComment[]>;
  findComment(ref: CommentRef): Promise<HookComment | undefined>;
  /** Puts the delivery's once-only marker; false when it is already there. */
  claim(markerId: string, expiresAtSeconds: number): Promise<boolean>;
  release(markerId: string): Promise<void>;
}

/** Where the Slack message's links point (the API's and, when known, the article's and the console's). */
export interface HookLinks {
  /** The API's base URL, no trailing slash: the one-click links. */
  apiUrl: string;
  /** An article's page: `{articleId}` is replaced by the URL-encoded id. */
  articleUrlTemplate?: string;
  consoleUrl?: string;
}

/** What the dispatcher needs: the endpoints and their events, whether Slack is on, the undo window. */
export interface HookDispatchDeps {
  store: HookStore;
  webhooks: readonly Pick<WebhookSettings, 'url' | 'events'>[];
  slack: boolean;
  /** How long a moderator's decision can be undone (settings: moderation.undoSeconds). */
  undoSeconds: number;
}

/** POSTs a body to a URL with these headers; throws when the endpoint does not answer 2xx. */
export type Poster = (url: string, body: string, headers: Record<string, string>) => Promise<void>;

/** A webhook endpoint as the sender sees it: its secret fetched on first use. */
export interface HookEndpoint {
  url: string;
  events: readonly WebhookEvent[];
  includeEmail: boolean;
  secret: () => Promise<string>;
}

export interface HookSendDeps {
  store: HookStore;
  hasher: KeyedHasher;
  clock: Clock;
  endpoints: readonly HookEndpoint[];
  /** The Slack incoming-webhook URL (itself a secret, fetched on first use), where Slack is on. */
  slackUrl?: () => Promise<string>;
  links: HookLinks;
  post: Poster;
}

/** How long the sender remembers a delivery it made (redeliveries come within minutes or days). */
export const DELIVERY_MARKER_DAYS = 30;

/** What a change of the table told the dispatcher about one comment. */
export interface CommentChange {
  ref: CommentRef;
  /** The batch inserted it (it is new). */
  inserted: boolean;
  /** It is gone: deleted by its author or a moderator. */
  removed: boolean;
}

const stampOf = (comment: HookComment): string => comment.moderatedAt ?? comment.createdAt;

/** A moderator's decision waits out its undo; anything else leaves at once. */
const delayOf = (comment: HookComment, undoSeconds: number): number =>
  comment.moderatedAt === undefined ? 0 : decisionMailDelaySeconds(undoSeconds);

/** The events a comment as it is now stands for; `inserted` when the batch created it. */
export function eventsOf(comment: HookComment, inserted: boolean): WebhookEvent[] {
  // An import brings years of comments at once: nobody is told of them.
  if (comment.imported) return [];
  const events: WebhookEvent[] = [];
  // Spam is where floods land: it is created, for the endpoints, only once a human publishes it.
  if (inserted && comment.status !== 'spam') events.push('comment.created');
  if (comment.status === 'published') events.push('comment.published');
  if (comment.status === 'pending' && comment.holdReasons?.includes('reported')) {
    events.push('comment.reported');
  }
  if (comment.status !== 'published' && comment.decidedFrom === 'published') {
    events.push('comment.removed');
  }
  return events;
}

/** The deliveries the batch's changes call for now; the sender drops any made before. */
export function deliveriesFor(
  deps: HookDispatchDeps,
  change: CommentChange,
  comment: HookComment | undefined,
): QueuedDelivery[] {
  const { ref } = change;
  const toEndpoints = (event: WebhookEvent, stamp: string, delaySeconds: number) =>
    deps.webhooks
      .filter((webhook) => webhook.events.includes(event))
      .map(
        (webhook): QueuedDelivery => ({
          job: { kind: 'event', event, url: webhook.url, ref, stamp },
          delaySeconds,
        }),
      );
  if (change.removed || comment === undefined) {
    return toEndpoints('comment.removed', DELETED, 0);
  }
  const stamp = stampOf(comment);
  const delaySeconds = delayOf(comment, deps.undoSeconds);
  const jobs = eventsOf(comment, change.inserted).flatMap((event) =>
    // A comment's creation is not a decision: it leaves at once.
    event === 'comment.created'
      ? toEndpoints(event, comment.createdAt, 0)
      : toEndpoints(event, stamp, delaySeconds),
  );
  if (deps.slack && comment.status === 'pending' && !comment.imported) {
    jobs.push({ job: { kind: 'slack', ref, stamp }, delaySeconds });
  }
  return jobs;
}

/** Whether the delivery still stands for the comment as it is now (undefined: gone). */
export function stillStands(job: Delivery, comment: HookComment | undefined): boolean {
  if (job.kind === 'slack') return comment?.status === 'pending' && stampOf(comment) === job.stamp;
  if (job.stamp === DELETED) return comment === undefined;
  if (job.event === 'comment.created') return comment !== undefined && comment.status !== 'spam';
  // Gone since a moderator took it down: the removal stands all the more.
  if (comment === undefined) return job.event === 'comment.removed';
  return eventsOf(comment, false).includes(job.event) && stampOf(comment) === job.stamp;
}

/** The id of an event, the same on every delivery of it: receivers drop repeats by it. */
export function eventId(hasher: KeyedHasher, job: Extract<Delivery, { kind: 'event' }>): string {
  const { articleId, commentId } = job.ref;
  return `evt_${hasher.hash('webhook-event', `${job.event}/${articleId}/${commentId}/${job.stamp}`)}`;
}

/** A comment as an endpoint is told of it: the public comment, its status and why it waits. */
export type HookPayloadComment =
  | (PublicComment & { status: CommentStatus; holdReasons: string[]; email?: string | null })
  | { id: string; articleId: string; status: 'deleted' };

export function eventPayload(
  hasher: KeyedHasher,
  job: Extract<Delivery, { kind: 'event' }>,
  comment: HookComment | undefined,
  options: { includeEmail: boolean; nowMs: number },
): string {
  const about: HookPayloadComment = comment
    ? {
        ...toPublicComment(comment),
        status: comment.status,
        holdReasons: comment.holdReasons ?? [],
        ...(options.includeEmail ? { email: comment.email } : {}),
      }
    : { id: job.ref.commentId, articleId: job.ref.articleId, status: 'deleted' };
  return JSON.stringify({
    id: eventId(hasher, job),
    type: job.event,
    sentAt: new Date(options.nowMs).toISOString(),
    comment: about,
  });
}

// The Slack message.

/** Slack's mrkdwn wants these three escaped in text (its "Formatting text" guide). */
const slackText = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slackLink = (url: string, label: string): string => `<${url}|${slackText(label)}>`;
const EXCERPT_CHARS = 500;

export function slackMessage(
  hasher: KeyedHasher,
  links: HookLinks,
  comment: HookComment,
  nowMs: number,
): string {
  const articleUrl = links.articleUrlTemplate?.replace(
    '{articleId}',
    encodeURIComponent(comment.articleId),
  );
  const link = (action: ModerationAction) =>
    `${links.apiUrl}/moderation/actions?token=${moderationToken(hasher, comment, action, nowMs, articleUrl)}`;
  const body =
    comment.body.length > EXCERPT_CHARS ? `${comment.body.slice(0, EXCERPT_CHARS)}…` : comment.body;
  const article = articleUrl
    ? slackLink(articleUrl, comment.articleId)
    : slackText(comment.articleId);
  const reasons = comment.holdReasons?.length
    ? comment.holdReasons.join(', ')
    : 'moderation policy';
  const actions = [
    slackLink(link('published'), 'Approve'),
    slackLink(link('spam'), 'Mark as spam'),
    ...(links.consoleUrl ? [slackLink(links.consoleUrl, 'Open the console')] : []),
  ].join('  ·  ');
  const lines = [
    `*Held for moderation* on ${article}`,
    `*${slackText(comment.authorName)}* wrote:`,
    ...body.split('\n').map((line) => `> ${slackText(line)}`),
    `Why: ${slackText(reasons)}`,
    actions,
  ];
  return JSON.stringify({
    text: `Held for moderation: ${slackText(comment.authorName)} on ${slackText(comment.articleId)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
  });
}

// The sender.

/** The marker of one delivery: keyed, so the table's key gives nothing away. */
function markerOf(hasher: KeyedHasher, job: Delivery): string {
  const { articleId, commentId } = job.ref;
  const what = job.kind === 'slack' ? 'slack' : `${job.event}\u0000${job.url}`;
  return hasher.hash('webhook', `${what}\u0000${articleId}/${commentId}/${job.stamp}`);
}

/** The request for a delivery, or undefined when it no longer stands or has no endpoint now. */
async function requestFor(
  deps: HookSendDeps,
  job: Delivery,
  comment: HookComment | undefined,
): Promise<{ url: string; body: string; headers: Record<string, string> } | undefined> {
  const now = deps.clock();
  if (job.kind === 'slack') {
    if (!deps.slackUrl || !comment) return undefined;
    return {
      url: await deps.slackUrl(),
      body: slackMessage(deps.hasher, deps.links, comment, now),
      headers: { 'content-type': 'application/json' },
    };
  }
  // The endpoint as configured now: one removed or no longer told of this event since is skipped.
  const endpoint = deps.endpoints.find((candidate) => candidate.url === job.url);
  if (!endpoint?.events.includes(job.event)) return undefined;
  const body = eventPayload(deps.hasher, job, comment, {
    includeEmail: endpoint.includeEmail,
    nowMs: now,
  });
  return {
    url: endpoint.url,
    body,
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signatureHeader(await endpoint.secret(), body, now),
    },
  };
}

/**
 * Makes one delivery if it still stands, once: the marker is put first and taken away again when
 * the endpoint did not take it, so a retry makes it. Throws to have the job retried.
 */
export async function deliver(deps: HookSendDeps, job: Delivery): Promise<'sent' | 'skipped'> {
  const comment = await deps.store.findComment(job.ref);
  if (!stillStands(job, comment)) return 'skipped';
  const request = await requestFor(deps, job, comment);
  if (!request) return 'skipped';
  const marker = markerOf(deps.hasher, job);
  const expiresAt = Math.ceil(deps.clock() / 1000) + DELIVERY_MARKER_DAYS * 86_400;
  if (!(await deps.store.claim(marker, expiresAt))) return 'skipped';
  try {
    await deps.post(request.url, request.body, request.headers);
  } catch (error) {
    await deps.store.release(marker);
    throw error;
  }
  return 'sent';
}

/** Seconds before a failed delivery is tried again: doubling from 30 s, at most an hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
}
