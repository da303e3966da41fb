import * as v from 'valibot';
import { deleteOwnComment } from '../domain/comments';
import { commentIdSchema } from '../domain/validation';
import { bearerToken } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { noContent } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** DELETE /comments/{commentId}: the author withdraws their comment, with the edit token. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'comments' | 'clock' | 'newId' | 'hasher'>,
) {
  return httpHandler('DeleteComment', async (event) => {
    const [{ commentId }] = validateAll('The request is not valid.', [path, pathOf(event)]);
    await deleteOwnComment(
      { ...deps, store: deps.comments },
      { commentId, token: bearerToken(event) },
    );
    return noContent();
  });
}

export const handler = createHandler(loadRuntime());
