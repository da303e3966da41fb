import { commentsFrom } from '../areas';
import { createComment } from '../domain/comments';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { readersFrom } from '../readers/reader-verifier-from';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { screeningFrom } from '../screen/screening-from';

/**
 * POST /articles/{articleId}/comments: stores a comment (email kept, never returned) as the
 * moderation policy says, and answers with the author's edit token.
 */
export function createHandler(
  deps: HandlerDeps<'comments' | 'screening' | 'readers', 'settings' | 'schemas' | 'originVerify'>,
) {
  const read = pathAndBody(articlePathSchema, deps.schemas.postedComment, deps.settings.limits);
  const { comments, readers, screening } = deps.areas;
  const screened = { ...comments, ...readers, screening };
  return httpHandler('CreateComment', deps, async (event) => {
    const [{ articleId }, input] = read(event, 'The comment is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    return json(201, await createComment(screened, { articleId, input, sourceIp }));
  });
}

export const handler = createHandler(
  loadHandlerDeps({ comments: commentsFrom, screening: screeningFrom, readers: readersFrom }),
);
