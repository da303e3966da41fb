/**
 * Why a comment waits, as a moderator reads it (docs/screening.md, "Why a comment waits"): each of
 * its holdReasons in words, a content screen's label with how sure it was.
 */
import type { AdminComment } from '../../lambda/domain/comment';
import type { ReportReason } from '../../lambda/domain/report-reasons';
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

/** A report's reason as a moderator reads it. */
const REPORT_REASON_TEXT: Record<ReportReason, string> = {
  spam: 'Spam',
  abuse: 'Abuse',
  'off-topic': 'Off topic',
  'personal-information': 'Personal information',
  illegal: 'Illegal content',
  other: 'Other',
};

/**
 * Readers' open reports on the comment: how many, by reason, and each explanation given with its
 * reason. Never who reported it: no reporter is named, and a notifier's email is not shown.
 */
export function renderReports(comment: AdminComment): HTMLElement | null {
  const reports = comment.reports;
  if (!reports || reports.count === 0) return null;
  // In the form's order of reasons, whatever order the reports came in.
  const reasons = (Object.keys(REPORT_REASON_TEXT) as ReportReason[]).flatMap((reason) => {
    const count = reports.reasons[reason];
    return count ? [`${REPORT_REASON_TEXT[reason]} ${count}`] : [];
  });
  return h(
    'div',
    {
      class: 'reports',
      role: 'group',
      'aria-label': `Reports on the comment by ${comment.author.name}`,
    },
    h(
      'p',
      { class: 'report-counts' },
      `${reports.count} report${reports.count === 1 ? '' : 's'}: ${reasons.join(' · ')}`,
    ),
    reports.explanations.length > 0
      ? h(
          'ul',
          { class: 'explanations' },
          ...reports.explanations.map((given) =>
            h(
              'li',
              { 'data-reason': given.reason },
              h('span', { class: 'report-reason' }, `${REPORT_REASON_TEXT[given.reason]}: `),
              // The reader's words as text, in their own direction.
              h('span', { class: 'explanation', dir: 'auto' }, given.explanation),
            ),
          ),
        )
      : null,
  );
}
