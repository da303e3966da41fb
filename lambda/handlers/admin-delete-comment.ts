import { moderationFrom } from '../areas';
import { removeComment } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { noContent } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** DELETE /admin/comments/{commentId}: removes a comment; the counts follow. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderation'>) {
  return httpHandler('AdminDeleteComment', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    await removeComment(areas.moderation, commentId);
    return noContent();
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
