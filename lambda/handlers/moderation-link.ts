import { followLink } from '../domain/notification-links';
import { httpHandler } from '../http/handler';
import { linkPage } from '../http/moderation-link-pages';
import { problems } from '../http/problem';
import { queryOf } from '../http/request';
import { moderationLinksFrom } from '../mail/mail-areas';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** POST /moderation/actions: the page's button publishes the comment or marks it as spam, once. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderationLinks'>) {
  return httpHandler('ModerationLink', { beforeRequest }, async (event) => {
    const token = queryOf(event).token;
    const state = await followLink(areas.moderationLinks, token);
    if (state.kind === 'invalid') {
      throw problems.invalid('The moderation link is not valid.', [
        { field: 'token', message: 'is not a valid moderation token' },
      ]);
    }
    return linkPage(state, token ?? '');
  });
}

export const handler = createHandler(loadHandlerDeps({ moderationLinks: moderationLinksFrom }));
