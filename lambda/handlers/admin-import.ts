import { buildImportSchemas, IMPORT_BODY_MAX_BYTES, importComments } from '../domain/imports';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/**
 * POST /admin/imports: a batch of comments brought from elsewhere (the operator CLI's `import`),
 * each written once whatever how often the batch is sent. A bad comment refuses the whole batch.
 */
export function createHandler(deps: Pick<Runtime, 'schemas' | 'imports' | 'hasher'>) {
  const { batch } = buildImportSchemas(deps.schemas);
  return httpHandler('AdminImport', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, IMPORT_BODY_MAX_BYTES);
    const [{ comments }] = validateAll('The import batch is not valid.', [batch, body]);
    return json(200, await importComments({ store: deps.imports, hasher: deps.hasher }, comments));
  });
}

export const handler = createHandler(loadRuntime());
