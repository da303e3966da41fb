import { confirmSubscription } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph } from '../http/html-page';
import { queryOf } from '../http/request';
import { subscriptionsFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /subscriptions/confirm: the link of the confirmation mail turns notifications on. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'subscriptions'>) {
  return httpHandler('ConfirmSubscription', { beforeRequest }, async (event) => {
    if (!(await confirmSubscription(areas.subscriptions, queryOf(event).token))) {
      return invalidLinkPage();
    }
    return htmlPage(200, 'Address confirmed', [
      paragraph('You will get an email when someone replies to your comments.'),
      paragraph('Every such email has a link to stop them.'),
    ]);
  });
}

export const handler = createHandler(loadHandlerDeps({ subscriptions: subscriptionsFrom }));
