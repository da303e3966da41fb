import type { ModerationLinkDeps } from '../domain/notification-links';
import { inspectLink } from '../domain/notification-links';
import { httpHandler } from '../http/handler';
import { linkPage } from '../http/moderation-link-pages';
import { queryOf } from '../http/request';
import { loadModerationLinkDeps } from '../mail/subscription-runtime';

/**
 * GET /moderation/actions: a moderator's link from a held-comment notice shows the comment and a
 * button. Following it changes nothing, so a mail scanner that opens every link moderates nothing.
 */
export function createHandler(deps: ModerationLinkDeps) {
  return httpHandler('ModerationLinkPage', async (event) => {
    const token = queryOf(event).token;
    return linkPage(await inspectLink(deps, token), token ?? '');
  });
}

export const handler = createHandler(loadModerationLinkDeps());
