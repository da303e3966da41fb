import { countsFrom } from '../areas';
import type { ArticleCounts } from '../domain/ports';
import { getCounts } from '../domain/reactions';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { jsonText } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * `{ "articles": { "<id>": { "commentCount", "reactionTotal" }, ... } }`, written out entry by
 * entry, in the order asked: it parses to the object JSON.stringify would serialise, in a fraction
 * of the time, since an object of up to 100 arbitrary keys is slow to build and to serialise (and
 * JSON.stringify would put number-like ids first). Ids are written as they are: the counts query
 * admits only A-Z a-z 0-9 - _ . ~, none of which JSON escapes. The body is joined into one flat
 * string, which Lambda's runtime serialises again into its answer (see json-fast-path.ts on V8's JSON
 * fast path).
 */
export function countsJson(entries: readonly [string, ArticleCounts][]): string {
  const parts = entries.map(
    ([id, counts]) =>
      `"${id}":{"commentCount":${counts.commentCount},"reactionTotal":${counts.reactionTotal}}`,
  );
  return ['{"articles":{', parts.join(','), '}}'].join('');
}

/** GET /counts?articles=a,b,c: comment and reaction totals for an index page, in one read. */
export function createHandler({ schemas, areas, beforeRequest }: HandlerDeps<'counts', 'schemas'>) {
  return httpHandler('GetCounts', { beforeRequest }, async (event) => {
    const [{ articles }] = validateAll('The request is not valid.', [
      schemas.countsQuery,
      queryOf(event),
    ]);
    return jsonText(200, countsJson(await getCounts(areas.counts, articles)));
  });
}

export const handler = createHandler(loadHandlerDeps({ counts: countsFrom }));
