import { moderationFrom } from '../areas';
import { articleState } from '../domain/admin';
import { articlePathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /admin/articles/{articleId}: whether it is closed, its count and its pinned comments. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderation'>) {
  return httpHandler('AdminGetArticle', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ articleId }] = validateAll('The request is not valid.', [
      articlePathSchema,
      pathOf(event),
    ]);
    return json(200, await articleState(areas.moderation, articleId));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
