import { moderationFrom } from '../areas';
import { unpinComment } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** DELETE /admin/comments/{commentId}/pin: unpins a comment. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderation'>) {
  return httpHandler('AdminUnpinComment', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    return json(200, { comment: await unpinComment(areas.moderation, commentId) });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
