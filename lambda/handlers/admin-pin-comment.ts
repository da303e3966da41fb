import { moderationFrom } from '../areas';
import { pinComment } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PUT /admin/comments/{commentId}/pin: pins a published comment: listed first on the article's first page. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderation'>) {
  return httpHandler('AdminPinComment', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    return json(200, { comment: await pinComment(areas.moderation, commentId) });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
