import { readUnsubscribeToken } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph, postButton } from '../http/html-page';
import { queryOf } from '../http/request';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /subscriptions/unsubscribe: a page with a button. Following the link changes nothing, so
 * a mail scanner that opens every link unsubscribes nobody; the button POSTs.
 */
export function createHandler({ hasher, beforeRequest }: HandlerDeps<never, 'hasher'>) {
  return httpHandler('UnsubscribePage', { beforeRequest }, async (event) => {
    const token = queryOf(event).token;
    if (readUnsubscribeToken(hasher, token) === undefined) return invalidLinkPage();
    return htmlPage(200, 'Stop reply notifications', [
      paragraph('Press the button to stop the emails about replies to your comments.'),
      postButton(`?token=${encodeURIComponent(token ?? '')}`, 'Unsubscribe'),
    ]);
  });
}

// Only the token's signature is checked: the link key, and no table.
export const handler = createHandler(loadHandlerDeps({}));
