import { confirmLinkState } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph, postButton } from '../http/html-page';
import { queryOf } from '../http/request';
import { subscriptionsFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET (and HEAD) /subscriptions/confirm: a page with a button. Following the link changes
 * nothing, so a mail scanner that opens every link subscribes nobody; the button POSTs. A link
 * already used says so, and one that can no longer confirm (the address unsubscribed or asked
 * again since) says that, neither with a button.
 */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'subscriptions'>) {
  return httpHandler('ConfirmSubscriptionPage', { beforeRequest }, async (event) => {
    const token = queryOf(event).token;
    const state = await confirmLinkState(areas.subscriptions, token);
    if (state === 'invalid') return invalidLinkPage();
    if (state === 'confirmed') {
      return htmlPage(200, 'Already confirmed', [
        paragraph('This address already gets an email when someone replies to its comments.'),
        paragraph('Every such email has a link to stop them.'),
      ]);
    }
    if (state === 'stale') {
      return htmlPage(200, 'This link no longer confirms', [
        paragraph(
          'Reply notifications for this address were stopped, or asked for again, after this link was sent, so it turns nothing on.',
        ),
        paragraph(
          'To get them, tick “Notify me of replies by email” with your next comment: a new link will come.',
        ),
      ]);
    }
    return htmlPage(200, 'Confirm reply notifications', [
      paragraph('Press the button to get an email when someone replies to your comments.'),
      postButton(`?token=${encodeURIComponent(token ?? '')}`, 'Confirm'),
    ]);
  });
}

// The token's signature and age (the link key), and one read of the address's state (never its
// email).
export const handler = createHandler(loadHandlerDeps({ subscriptions: subscriptionsFrom }));
