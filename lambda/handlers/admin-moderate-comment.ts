import { moderationFrom } from '../areas';
import { moderate } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PATCH /admin/comments/{commentId}: publish, mark as spam, or put back to pending; counts follow. */
export function createHandler(deps: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  const read = pathAndBody(commentPathSchema, deps.schemas.moderationChange, deps.settings.limits);
  return httpHandler('AdminModerateComment', deps, async (event) => {
    requireOperator(event);
    const [{ commentId }, { status }] = read(event, 'The request is not valid.');
    return json(200, { comment: await moderate(deps.areas.moderation, commentId, status) });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
