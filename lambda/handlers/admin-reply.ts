import { commentsFrom } from '../areas';
import { postAsStaff } from '../domain/admin';
import { articlePathSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * POST /admin/articles/{articleId}/comments: a comment or reply as staff (`author.staff: true`),
 * published at once. The only way a comment gets the staff mark.
 */
export function createHandler(deps: HandlerDeps<'comments', 'settings' | 'schemas'>) {
  const read = pathAndBody(articlePathSchema, deps.schemas.staffReply, deps.settings.limits);
  return httpHandler('AdminReply', deps, async (event) => {
    requireOperator(event);
    const [{ articleId }, input] = read(event, 'The comment is not valid.');
    const comment = await postAsStaff(deps.areas.comments, { articleId, ...input });
    return json(201, { comment, status: 'published' });
  });
}

export const handler = createHandler(loadHandlerDeps({ comments: commentsFrom }));
