import { inspectLink } from '../domain/notification-links';
import { httpHandler } from '../http/handler';
import { linkPage } from '../http/moderation-link-pages';
import { queryOf } from '../http/request';
import { moderationLinksFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /moderation/actions: a moderator's link from a held-comment notice shows the comment and a
 * button. Following it changes nothing, so a mail scanner that opens every link moderates nothing.
 */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderationLinks'>) {
  return httpHandler('ModerationLinkPage', { beforeRequest }, async (event) => {
    const token = queryOf(event).token;
    return linkPage(await inspectLink(areas.moderationLinks, token), token ?? '');
  });
}

export const handler = createHandler(loadHandlerDeps({ moderationLinks: moderationLinksFrom }));
