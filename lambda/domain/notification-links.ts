/**
 * The moderators' one-click links of a held-comment notice (docs/notifications.md, "Moderators"):
 * following a link shows the comment and a button and changes nothing, since mail scanners open
 * every link; only the button's POST acts. A link works for 7 days and acts once: its use is
 * recorded in the same transaction as the status change, so a fault leaves neither.
 */
import type { CommentRecord } from './comment';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { type ModerationAction, type ModerationLink, readModerationToken } from './notifications';

/** The outcome of a link's action: `changed` when the comment left the status it was read in. */
export type LinkActResult = 'done' | 'used' | 'changed';

export interface ModerationLinkStore {
  /** The comment's public fields and status (no email, no hash); undefined when it is gone. */
  findComment(articleId: string, commentId: string): Promise<CommentRecord | undefined>;
  /** The same with the email's keyed hash, which approving records as a known author. */
  findForAction(articleId: string, commentId: string): Promise<CommentRecord | undefined>;
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
  | { kind: 'used' }
  | { kind: 'gone' }
  /** The comment already has the status the link would give it. */
  | { kind: 'already'; link: ModerationLink; comment: CommentRecord }
  | { kind: 'ready'; link: ModerationLink; comment: CommentRecord }
  /** The link acted just now. */
  | { kind: 'done'; link: ModerationLink; comment: CommentRecord };

/** Keyed, so the table's key of a used link does not give the link away. */
const linkMarker = (hasher: KeyedHasher, token: string): string =>
  hasher.hash('moderation-link', token);

function readLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): { kind: 'invalid' } | { kind: 'expired' } | { kind: 'valid'; link: ModerationLink } {
  const link = readModerationToken(deps.hasher, token);
  if (!link) return { kind: 'invalid' };
  if (deps.clock() >= link.expiresAt) return { kind: 'expired' };
  return { kind: 'valid', link };
}

/** What the link's page shows; reads only. */
export async function inspectLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): Promise<LinkState> {
  const read = readLink(deps, token);
  if (read.kind !== 'valid') return read;
  const { link } = read;
  if (await deps.links.linkUsed(linkMarker(deps.hasher, token ?? ''))) return { kind: 'used' };
  return pageState(deps, link);
}

/** The button's POST: acts once, or says why it did not (never `ready`'s button twice). */
export async function followLink(
  deps: ModerationLinkDeps,
  token: string | undefined,
): Promise<LinkState> {
  const read = readLink(deps, token);
  if (read.kind !== 'valid') return read;
  const { link } = read;
  const marker = linkMarker(deps.hasher, token ?? '');
  if (await deps.links.linkUsed(marker)) return { kind: 'used' };
  const comment = await deps.links.findForAction(link.articleId, link.commentId);
  if (!comment) return { kind: 'gone' };
  if (comment.status === link.action) return { kind: 'already', link, comment };
  const result = await deps.links.act(
    marker,
    Math.ceil(link.expiresAt / 1000),
    comment,
    link.action,
  );
  if (result === 'used') return { kind: 'used' };
  // Someone moderated it between the read and the write: the page says what it is now.
  if (result === 'changed') return pageState(deps, link);
  return { kind: 'done', link, comment: { ...comment, status: link.action } };
}

/** The comment a valid, unused link names, as its page shows it now. */
async function pageState(deps: ModerationLinkDeps, link: ModerationLink): Promise<LinkState> {
  const comment = await deps.links.findComment(link.articleId, link.commentId);
  if (!comment) return { kind: 'gone' };
  return { kind: comment.status === link.action ? 'already' : 'ready', link, comment };
}
