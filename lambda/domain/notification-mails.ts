/**
 * The words of each mail, as plain text and as HTML. Everything a person typed is escaped in the
 * HTML part; there are no images and no tracking, only links to the article, the comment
 * (`#comment-<id>`, where the widget scrolls to) and the actions the mail offers.
 */
import { findLinks } from '../../web/shared/links';
import type { CommentRecord } from './comment';
import type { OutgoingMail } from './mail';

export interface MailSettings {
  /** The site's name, in every subject and body. */
  siteName: string;
  /** An article's page: `{articleId}` is replaced by the URL-encoded id. */
  articleUrlTemplate: string;
  /** The API's base URL (no trailing slash): the confirm, unsubscribe and moderation links. */
  apiUrl: string;
  moderatorEmails: string[];
  /** The moderation console, linked from moderators' notices when there is one. */
  consoleUrl?: string;
  /** Held comments created within one window of this many seconds make one notice. */
  digestSeconds: number;
}

export function articleUrl(settings: MailSettings, articleId: string): string {
  return settings.articleUrlTemplate.replace('{articleId}', encodeURIComponent(articleId));
}

export function commentUrl(settings: MailSettings, articleId: string, commentId: string): string {
  return `${articleUrl(settings, articleId)}#comment-${commentId}`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * Text kept as the reader wrote it, line breaks included, and safe in HTML: a paragraph per
 * blank-line-separated block, each with an automatic direction, so an Arabic or Hebrew paragraph
 * (with a Latin word in it) reads right to left and the others left to right.
 */
const htmlText = (text: string): string =>
  text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => `<p dir="auto" style="white-space:pre-wrap">${escapeHtml(paragraph)}</p>`)
    .join('\n');
/** A reader's name, isolated so a right-to-left name does not reorder the sentence around it. */
const htmlName = (name: string): string => `<bdi>${escapeHtml(name)}</bdi>`;
const htmlLink = (url: string, label: string): string =>
  `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;

function html(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body style="font-family:sans-serif;max-width:40em">${body.join('\n')}</body></html>`,
  ].join('\n');
}

/** The links in a comment's text (the one rule, web/shared/links.ts), for moderators to see where a comment points. */
export function linksIn(text: string): string[] {
  return [...new Set(findLinks(text).map((link) => link.text))];
}

export function confirmationMail(
  settings: MailSettings,
  mail: { key: string; to: string; articleId: string; commentId: string; confirmUrl: string },
): OutgoingMail {
  const link = commentUrl(settings, mail.articleId, mail.commentId);
  const subject = `${settings.siteName}: confirm reply notifications`;
  return {
    key: mail.key,
    to: mail.to,
    subject,
    text: [
      `You asked ${settings.siteName} to email you when someone replies to your comment:`,
      link,
      '',
      'To confirm this address, open this link and press Confirm (it works for 7 days):',
      mail.confirmUrl,
      '',
      'If you did not ask for this, ignore this mail: nothing will be sent to you.',
    ].join('\n'),
    html: html(subject, [
      `<p>You asked ${escapeHtml(settings.siteName)} to email you when someone replies to ${htmlLink(link, 'your comment')}.</p>`,
      `<p>${htmlLink(mail.confirmUrl, 'Confirm this address')} (a page with a Confirm button; the link works for 7 days).</p>`,
      '<p>If you did not ask for this, ignore this mail: nothing will be sent to you.</p>',
    ]),
  };
}

export function replyMail(
  settings: MailSettings,
  mail: {
    key: string;
    to: string;
    parent: CommentRecord;
    reply: CommentRecord;
    unsubscribeUrl: string;
  },
): OutgoingMail {
  const { reply } = mail;
  const link = commentUrl(settings, reply.articleId, reply.commentId);
  const subject = `${settings.siteName}: ${reply.authorName} replied to your comment`;
  return {
    key: mail.key,
    to: mail.to,
    subject,
    unsubscribeUrl: mail.unsubscribeUrl,
    text: [
      `${reply.authorName} replied to your comment on ${articleUrl(settings, reply.articleId)}:`,
      '',
      reply.body,
      '',
      `Read it and answer: ${link}`,
      '',
      `Stop these mails: ${mail.unsubscribeUrl}`,
    ].join('\n'),
    html: html(subject, [
      `<p>${htmlName(reply.authorName)} replied to your comment on ${htmlLink(articleUrl(settings, reply.articleId), settings.siteName)}:</p>`,
      htmlText(reply.body),
      `<p>${htmlLink(link, 'Read it and answer')}</p>`,
      `<p style="font-size:small">${htmlLink(mail.unsubscribeUrl, 'Stop these mails')}</p>`,
    ]),
  };
}

