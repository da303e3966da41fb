import * as v from 'valibot';
import { editOwnComment } from '../domain/comments';
import { commentIdSchema } from '../domain/validation';
import { bearerToken } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ commentId: commentIdSchema });

/** PATCH /comments/{commentId}: the author fixes their comment, with the edit token. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'comments' | 'clock' | 'newId' | 'hasher'>,
) {
  return httpHandler('EditComment', async (event) => {
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ commentId }, edit] = validateAll(
      'The edit is not valid.',
      [path, pathOf(event)],
      [deps.schemas.commentEdit, body],
    );
    const comment = await editOwnComment(
      { ...deps, store: deps.comments },
      { commentId, token: bearerToken(event), body: edit.body },
    );
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
