import type { CommentStatus } from './comment';
import type { Moderation } from './settings';

// `www.` right after a scheme is the same link, not a second one.
const LINK = /\bhttps?:\/\/|(?<!\/\/)\bwww\./gi;

export function countLinks(text: string): number {
  return text.match(LINK)?.length ?? 0;
}

/**
 * What a new comment becomes. `published-if-known` means: published when the email already has
 * a published comment (the first-time policy), otherwise pending; the store decides that in the
 * same transaction as the write.
 */
export type Disposition = CommentStatus | 'published-if-known';

export function dispositionFor(
  moderation: Moderation,
  comment: { body: string; website: string | null; honeypot: boolean },
  /** A trusted commenter (domain/commenters.ts) skips the `links` and `first-time` holds. */
  trusted = false,
): Disposition {
  if (comment.honeypot) return 'spam';
  if (!trusted && countLinks(comment.body) > moderation.maxLinks) return 'pending';
  switch (moderation.policy) {
    case 'none':
      return 'published';
    case 'all':
      return 'pending';
    case 'first-time':
      return trusted ? 'published' : 'published-if-known';
  }
}

/** The email as one person's identity: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
