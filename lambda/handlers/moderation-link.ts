import { followLink, type ModerationLinkDeps } from '../domain/notification-links';
import { httpHandler } from '../http/handler';
import { linkPage } from '../http/moderation-link-pages';
import { problems } from '../http/problem';
import { queryOf } from '../http/request';
import { loadModerationLinkDeps } from '../mail/subscription-runtime';

/** POST /moderation/actions: the page's button publishes the comment or marks it as spam, once. */
export function createHandler(deps: ModerationLinkDeps) {
  return httpHandler('ModerationLink', async (event) => {
    const token = queryOf(event).token;
    const state = await followLink(deps, token);
    if (state.kind === 'invalid') {
      throw problems.invalid('The moderation link is not valid.', [
        { field: 'token', message: 'is not a valid moderation token' },
      ]);
    }
    return linkPage(state, token ?? '');
  });
}

export const handler = createHandler(loadModerationLinkDeps());
