import { moderationFrom } from '../areas';
import { queueCounts } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /admin/counts: how many comments each tab of the queue holds (in one article, if asked). */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'schemas'>) {
  return httpHandler('AdminQueueCounts', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [query] = validateAll('The request is not valid.', [
      schemas.moderationCountsQuery,
      queryOf(event),
    ]);
    return json(200, await queueCounts(areas.moderation, query));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
