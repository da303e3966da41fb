import { unsubscribe } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, paragraph } from '../http/html-page';
import { problems } from '../http/problem';
import { queryOf } from '../http/request';
import { subscriptionsFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * POST /subscriptions/unsubscribe: RFC 8058 one-click (a mail client posts
 * `List-Unsubscribe=One-Click`) or the page's button (no body). The body says nothing the token
 * does not, so it is not read.
 */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'subscriptions'>) {
  return httpHandler('Unsubscribe', { beforeRequest }, async (event) => {
    if (!(await unsubscribe(areas.subscriptions, queryOf(event).token))) {
      throw problems.invalid('The unsubscribe link is not valid.', [
        { field: 'token', message: 'is not a valid unsubscribe token' },
      ]);
    }
    return htmlPage(200, 'Unsubscribed', [
      paragraph('This address will get no more emails about replies.'),
    ]);
  });
}

export const handler = createHandler(loadHandlerDeps({ subscriptions: subscriptionsFrom }));
