import { moderationFrom } from '../areas';
import { eraseEmail } from '../domain/admin';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** POST /admin/erasures: every comment by an email loses the email and author details. */
export function createHandler({
  settings,
  schemas,
  areas,
  beforeRequest,
}: HandlerDeps<'moderation', 'settings' | 'schemas'>) {
  return httpHandler('AdminErase', { beforeRequest }, async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, settings.limits.requestBodyMaxBytes);
    const [{ email }] = validateAll('The request is not valid.', [schemas.erasure, body]);
    return json(200, await eraseEmail(areas.moderation, email));
  });
}

export const handler = createHandler(loadHandlerDeps({ moderation: moderationFrom }));
