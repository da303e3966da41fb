import { importsFrom } from '../areas';
import { buildImportSchemas, IMPORT_BODY_MAX_BYTES, importBatch } from '../domain/imports';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * POST /admin/imports: a batch of comments brought from elsewhere (the operator CLI's `import`),
 * each written once however often the batch is sent, and articles' reaction counts, added once. A bad comment refuses the whole batch.
 */
export function createHandler({
  settings,
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'imports', 'settings' | 'schemas'>) {
  const { batch } = buildImportSchemas(
    schemas,
    settings.reactions.map((reaction) => reaction.key),
  );
  return httpHandler('AdminImport', { beforeRequest }, async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, IMPORT_BODY_MAX_BYTES);
    const [input] = validateAll('The import batch is not valid.', [batch, body]);
    return json(200, await importBatch(areas.imports, input));
  });
}

export const handler = createHandler(loadHandlerDeps({ imports: importsFrom }));
