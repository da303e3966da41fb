import { moderationFrom } from '../areas';
import { listArticles, listForModeration } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /admin/comments: the moderation queue across all articles (or one), oldest first; with
 * `view=articles`, the ids of every article with a comment, reactions or closed (the export's).
 */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'schemas'>) {
  return httpHandler('AdminListComments', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [query] = validateAll('The request is not valid.', [
      schemas.moderationQuery,
      queryOf(event),
    ]);
    if (query.view === 'articles') return json(200, await listArticles(areas.moderation, query));
    return json(200, await listForModeration(areas.moderation, query));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
