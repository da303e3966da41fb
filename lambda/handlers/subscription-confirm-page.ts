import { readConfirmToken } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph, postButton } from '../http/html-page';
import { queryOf } from '../http/request';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET (and HEAD) /subscriptions/confirm: a page with a button. Following the link changes
 * nothing, so a mail scanner that opens every link subscribes nobody; the button POSTs.
 */
export function createHandler({
  hasher,
  clock,
  beforeRequest,
}: HandlerDeps<never, 'hasher' | 'clock'>) {
  return httpHandler('ConfirmSubscriptionPage', { beforeRequest }, async (event) => {
    const token = queryOf(event).token;
    if (readConfirmToken(hasher, token, clock()) === undefined) return invalidLinkPage();
    return htmlPage(200, 'Confirm reply notifications', [
      paragraph('Press the button to get an email when someone replies to your comments.'),
      postButton(`?token=${encodeURIComponent(token ?? '')}`, 'Confirm'),
    ]);
  });
}

// Only the token's signature and age are checked: the link key, and no table.
export const handler = createHandler(loadHandlerDeps({}));
