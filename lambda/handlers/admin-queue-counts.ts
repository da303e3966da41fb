import { moderationFrom } from '../areas';
import { queueCounts } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /admin/counts: how many comments each tab of the queue holds (in one article, if asked), and
 * the deployment's decision grounds, which the console offers when a moderator removes a comment.
 */
export function createHandler({
  schemas,
  settings,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'schemas' | 'settings'>) {
  return httpHandler('AdminQueueCounts', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [query] = validateAll('The request is not valid.', [
      schemas.moderationCountsQuery,
      queryOf(event),
    ]);
    const counts = await queueCounts(areas.moderation, query);
    return json(200, { ...counts, grounds: settings.decisions.grounds });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
