import { moderationFrom } from '../areas';
import { erasureCount } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** GET /admin/erasures?email=: how many comments an erasure of that email would change. */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'schemas'>) {
  return httpHandler('AdminErasureCount', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ email }] = validateAll('The request is not valid.', [schemas.erasure, queryOf(event)]);
    return json(200, await erasureCount(areas.moderation, email));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