/** The replies past an address's hourly cap, in one mail when the hour ends. */
export function repliesDigestMail(
  settings: MailSettings,
  mail: { key: string; to: string; replies: CommentRecord[]; unsubscribeUrl: string },
): OutgoingMail {
  const subject = `${settings.siteName}: ${mail.replies.length} more replies to your comments`;
  const text: string[] = [
    `More replies to your comments came in the last hour than ${settings.siteName} mails one by one:`,
    '',
  ];
  const body: string[] = [`<p>${escapeHtml(text[0] ?? '')}</p>`];
  for (const reply of mail.replies) {
    const link = commentUrl(settings, reply.articleId, reply.commentId);
    text.push(
      `${reply.authorName} on ${articleUrl(settings, reply.articleId)}:`,
      '',
      reply.body,
      '',
      `Read it and answer: ${link}`,
      '',
      '---',
      '',
    );
    body.push(
      `<p>${htmlName(reply.authorName)} on ${htmlLink(articleUrl(settings, reply.articleId), settings.siteName)}:</p>`,
      htmlText(reply.body),
      `<p>${htmlLink(link, 'Read it and answer')}</p>`,
      '<hr>',
    );
  }
  text.push(`Stop these mails: ${mail.unsubscribeUrl}`);
  body.push(`<p style="font-size:small">${htmlLink(mail.unsubscribeUrl, 'Stop these mails')}</p>`);
  return {
    key: mail.key,
    to: mail.to,
    subject,
    unsubscribeUrl: mail.unsubscribeUrl,
    text: text.join('\n'),
    html: html(subject, body),
  };
}

export interface HeldComment {
  comment: CommentRecord;
  approveUrl: string;
  spamUrl: string;
}

export function heldCommentsMail(
  settings: MailSettings,
  mail: { key: string; to: string; held: HeldComment[] },
): OutgoingMail {
  const count = mail.held.length;
  const subject =
    count === 1
      ? `${settings.siteName}: a comment waits for moderation`
      : `${settings.siteName}: ${count} comments wait for moderation`;
  const text: string[] = [];
  const body: string[] = [];
  for (const { comment, approveUrl, spamUrl } of mail.held) {
    const article = articleUrl(settings, comment.articleId);
    const links = linksIn(comment.body);
    text.push(
      `On ${article}`,
      `From: ${comment.authorName} ${comment.email ? `<${comment.email}>` : '(no email)'}`,
      '',
      comment.body,
      '',
      ...(links.length > 0 ? ['Links in it:', ...links, ''] : []),
      `Approve: ${approveUrl}`,
      `Mark as spam: ${spamUrl}`,
      '',
      '---',
      '',
    );
    body.push(
      `<p>On ${htmlLink(article, article)}<br>From: ${htmlName(comment.authorName)} ${comment.email ? `&lt;${escapeHtml(comment.email)}&gt;` : '(no email)'}</p>`,
      htmlText(comment.body),
      ...(links.length > 0
        ? [
            `<p>Links in it:</p><ul>${links.map((url) => `<li>${escapeHtml(url)}</li>`).join('')}</ul>`,
          ]
        : []),
      `<p>${htmlLink(approveUrl, 'Approve')} · ${htmlLink(spamUrl, 'Mark as spam')}</p>`,
      '<hr>',
    );
  }
  const footer = 'Each link opens a page with a button; it works once, for 7 days.';
  text.push(footer);
  body.push(`<p style="font-size:small">${footer}</p>`);
  if (settings.consoleUrl) {
    text.push(`Moderation console: ${settings.consoleUrl}`);
    body.push(`<p>${htmlLink(settings.consoleUrl, 'Open the moderation console')}</p>`);
  }
  return { key: mail.key, to: mail.to, subject, text: text.join('\n'), html: html(subject, body) };
}
