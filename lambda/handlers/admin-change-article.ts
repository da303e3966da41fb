import * as v from 'valibot';
import { setArticleClosed } from '../domain/admin';
import { articleIdSchema } from '../domain/validation';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** PATCH /admin/articles/{articleId}: `{ "closed": true }` closes it to new comments, false reopens. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'moderation' | 'hasher'>,
) {
  return httpHandler('AdminChangeArticle', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ articleId }, { closed }] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [deps.schemas.articleChange, body],
    );
    const store = { store: deps.moderation, hasher: deps.hasher };
    return json(200, await setArticleClosed(store, articleId, closed));
  });
}

export const handler = createHandler(loadRuntime());
