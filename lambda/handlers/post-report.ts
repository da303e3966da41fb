import { reportsFrom } from '../areas';
import { reportComment } from '../domain/reports';
import { commentPathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { readersFrom } from '../readers/reader-verifier-from';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * POST /comments/{commentId}/reports: a reader's report, or a notice of illegal content. The
 * answer is the same whether the report was new, counted or already there.
 */
export function createHandler(
  deps: HandlerDeps<'reports' | 'readers', 'settings' | 'schemas' | 'originVerify'>,
) {
  const read = pathAndBody(commentPathSchema, deps.schemas.report, deps.settings.limits);
  // A signed-in reader's token is verified by the readers area (jose only in these bundles).
  const reports = { ...deps.areas.reports, ...deps.areas.readers };
  return httpHandler('PostReport', deps, async (event) => {
    const [{ commentId }, report] = read(event, 'The report is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    await reportComment(reports, { commentId, ...report, sourceIp });
    return json(202, { received: true });
  });
}

export const handler = createHandler(
  loadHandlerDeps({ reports: reportsFrom, readers: readersFrom }),
);
