/**
 * Mail to a notifier (EU Digital Services Act, Art. 16(4) and (5); docs/notifications.md
 * "Notices of illegal content"): whoever gave an email with a notice of illegal content is told
 * that it was received and, later, what was decided. Their address lives on their report item
 * only (domain/reports.ts), which the dispatcher reads when the stream shows it written or
 * decided. Neither mail names the comment's author or carries their address: only the article,
 * the notice's own time and reason, and the decision with its ground.
 */
import type { OutgoingMail } from './mail';
import {
  articleUrl,
  escapeHtml,
  htmlDocument,
  htmlLink,
  type MailSettings,
} from './notification-mails';
import type { ReportDecision } from './reports';
import type { DecisionSettings } from './statements';

/** A report item as the mail functions read it. */
export interface NoticeRecord {
  articleId: string;
  commentId: string;
  reporterHash: string;
  reason: string;
  email?: string;
  receivedAt: string;
  /** The moderator's decision on the comment, once made (ReportDecisions.decide). */
  decision?: ReportDecision;
  decidedAt?: string;
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function noticeReceiptMail(
  settings: MailSettings,
  notice: NoticeRecord & { email: string },
): OutgoingMail {
  const article = articleUrl(settings, notice.articleId);
  const subject = `${settings.siteName}: we received your notice`;
  const lines = [
    `${settings.siteName} received your notice of illegal content about a comment on ${article} on ${when(notice.receivedAt)}.`,
    'A moderator will review the comment, and you will be told of the decision at this address.',
    "Your address is kept with your notice only: it is never shown to the comment's author or published.",
  ];
  return {
    key: `notice-receipt:${notice.commentId}:${notice.reporterHash}`,
    to: notice.email,
    subject,
    text: lines.join('\n\n'),
    html: htmlDocument(subject, [
      `<p>${escapeHtml(settings.siteName)} received your notice of illegal content about a comment on ${htmlLink(article, article)} on ${escapeHtml(when(notice.receivedAt))}.</p>`,
      ...lines.slice(1).map((line) => `<p>${escapeHtml(line)}</p>`),
    ]),
  };
}

/** What the moderator decided, in the notifier's words; the ground for a removal. */
function outcomeOf(decision: ReportDecision, groundText: string | undefined): string {
  if (decision === 'published') {
    return 'The comment stays published: the moderator found no ground to remove it.';
  }
  const verb = decision === 'pending' ? 'hidden while it is reviewed' : 'removed';
  return groundText
    ? `The comment was ${verb}. Ground: ${groundText}.`
    : `The comment was ${verb}.`;
}

export function noticeDecisionMail(
  settings: MailSettings,
  decisions: DecisionSettings,
  notice: NoticeRecord & { email: string; decision: ReportDecision; decidedAt: string },
  groundId: string | undefined,
): OutgoingMail {
  const article = articleUrl(settings, notice.articleId);
  const ground = decisions.grounds.find((entry) => entry.id === groundId);
  const groundText = ground
    ? ground.illegal
      ? `${ground.text} (illegal content, category: ${ground.illegal})`
      : ground.text
    : undefined;
  const subject = `${settings.siteName}: a decision on your notice`;
  const contact = decisions.contact
    ? `To contest this decision, write to ${decisions.contact}.`
    : `To contest this decision, reply through ${settings.siteName}'s usual contact.`;
  const lines = [
    `About your notice of ${when(notice.receivedAt)} on a comment on ${article}:`,
    outcomeOf(notice.decision, groundText),
    `Decided on ${when(notice.decidedAt)} by a moderator.`,
    contact,
  ];
  return {
    key: `notice-decision:${notice.commentId}:${notice.reporterHash}:${notice.decidedAt}`,
    to: notice.email,
    subject,
    text: lines.join('\n\n'),
    html: htmlDocument(subject, [
      `<p>About your notice of ${escapeHtml(when(notice.receivedAt))} on a comment on ${htmlLink(article, article)}:</p>`,
      ...lines.slice(1).map((line) => `<p>${escapeHtml(line)}</p>`),
    ]),
  };
}
