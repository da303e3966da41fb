import * as v from 'valibot';
import { moderate } from '../domain/admin';
import { commentIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** PATCH /admin/comments/{commentId}: publish, mark as spam or send back to pending; counts follow. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'moderation' | 'hasher'>,
) {
  return httpHandler('AdminModerateComment', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ commentId }, { status }] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [deps.schemas.moderationChange, body],
    );
    const comment = await moderate(
      { store: deps.moderation, hasher: deps.hasher },
      commentId,
      status,
    );
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
