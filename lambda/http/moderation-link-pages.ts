/**
 * The pages of a moderator's link (docs/notifications.md, "Moderators"): the comment and one
 * button, or a polite word on why the link does nothing (used, expired, the comment gone or
 * already so). Everything a reader typed is shown as escaped text.
 */
import type { CommentRecord } from '../domain/comment';
import type { LinkState } from '../domain/notification-links';
import type { ModerationAction } from '../domain/notifications';
import { htmlPage, invalidLinkPage, paragraph, postButton, typedText } from './html-page';
import type { HttpResult } from './response';

const VERB: Record<ModerationAction, { button: string; done: string; already: string }> = {
  published: {
    button: 'Publish this comment',
    done: 'The comment is published.',
    already: 'This comment is already published: there is nothing left to do.',
  },
  spam: {
    button: 'Mark this comment as spam',
    done: 'The comment is marked as spam and hidden.',
    already: 'This comment is already marked as spam: there is nothing left to do.',
  },
};

function commentParts(comment: CommentRecord): string[] {
  return [
    paragraph(
      `On article "${comment.articleId}", ${comment.authorName} wrote (${comment.createdAt}):`,
    ),
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
        paragraph('Each moderation link acts once, and this one has. Nothing was changed now.'),
      ]);
    case 'gone':
      return htmlPage(404, 'This comment is gone', [
        paragraph('The comment was deleted, or its author erased it. Nothing was changed.'),
      ]);
    case 'already':
      return htmlPage(200, 'Nothing to do', [
        paragraph(VERB[state.link.action].already),
        ...commentParts(state.comment),
      ]);
    case 'done':
      return htmlPage(200, 'Done', [
        paragraph(VERB[state.link.action].done),
        ...commentParts(state.comment),
      ]);
    case 'ready':
      return htmlPage(200, 'A comment waits for moderation', [
        ...commentParts(state.comment),
        postButton(`?token=${encodeURIComponent(token)}`, VERB[state.link.action].button),
      ]);
  }
}
