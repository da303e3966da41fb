import * as v from 'valibot';
import { listComments } from '../domain/comments';
import { articleIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** GET /articles/{articleId}/comments: one page of published comments and the count. */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'comments' | 'hasher'>) {
  return httpHandler('ListComments', async (event) => {
    const [{ articleId }, query] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [deps.schemas.listQuery, queryOf(event)],
    );
    const list = await listComments(
      { store: deps.comments, hasher: deps.hasher },
      { articleId, order: query.order, limit: query.limit, cursor: query.cursor },
    );
    return json(200, list);
  });
}

export const handler = createHandler(loadRuntime());
