import * as v from 'valibot';
import { createComment } from '../domain/comments';
import { articleIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { countingCommentStore } from '../http/metrics';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/**
 * POST /articles/{articleId}/comments: stores a comment (email kept, never returned) as the
 * moderation policy says, and answers with the author's edit token.
 */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'comments' | 'clock' | 'newId' | 'hasher'>,
) {
  const comments = countingCommentStore(deps.comments);
  return httpHandler('CreateComment', async (event) => {
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ articleId }, input] = validateAll(
      'The comment is not valid.',
      [path, pathOf(event)],
      [deps.schemas.newComment, body],
    );
    const created = await createComment(
      { ...deps, store: comments },
      { articleId, input, sourceIp: event.requestContext.http.sourceIp },
    );
    return json(201, created);
  });
}

export const handler = createHandler(loadRuntime());
