import { systemClock } from '../domain/ids';
import { readConfirmToken } from '../domain/notifications';
import { httpHandler } from '../http/handler';
import { htmlPage, invalidLinkPage, paragraph, postButton } from '../http/html-page';
import { queryOf } from '../http/request';
import type { SubscriptionDeps } from '../mail/subscription-runtime';
import { keyedHasherFromEnv } from '../secrets/keyed-hasher-from-env';

/**
 * GET (and HEAD) /subscriptions/confirm: a page with a button. Following the link changes
 * nothing, so a mail scanner that opens every link subscribes nobody; the button POSTs.
 */
export function createHandler(deps: Pick<SubscriptionDeps, 'hasher' | 'clock'>) {
  return httpHandler('ConfirmSubscriptionPage', async (event) => {
    const token = queryOf(event).token;
    if (readConfirmToken(deps.hasher, token, deps.clock()) === undefined) return invalidLinkPage();
    return htmlPage(200, 'Confirm reply notifications', [
      paragraph('Press the button to get an email when someone replies to your comments.'),
      postButton(`?token=${encodeURIComponent(token ?? '')}`, 'Confirm'),
    ]);
  });
}

// Only the token's signature and age are checked: the hashing key, and no table.
export const handler = createHandler({
  hasher: keyedHasherFromEnv(process.env),
  clock: systemClock,
});
