import { listForModeration } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/** GET /admin/comments: the moderation queue across all articles (or one), oldest first. */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'moderation' | 'hasher'>) {
  return httpHandler('AdminListComments', async (event) => {
    requireOperator(event);
    const [query] = validateAll('The request is not valid.', [
      deps.schemas.moderationQuery,
      queryOf(event),
    ]);
    return json(
      200,
      await listForModeration({ store: deps.moderation, hasher: deps.hasher }, query),
    );
  });
}

export const handler = createHandler(loadRuntime());
