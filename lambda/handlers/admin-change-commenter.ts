import { moderationFrom } from '../areas';
import { changeCommenter, isFuture } from '../domain/commenter-records';
import { commenterChangeSchema, commenterPathSchema } from '../domain/commenter-schemas';
import { operatorOf, requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { problems } from '../http/problem';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * PUT /admin/commenters/{commenterId}: sets the state (`normal`, `trusted`, `suspended` with an
 * `until`, `banned`) and the note, recording who and when; the setting it replaces is kept.
 */
export function createHandler(deps: HandlerDeps<'moderation', 'settings'>) {
  const read = pathAndBody(commenterPathSchema, commenterChangeSchema, deps.settings.limits);
  return httpHandler('AdminChangeCommenter', deps, async (event) => {
    requireOperator(event);
    const [{ commenterId }, change] = read(event, 'The request is not valid.');
    const { moderation } = deps.areas;
    if (change.until !== undefined && !isFuture(change.until, moderation.clock())) {
      throw problems.invalid('The request is not valid.', [
        { field: 'until', message: 'must be in the future' },
      ]);
    }
    return json(200, await changeCommenter(moderation, commenterId, change, operatorOf(event)));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
