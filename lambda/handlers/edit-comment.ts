import { editOwnComment } from '../domain/comments';
import { commentPathSchema } from '../domain/validation';
import { bearerToken } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadRuntime } from '../runtime';

/** PATCH /comments/{commentId}: the author fixes their comment, with the edit token. */
export function createHandler({
  settings,
  schemas,
  areas,
}: HandlerDeps<'comments', 'settings' | 'schemas'>) {
  return httpHandler('EditComment', async (event) => {
    const body = readJsonObject(event, settings.limits.requestBodyMaxBytes);
    const [{ commentId }, edit] = validateAll(
      'The edit is not valid.',
      [commentPathSchema, pathOf(event)],
      [schemas.commentEdit, body],
    );
    const comment = await editOwnComment(areas.comments, {
      commentId,
      token: bearerToken(event),
      body: edit.body,
    });
    return json(200, { comment });
  });
}

export const handler = createHandler(loadRuntime());
