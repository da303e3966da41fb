import { getCounts } from '../domain/reactions';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/** GET /counts?articles=a,b,c: comment and reaction totals for an index page, in one read. */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'reactions'>) {
  return httpHandler('GetCounts', async (event) => {
    const [{ articles }] = validateAll('The request is not valid.', [
      deps.schemas.countsQuery,
      queryOf(event),
    ]);
    return json(200, { articles: await getCounts(deps.reactions, articles) });
  });
}

export const handler = createHandler(loadRuntime());
