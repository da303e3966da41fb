import { moderationFrom } from '../areas';
import { commenterRecord } from '../domain/commenter-records';
import { commenterPathSchema } from '../domain/commenter-schemas';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /admin/commenters/{commenterId}: the record (state, until, note, who set it when, earlier
 * settings) with the commenter's counts by status, first seen and recent comments.
 */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'moderation'>) {
  return httpHandler('AdminGetCommenter', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [{ commenterId }] = validateAll('The request is not valid.', [
      commenterPathSchema,
      pathOf(event),
    ]);
    return json(200, await commenterRecord(areas.moderation, commenterId));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
