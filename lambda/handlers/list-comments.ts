import { commentsFrom } from '../areas';
import { listComments } from '../domain/comments';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { freshFor, json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /articles/{articleId}/comments: one page of published comments and the count. */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'comments', 'schemas'>) {
  return httpHandler('ListComments', { beforeRequest }, async (event) => {
    const [{ articleId }, query] = validateAll(
      'The request is not valid.',
      [articlePathSchema, pathOf(event)],
      [schemas.listQuery, queryOf(event)],
    );
    const { freshForSeconds, ...list } = await listComments(areas.comments, {
      articleId,
      order: query.order,
      limit: query.limit,
      cursor: query.cursor,
    });
    // A first page says whether the article is open: kept no longer than that holds.
    return freshFor(json(200, list), freshForSeconds);
  });
}

export const handler = createHandler(loadHandlerDeps({ comments: commentsFrom }));
