import { createComment } from '../domain/comments';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadRuntime } from '../runtime';

/**
 * POST /articles/{articleId}/comments: stores a comment (email kept, never returned) as the
 * moderation policy says, and answers with the author's edit token.
 */
export function createHandler({
  settings,
  schemas,
  areas,
}: HandlerDeps<'comments', 'settings' | 'schemas'>) {
  return httpHandler('CreateComment', async (event) => {
    const body = readJsonObject(event, settings.limits.requestBodyMaxBytes);
    const [{ articleId }, input] = validateAll(
      'The comment is not valid.',
      [articlePathSchema, pathOf(event)],
      [schemas.newComment, body],
    );
    const created = await createComment(areas.comments, {
      articleId,
      input,
      sourceIp: event.requestContext.http.sourceIp,
    });
    return json(201, created);
  });
}

export const handler = createHandler(loadRuntime());
