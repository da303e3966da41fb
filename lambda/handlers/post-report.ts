import { reportsFrom } from '../areas';
import { reportComment } from '../domain/reports';
import { commentPathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * POST /comments/{commentId}/reports: a reader's report, or a notice of illegal content. The
 * answer is the same whether the report was new, counted or already there.
 */
export function createHandler(
  deps: HandlerDeps<'reports', 'settings' | 'schemas' | 'originVerify'>,
) {
  const read = pathAndBody(commentPathSchema, deps.schemas.report, deps.settings.limits);
  return httpHandler('PostReport', deps, async (event) => {
    const [{ commentId }, report] = read(event, 'The report is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    await reportComment(deps.areas.reports, { commentId, ...report, sourceIp });
    return json(202, { received: true });
  });
}

export const handler = createHandler(loadHandlerDeps({ reports: reportsFrom }));
