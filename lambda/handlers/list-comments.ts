import { commentsFrom } from '../areas';
import { listComments } from '../domain/comments';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
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
    const list = await listComments(areas.comments, {
      articleId,
      order: query.order,
      limit: query.limit,
      cursor: query.cursor,
    });
    return json(200, list);
  });
}

export const handler = createHandler(loadHandlerDeps({ comments: commentsFrom }));
