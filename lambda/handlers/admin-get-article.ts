import * as v from 'valibot';
import { articleState } from '../domain/admin';
import { articleIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** GET /admin/articles/{articleId}: whether it is closed, its count and its pinned comments. */
export function createHandler(deps: Pick<Runtime, 'moderation' | 'hasher'>) {
  return httpHandler('AdminGetArticle', async (event) => {
    requireOperator(event);
    const [{ articleId }] = validateAll('The request is not valid.', [path, pathOf(event)]);
    return json(
      200,
      await articleState({ store: deps.moderation, hasher: deps.hasher }, articleId),
    );
  });
}

export const handler = createHandler(loadRuntime());
