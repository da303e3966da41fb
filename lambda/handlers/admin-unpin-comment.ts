import * as v from 'valibot';
import { unpinComment } from '../domain/admin';
import { commentIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** DELETE /admin/comments/{commentId}/pin: unpins a comment. */
export function createHandler(deps: Pick<Runtime, 'moderation' | 'hasher'>) {
  return httpHandler('AdminUnpinComment', async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [path, pathOf(event)]);
    const comment = await unpinComment({ store: deps.moderation, hasher: deps.hasher }, commentId);
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
