import type { ArticleCounts } from '../domain/ports';
import { getCounts } from '../domain/reactions';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { jsonText } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/**
 * `{ "articles": { "<id>": { "commentCount", "reactionTotal" }, ... } }`, written out entry by
 * entry, in the order asked: it parses to the object JSON.stringify would serialise, in about a
 * third of the time, since an object of up to 100 arbitrary keys is slow to build and to
 * serialise (and JSON.stringify would put number-like ids first).
 */
export function countsJson(entries: readonly [string, ArticleCounts][]): string {
  const parts = entries.map(
    ([id, counts]) =>
      `${JSON.stringify(id)}:{"commentCount":${counts.commentCount},"reactionTotal":${counts.reactionTotal}}`,
  );
  return `{"articles":{${parts.join(',')}}}`;
}

/** GET /counts?articles=a,b,c: comment and reaction totals for an index page, in one read. */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'reactions'>) {
  return httpHandler('GetCounts', async (event) => {
    const [{ articles }] = validateAll('The request is not valid.', [
      deps.schemas.countsQuery,
      queryOf(event),
    ]);
    return jsonText(200, countsJson(await getCounts(deps.reactions, articles)));
  });
}

export const handler = createHandler(loadRuntime());
