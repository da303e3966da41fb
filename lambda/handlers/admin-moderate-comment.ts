import { moderationFrom } from '../areas';
import { moderate } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * PATCH /admin/comments/{commentId}: publish, mark as spam, or put back to pending; counts follow.
 * A change back within the undo window undoes the last decision. `ground` says why a published
 * comment is removed or hidden: its author's statement of reasons gives it.
 */
export function createHandler(deps: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  const read = pathAndBody(commentPathSchema, deps.schemas.moderationChange, deps.settings.limits);
  return httpHandler('AdminModerateComment', deps, async (event) => {
    requireOperator(event);
    const [{ commentId }, { status, ground }] = read(event, 'The request is not valid.');
    const comment = await moderate(deps.areas.moderation, commentId, status, ground);
    // The console offers Undo for as long as the API takes it (docs/moderation.md, Undo).
    return json(200, { comment, undoSeconds: deps.areas.moderation.undoSeconds });
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
