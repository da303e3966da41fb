import { reactionsFrom } from '../areas';
import { getReactions } from '../domain/reactions';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /articles/{articleId}/reactions: counts of every reaction and the visitor's own. */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'reactions', 'schemas'>) {
  return httpHandler('GetReactions', { beforeRequest }, async (event) => {
    const [{ articleId }, { visitorId }] = validateAll(
      'The request is not valid.',
      [articlePathSchema, pathOf(event)],
      [schemas.visitorQuery, queryOf(event)],
    );
    return json(200, await getReactions(areas.reactions, articleId, visitorId));
  });
}

export const handler = createHandler(loadHandlerDeps({ reactions: reactionsFrom }));
