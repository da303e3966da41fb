import { commentsFrom } from '../areas';
import { editOwnComment } from '../domain/comments';
import { commentPathSchema } from '../domain/validation';
import { bearerToken } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { screeningFrom } from '../screen/screening-from';

/** PATCH /comments/{commentId}: the author fixes their comment, with the edit token. */
export function createHandler(deps: HandlerDeps<'comments' | 'screening', 'settings' | 'schemas'>) {
  const read = pathAndBody(commentPathSchema, deps.schemas.commentEdit, deps.settings.limits);
  const screened = { ...deps.areas.comments, screening: deps.areas.screening };
  return httpHandler('EditComment', deps, async (event) => {
    const [{ commentId }, { body }] = read(event, 'The edit is not valid.');
    const token = bearerToken(event);
    return json(200, {
      comment: await editOwnComment(screened, { commentId, token, body }),
    });
  });
}

export const handler = createHandler(
  loadHandlerDeps({ comments: commentsFrom, screening: screeningFrom }),
);
