import { moderationFrom } from '../areas';
import { setArticleClosed } from '../domain/admin';
import { articlePathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PATCH /admin/articles/{articleId}: `{ "closed": true }` closes it to new comments, false reopens. */
export function createHandler(deps: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  const read = pathAndBody(articlePathSchema, deps.schemas.articleChange, deps.settings.limits);
  return httpHandler('AdminChangeArticle', deps, async (event) => {
    requireOperator(event);
    const [{ articleId }, { closed }] = read(event, 'The request is not valid.');
    return json(200, await setArticleClosed(deps.areas.moderation, articleId, closed));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
