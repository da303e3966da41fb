import * as v from 'valibot';
import { removeComment } from '../domain/admin';
import { commentIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { noContent } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** DELETE /admin/comments/{commentId}: removes a comment; the counts follow. */
export function createHandler(deps: Pick<Runtime, 'moderation' | 'hasher'>) {
  return httpHandler('AdminDeleteComment', async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [path, pathOf(event)]);
    await removeComment({ store: deps.moderation, hasher: deps.hasher }, commentId);
    return noContent();
  });
}

export const handler = createHandler(loadRuntime());
