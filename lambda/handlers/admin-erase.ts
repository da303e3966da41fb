import { eraseEmail } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

/** POST /admin/erasures: every comment by an email loses the email and author details. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'moderation' | 'hasher'>,
) {
  return httpHandler('AdminErase', async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ email }] = validateAll('The request is not valid.', [deps.schemas.erasure, body]);
    return json(200, await eraseEmail({ store: deps.moderation, hasher: deps.hasher }, email));
  });
}

export const handler = createHandler(loadRuntime());
