import { moderationFrom } from '../areas';
import { commenterIdsOfEmail } from '../domain/commenter-records';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /admin/commenters?email=: the commenterIds an email stands for (a guest's id from the
 * address, and any signed-in reader's id its comments name), for the CLI's `commenter <email>`.
 */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'schemas'>) {
  return httpHandler('AdminFindCommenter', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ email }] = validateAll('The request is not valid.', [schemas.erasure, queryOf(event)]);
    return json(200, { commenterIds: await commenterIdsOfEmail(areas.moderation, email) });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
