/**
 * Why a comment waits, as a moderator reads it (docs/screening.md, "Why a comment waits"): each of
 * its holdReasons in words, a content screen's label with how sure it was.
 */
import type { AdminComment } from '../../lambda/domain/comment';
import { h } from '../shared/dom';

/** One reason in words: `rule:kill-yourself` is the house rule "kill yourself". */
export function reasonText(reason: string, scores: Record<string, string> = {}): string {
  const [kind, ...rest] = reason.split(':');
  const detail = rest.join(':');
  switch (kind) {
    case 'rule':
      return `House rule “${detail.replace(/-/g, ' ')}”`;
    case 'email-domain':
      return detail === 'disposable' ? 'Disposable email address' : `Email domain ${detail}`;
    case 'screen': {
      if (detail === 'unavailable') return 'Screen unavailable: held to be safe';
      const score = scores[detail];
      return `Content screen: ${detail}${score ? ` (${score.toLowerCase()} confidence)` : ''}`;
    }
    case 'hook':
      return 'Your moderation hook';
    case 'reported':
      return 'Reported by readers';
    default:
      return reason;
  }
}

/** The row's list of reasons, or nothing when the screen did not hold the comment. */
export function renderReasons(comment: AdminComment): HTMLElement | null {
  if (comment.holdReasons.length === 0) return null;
  return h(
    'ul',
    { class: 'reasons', 'aria-label': `Why the comment by ${comment.author.name} waits` },
    ...comment.holdReasons.map((reason) =>
      h('li', { 'data-reason': reason }, reasonText(reason, comment.screenScores)),
    ),
  );
}
