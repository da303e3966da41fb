import * as v from 'valibot';
import { pinComment } from '../domain/admin';
import { commentIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** PUT /admin/comments/{commentId}/pin: pins a published comment: listed first on the article's first page. */
export function createHandler(deps: Pick<Runtime, 'moderation' | 'hasher'>) {
  return httpHandler('AdminPinComment', async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [path, pathOf(event)]);
    const comment = await pinComment({ store: deps.moderation, hasher: deps.hasher }, commentId);
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
