/**
 * The pages of a moderator's link (docs/notifications.md, "Moderators"): the comment and one
 * button, or a polite word on why the link does nothing (used, expired, the comment gone or
 * decided since the notice, with where it stands now). Everything a reader typed is shown as
 * escaped text.
 */
import type { CommentRecord, CommentStatus } from '../domain/comment';
import type { LinkState } from '../domain/notification-links';
import { escapeHtml } from '../domain/notification-mails';
import type { ModerationAction } from '../domain/notifications';
import { htmlPage, invalidLinkPage, paragraph, postButton, typedText } from './html-page';
import type { HttpResult } from './response';

const VERB: Record<ModerationAction, { button: string; done: string }> = {
  published: { button: 'Publish this comment', done: 'The comment is published.' },
  spam: { button: 'Mark this comment as spam', done: 'The comment is marked as spam and hidden.' },
};

/** Where a comment stands now, for a link that no longer acts on it. */
const NOW: Record<CommentStatus, string> = {
  published: 'The comment is now published.',
  spam: 'The comment is now marked as spam and hidden.',
  pending: 'The comment waits for moderation again: please moderate it from the console.',
};

/** A moment as people read it, in UTC (a moderator's time zone is not known here). */
const readable = (iso: string): string =>
  `${new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;

function commentParts(comment: CommentRecord, articleUrl: string | undefined): string[] {
  const article = articleUrl
    ? `<a href="${escapeHtml(articleUrl)}">${escapeHtml(comment.articleId)}</a>`
    : `"${escapeHtml(comment.articleId)}"`;
  return [
    `<p>On the article ${article}, ${escapeHtml(comment.authorName)} wrote on ${escapeHtml(readable(comment.createdAt))}:</p>`,
    typedText(comment.body),
    ...(comment.authorWebsite ? [paragraph(`Their website: ${comment.authorWebsite}`)] : []),
  ];
}

/** The page for a link's state; `token` names the button's target (the address it was shown at). */
export function linkPage(state: LinkState, token: string): HttpResult {
  switch (state.kind) {
    case 'invalid':
      return invalidLinkPage();
    case 'expired':
      return htmlPage(410, 'This link has expired', [
        paragraph(
          'Moderation links work for 7 days. Please moderate this comment from the console.',
        ),
      ]);
    case 'used':
      return htmlPage(409, 'This link was already used', [
        paragraph(
          'A link of this notice was already used for this comment, and they act once between them. Nothing was changed now.',
        ),
        ...(state.comment
          ? [
              paragraph(NOW[state.comment.status]),
              ...commentParts(state.comment, state.link.articleUrl),
            ]
          : []),
      ]);
    case 'gone':
      return htmlPage(404, 'This comment is gone', [
        paragraph('The comment was deleted, or its author erased it. Nothing was changed.'),
      ]);
    case 'moderated':
      return htmlPage(200, 'Already moderated', [
        paragraph(
          `${NOW[state.comment.status]} A moderator decided it after this notice was sent. Nothing was changed.`,
        ),
        ...commentParts(state.comment, state.link.articleUrl),
      ]);
    case 'done':
      return htmlPage(200, 'Done', [
        paragraph(VERB[state.link.action].done),
        ...commentParts(state.comment, state.link.articleUrl),
      ]);
    case 'ready':
      return htmlPage(200, 'A comment waits for moderation', [
        ...commentParts(state.comment, state.link.articleUrl),
        postButton(`?token=${encodeURIComponent(token)}`, VERB[state.link.action].button),
      ]);
  }
}
