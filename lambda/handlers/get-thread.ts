import { commentsFrom } from '../areas';
import { getThread } from '../domain/thread';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { freshFor, json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /articles/{articleId}: the footer of an article page (reactions, comments, limits). */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'comments', 'schemas'>) {
  return httpHandler('GetThread', { beforeRequest }, async (event) => {
    const [{ articleId }, query] = validateAll(
      'The request is not valid.',
      [articlePathSchema, pathOf(event)],
      [schemas.threadQuery, queryOf(event)],
    );
    const { freshForSeconds, ...thread } = await getThread(areas.comments, {
      articleId,
      order: query.order,
      limit: query.limit,
    });
    // Kept by no cache past the article's closing time (lambda/domain/thread.ts).
    return freshFor(json(200, thread), freshForSeconds);
  });
}

export const handler = createHandler(loadHandlerDeps({ comments: commentsFrom }));
