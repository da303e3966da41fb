import { commentsFrom } from '../areas';
import { deleteOwnComment } from '../domain/comments';
import { commentPathSchema } from '../domain/validation';
import { bearerToken } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { noContent } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** DELETE /comments/{commentId}: the author withdraws their comment, with the edit token. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'comments'>) {
  return httpHandler('DeleteComment', { beforeRequest }, async (event) => {
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    await deleteOwnComment(areas.comments, { commentId, token: bearerToken(event) });
    return noContent();
  });
}

export const handler = createHandler(loadHandlerDeps({ comments: commentsFrom }));
