import * as v from 'valibot';
import { getThread } from '../domain/thread';
import { articleIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** GET /articles/{articleId}: the footer of an article page (reactions, comments, limits). */
export function createHandler(deps: Pick<Runtime, 'settings' | 'schemas' | 'comments' | 'hasher'>) {
  return httpHandler('GetThread', async (event) => {
    const [{ articleId }, query] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [deps.schemas.threadQuery, queryOf(event)],
    );
    const thread = await getThread(
      { store: deps.comments, hasher: deps.hasher, settings: deps.settings },
      { articleId, order: query.order, limit: query.limit },
    );
    return json(200, thread);
  });
}

export const handler = createHandler(loadRuntime());
