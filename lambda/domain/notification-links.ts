/**
 * The moderators' one-click links of a held-comment notice (docs/notifications.md, "Moderators"):
 * following a link shows the comment and a button and changes nothing, since mail scanners open
 * every link; only the button's POST acts. A link works for 7 days, and a notice's links for one
 * comment act once between them, and only on a comment still held (the state the notice was sent
 * for): the use is recorded in the same transaction as the status change, conditioned on that
 * state, so a fault leaves neither and a colleague's decision is never overridden.
 */
import type { CommentRecord, CommentStatus } from './comment';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { type ModerationAction, type ModerationLink, readModerationToken } from './notifications';
import type { ModeratedComment } from './ports';
import { type TuningCount, verdictOutcomes } from './screen-tuning';

/** The outcome of a link's action: `changed` when the comment left the status it was read in. */
export type LinkActResult = 'done' | 'used' | 'changed';

export interface ModerationLinkStore {
  /** The comment's public fields and status (no email, no hash); undefined when it is gone. */
  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined>;
  /**
   * The same with the email's keyed hash, which approving records as a known author, and the
   * screen's reasons and any decision since, which a first decision counts (domain/screen-tuning.ts).
   */
  findForAction(articleId: string, commentId: string): Promise<ModeratedComment | undefined>;
  /** Whether the link's once-only marker is there. */
  linkUsed(markerId: string): Promise<boolean>;
  /**
   * In one transaction: the marker (which must not exist yet), the comment from the status it
   * was read in to `status`, its article's counts and, when published, its author item.
   */
  act(
    markerId: string,
    expiresAtSeconds: number,
    current: CommentRecord,
    status: ModerationAction,
    tuning?: readonly TuningCount[],
  ): Promise<LinkActResult>;
}

export interface ModerationLinkDeps {
  links: ModerationLinkStore;
  hasher: KeyedHasher;
  clock: Clock;
}

/** What a link can be found to be, each with its own page. */
export type LinkState =
  | { kind: 'invalid' }
  | { kind: 'expired' }
  /** A link of the same notice for this comment acted before; the comment as it is now. */
  | { kind: 'used'; link: ModerationLink; comment?: CommentRecord }
  | { kind: 'gone' }
  /** Someone decided the comment since the notice was sent: the link acts no more. */
  | { kind: 'moderated'; link: ModerationLink; comment: CommentRecord }
  | { kind: 'ready'; link: ModerationLink; comment: CommentRecord }
  /** The link acted just now. */
  | { kind: 'done'; link: ModerationLink; comment: CommentRecord };

/** Notices are sent for held comments: their links act only on a comment still held. */
const SENT_FOR: CommentStatus = 'pending';

/**
 * One marker for a comment's links in one notice (its approve and spam links share the
 * comment and the expiry the notice gave them), so the first used retires the other. Keyed,
 * so the table's key of a used link does not give the link away.
 */
const linkMarker = (hasher: KeyedHasher, link: ModerationLink): string =>
  hasher.hash('moderation-link', `${link.articleId}/${link.commentId}/${link.expiresAt}`);

/**
 * A link as its page and its button both first see it: invalid, expired or used, each answered
 * with its page, or open, with its marker.
 */
async function openLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): Promise<LinkState | { kind: 'open'; link: ModerationLink; marker: string }> {
  const link = readModerationToken(deps.hasher, token);
  if (!link) return { kind: 'invalid' };
  if (deps.clock() >= link.expiresAt) return { kind: 'expired' };
  const marker = linkMarker(deps.hasher, link);
  if (await deps.links.linkUsed(marker)) return usedState(deps, link);
  return { kind: 'open', link, marker };
}

/** What the link's page shows; reads only. */
export async function inspectLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): Promise<LinkState> {
  const opened = await openLink(deps, token);
  return opened.kind === 'open' ? pageState(deps, opened.link) : opened;
}

/**
 * The button's POST: acts once, and only on a comment still in the state the notice was sent
 * for, or says why it did not (never `ready`'s button twice, never over a colleague's decision).
 */
export async function followLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): Promise<LinkState> {
  const opened = await openLink(deps, token);
  if (opened.kind !== 'open') return opened;
  const { link, marker } = opened;
  const comment = await deps.links.findForAction(link.articleId, link.commentId);
  if (!comment) return { kind: 'gone' };
  if (comment.status !== SENT_FOR) return { kind: 'moderated', link, comment };
  const { decision, ...current } = comment;
  const result = await deps.links.act(
    marker,
    Math.ceil(link.expiresAt / 1000),
    current,
    link.action,
    verdictOutcomes(current, link.action, decision !== undefined),
  );
  if (result === 'used') return usedState(deps, link);
  // Someone moderated it between the read and the write: the page says what it is now.
  if (result === 'changed') return pageState(deps, link);
  return { kind: 'done', link, comment: { ...current, status: link.action } };
}

/** The comment a valid, unused link names, as its page shows it now. */
async function pageState(deps: ModerationLinkDeps, link: ModerationLink): Promise<LinkState> {
  const comment = await deps.links.findComment(link.articleId, link.commentId);
  if (!comment) return { kind: 'gone' };
  return { kind: comment.status === SENT_FOR ? 'ready' : 'moderated', link, comment };
}

async function usedState(deps: ModerationLinkDeps, link: ModerationLink): Promise<LinkState> {
  const comment = await deps.links.findComment(link.articleId, link.commentId);
  return comment ? { kind: 'used', link, comment } : { kind: 'used', link };
}
