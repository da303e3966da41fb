import { featuredFrom, moderationFrom } from '../areas';
import { unfeatureComment } from '../domain/featured';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** DELETE /admin/comments/{commentId}/feature: takes a comment out of the featured ones. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'featured' | 'moderation'>) {
  const featured = {
    ...areas.featured,
    find: areas.moderation.store.findById.bind(areas.moderation.store),
  };
  return httpHandler('AdminUnfeatureComment', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    return json(200, { comment: await unfeatureComment(featured, commentId) });
  });
}

export const handler = createHandler(
  loadHandlerDeps({ featured: featuredFrom, moderation: moderationFrom }),
);
