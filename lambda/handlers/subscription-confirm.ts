import { confirmSubscription } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, paragraph } from '../http/html-page';
import { problems } from '../http/problem';
import { queryOf } from '../http/request';
import { loadSubscriptionDeps, type SubscriptionDeps } from '../mail/subscription-runtime';

/** POST /subscriptions/confirm: the confirmation page's button turns notifications on. */
export function createHandler(deps: SubscriptionDeps) {
  return httpHandler('ConfirmSubscription', async (event) => {
    if (!(await confirmSubscription(deps, queryOf(event).token))) {
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

export const handler = createHandler(loadSubscriptionDeps());
