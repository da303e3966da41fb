import { erasureCount } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/** GET /admin/erasures?email=: how many comments an erasure of that email would change. */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'moderation' | 'hasher'>) {
  return httpHandler('AdminErasureCount', async (event) => {
    requireOperator(event);
    const [{ email }] = validateAll('The request is not valid.', [
      deps.schemas.erasure,
      queryOf(event),
    ]);
    return json(200, await erasureCount({ store: deps.moderation, hasher: deps.hasher }, email));
  });
}

export const handler = createHandler(loadRuntime());
