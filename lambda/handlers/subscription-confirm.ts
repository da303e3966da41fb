import { confirmSubscription } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, paragraph } from '../http/html-page';
import { problems } from '../http/problem';
import { queryOf } from '../http/request';
import { subscriptionsFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** POST /subscriptions/confirm: the confirmation page's button turns notifications on. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'subscriptions'>) {
  return httpHandler('ConfirmSubscription', { beforeRequest }, async (event) => {
    if (!(await confirmSubscription(areas.subscriptions, queryOf(event).token))) {
      throw problems.invalid('The confirmation link is not valid.', [
        { field: 'token', message: 'is not a valid, unexpired confirmation token' },
      ]);
    }
    return htmlPage(200, 'Address confirmed', [
      paragraph('You will get an email when someone replies to your comments.'),
      paragraph('Every such email has a link to stop them.'),
    ]);
  });
}

export const handler = createHandler(loadHandlerDeps({ subscriptions: subscriptionsFrom }));
