import { confirmSubscription } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph } from '../http/html-page';
import { queryOf } from '../http/request';
import { loadSubscriptionDeps, type SubscriptionDeps } from '../mail/subscription-runtime';

/** GET /subscriptions/confirm: the link of the confirmation mail turns notifications on. */
export function createHandler(deps: SubscriptionDeps) {
  return httpHandler('ConfirmSubscription', async (event) => {
    if (!(await confirmSubscription(deps, queryOf(event).token))) return invalidLinkPage();
    return htmlPage(200, 'Address confirmed', [
      paragraph('You will get an email when someone replies to your comments.'),
      paragraph('Every such email has a link to stop them.'),
    ]);
  });
}

export const handler = createHandler(loadSubscriptionDeps());
