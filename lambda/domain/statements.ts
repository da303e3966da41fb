/**
 * Statements of reasons (EU Digital Services Act, Art. 17; docs/moderation.md "Statements of
 * reasons"): when a moderator removes or hides published content, its author, where the comment
 * has an email, is told the decision, its ground, whether automated means were involved and how
 * to contest it.
 *
 * The dispatcher asks for the statement from the comment as it is now: the decision recorded on
 * it (moderation-undo.ts) names its ground only when it took published content out of view
 * (admin.ts, removesPublished). The mail waits out the undo window and leaves only if the
 * comment still carries that decision; its key names the decision, so it goes once. It is built
 * from the comment alone: nothing of any report, so it cannot name a reporter or their address.
 */
import type { CommentRecord } from './comment';
import type { OutgoingMail } from './mail';
import type { Decision } from './moderation-undo';
import { decisionMailDelaySeconds } from './moderation-undo';
import {
  articleUrl,
  escapeHtml,
  htmlDocument,
  htmlLink,
  htmlText,
  type MailSettings,
} from './notification-mails';
import type { Settings } from './settings';

export type DecisionSettings = Settings['decisions'];

/** A comment with a decision that took it out of view, and the ground it gave. */
export type DecidedComment = CommentRecord & { decision: Decision & { ground: string } };

/** How long after its decision a statement may still be asked for (the sender's marker lifetime). */
const STATEMENT_DAYS = 30;

/** The decision on the comment when it calls for a statement now, else undefined. */
export function statementDecision(
  comment: CommentRecord & { decision?: Decision },
  nowMs: number,
): DecidedComment | undefined {
  const { decision } = comment;
  if (!decision?.ground || comment.imported || !comment.email) return undefined;
  if (comment.status !== decision.to) return undefined;
  // A later change to the comment (an erasure, say) must not mail about a decision long past.
  if (nowMs - Date.parse(decision.at) > STATEMENT_DAYS * 86_400_000) return undefined;
  return comment as DecidedComment;
}

/** The statement's mail key: one per decision, whatever the redeliveries. */
export const statementKey = (comment: DecidedComment): string =>
  `statement:${comment.commentId}:${comment.decision.at}`;

/** Seconds the statement waits: past the undo deadline, as every mail about a decision. */
export const statementDelaySeconds = decisionMailDelaySeconds;

/**
 * What automated means took part, in the author's words: the readers' reports reaching the
 * deployment's threshold took the comment out of view before a moderator decided. The decision
 * itself is always a person's (the console, the CLI or a moderator's link).
 */
export function automatedMeans(comment: DecidedComment): string | undefined {
  const reasons = comment.holdReasons ?? [];
  if (comment.decision.from !== 'pending') return undefined;
  if (reasons.includes('reported')) {
    return "Yes: readers' reports reached this site's threshold, which took your comment out of public view automatically until a moderator decided.";
  }
  if (reasons.some((reason) => /^(screen:|rule:|hook$)/.test(reason))) {
    return 'Yes: an automated screen held your comment for a moderator, who then decided.';
  }
  return undefined;
}

const DECISION_WORDS: Record<'spam' | 'pending', string> = {
  spam: 'removed: it is no longer shown to readers',
  pending: 'hidden: it is no longer shown to readers while it waits for review',
};

export function statementMail(
  settings: MailSettings,
  decisions: DecisionSettings,
  mail: { to: string; comment: DecidedComment },
): OutgoingMail {
  const { comment } = mail;
  const { decision } = comment;
  const ground = decisions.grounds.find((entry) => entry.id === decision.ground);
  const groundText = ground
    ? ground.illegal
      ? `${ground.text} (illegal content, category: ${ground.illegal})`
      : ground.text
    : decision.ground;
  const outcome = DECISION_WORDS[decision.to === 'spam' ? 'spam' : 'pending'];
  const automated =
    automatedMeans(comment) ?? 'No: a moderator took this decision without automated means.';
  const contest = decisions.contact
    ? `To contest this decision, write to ${decisions.contact}, saying which comment you mean (the link above). A person will review it.`
    : `To contest this decision, reply through ${settings.siteName}'s usual contact, saying which comment you mean (the link above). A person will review it.`;
  const article = articleUrl(settings, comment.articleId);
  const decided = `${decision.at.slice(0, 16).replace('T', ' ')} UTC`;
  const subject = `${settings.siteName}: your comment was ${decision.to === 'spam' ? 'removed' : 'hidden'}`;
  const lines: [string, string][] = [
    ['Decision', `your comment was ${outcome}`],
    ['When', decided],
    ['Ground', groundText],
    ['Automated means', automated],
    ['How to contest it', contest],
  ];
  return {
    key: statementKey(comment),
    to: mail.to,
    subject,
    text: [
      `A moderator of ${settings.siteName} decided about your comment on ${article}:`,
      '',
      comment.body,
      '',
      ...lines.map(([label, value]) => `${label}: ${value}`),
      '',
      'This statement of reasons is sent under Article 17 of the EU Digital Services Act.',
    ].join('\n'),
    html: htmlDocument(subject, [
      `<p>A moderator of ${escapeHtml(settings.siteName)} decided about your comment on ${htmlLink(article, article)}:</p>`,
      `<blockquote>${htmlText(comment.body)}</blockquote>`,
      `<dl>${lines.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`,
      '<p style="font-size:small">This statement of reasons is sent under Article 17 of the EU Digital Services Act.</p>',
    ]),
  };
}
