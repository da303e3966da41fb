import { moderationFrom } from '../areas';
import { changeArticle } from '../domain/admin';
import { articlePathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * PATCH /admin/articles/{articleId}: closes or reopens it (`open`, or the older `closed`), and
 * sets its closing time (`closeAt`), its own moderation policy (`moderation`) and who may comment
 * on it (`commenting`); null gives a setting back to the deployment (docs/moderation.md).
 */
export function createHandler(deps: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  const read = pathAndBody(articlePathSchema, deps.schemas.articleChange, deps.settings.limits);
  return httpHandler('AdminChangeArticle', deps, async (event) => {
    requireOperator(event);
    const [{ articleId }, change] = read(event, 'The request is not valid.');
    return json(200, await changeArticle(deps.areas.moderation, articleId, change));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
