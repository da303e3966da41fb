import { moderate } from '../domain/admin';
import { commentPathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadRuntime } from '../runtime';

/** PATCH /admin/comments/{commentId}: publish or mark as spam; the counts follow. */
export function createHandler({
  settings,
  schemas,
  areas,
}: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  return httpHandler('AdminModerateComment', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, settings.limits.requestBodyMaxBytes);
    const [{ commentId }, { status }] = validateAll(
      'The request is not valid.',
      [commentPathSchema, pathOf(event)],
      [schemas.moderationChange, body],
    );
    const comment = await moderate(areas.moderation, commentId, status);
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
