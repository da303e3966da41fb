import { transparencyFrom } from '../areas';
import { screenTuning } from '../domain/screen-tuning';
import { transparencyReport } from '../domain/transparency';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * GET /admin/transparency?from=YYYY-MM&to=YYYY-MM: the counts of a DSA transparency report for
 * those months (domain/transparency.ts). Two DynamoDB Queries, each of one partition's range of
 * months (the counters, one item a month; the screen's tuning counts, one item a month and
 * reason): no Scan.
 */
export function createHandler({
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'transparency', 'schemas'>) {
  return httpHandler('AdminTransparency', { beforeRequest }, async (event) => {
    requireOperator(event);
    const [range] = validateAll('The request is not valid.', [
      schemas.transparencyQuery,
      queryOf(event),
    ]);
    const [rows, screen] = await Promise.all([
      areas.transparency.store.transparencyRows(range.from, range.to),
      screenTuning(areas.transparency.tuning, range),
    ]);
    return json(200, transparencyReport(range, rows, screen));
  });
}

export const handler = createHandler(loadHandlerDeps({ transparency: transparencyFrom }));
