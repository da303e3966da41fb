import * as v from 'valibot';
import { postAsStaff } from '../domain/admin';
import { articleIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/**
 * POST /admin/articles/{articleId}/comments: a comment or reply as staff (`author.staff: true`),
 * published at once. The only way a comment gets the staff mark.
 */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'comments' | 'clock' | 'newId'>,
) {
  return httpHandler('AdminReply', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ articleId }, input] = validateAll(
      'The comment is not valid.',
      [path, pathOf(event)],
      [deps.schemas.staffReply, body],
    );
    const comment = await postAsStaff(deps, { articleId, ...input });
    return json(201, { comment, status: 'published' });
  });
}

export const handler = createHandler(loadRuntime());
