import { queueCounts } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/** GET /admin/counts: how many comments each tab of the queue holds (in one article, if asked). */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'moderation' | 'hasher'>) {
  return httpHandler('AdminQueueCounts', async (event) => {
    requireOperator(event);
    const [query] = validateAll('The request is not valid.', [
      deps.schemas.moderationCountsQuery,
      queryOf(event),
    ]);
    return json(200, await queueCounts({ store: deps.moderation, hasher: deps.hasher }, query));
  });
}

export const handler = createHandler(loadRuntime());
