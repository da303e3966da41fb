import { featuredFrom, moderationFrom } from '../areas';
import { featureComment } from '../domain/featured';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PUT /admin/comments/{commentId}/feature: marks a published comment featured (an Editor's Pick): listed in the thread's featured. */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'featured' | 'moderation'>) {
  const featured = {
    ...areas.featured,
    find: areas.moderation.store.findById.bind(areas.moderation.store),
  };
  return httpHandler('AdminFeatureComment', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commentId }] = validateAll('The request is not valid.', [
      commentPathSchema,
      pathOf(event),
    ]);
    return json(200, { comment: await featureComment(featured, commentId) });
  });
}

export const handler = createHandler(
  loadHandlerDeps({ featured: featuredFrom, moderation: moderationFrom }),
);
