import { likesFrom } from '../areas';
import { setLike } from '../domain/likes';
import { commentPathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { problems } from '../http/problem';
import { clientAddress, pathOf, queryOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { readersFrom } from '../readers/reader-verifier-from';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/**
 * DELETE /comments/{commentId}/likes: takes the like back. A guest names the visitor in the
 * query; a signed-in reader sends the token in a JSON body (never in a URL).
 */
export function createHandler(
  deps: HandlerDeps<'likes' | 'readers', 'settings' | 'schemas' | 'originVerify'>,
) {
  // A signed-in reader's token is verified by the readers area (jose only in these bundles).
  const likes = { ...deps.areas.likes, ...deps.areas.readers };
  return httpHandler('DeleteLike', deps, async (event) => {
    const body = event.body ? readJsonObject(event, deps.settings.limits.requestBodyMaxBytes) : {};
    const detail = 'The request is not valid.';
    const [{ commentId }, { visitorId }, { reader }] = validateAll(
      detail,
      [commentPathSchema, pathOf(event)],
      [deps.schemas.visitorQuery, queryOf(event)],
      [deps.schemas.likeWithdrawal, body],
    );
    if (visitorId === undefined && reader === undefined) {
      throw problems.invalid(detail, [{ field: 'visitorId', message: 'is required' }]);
    }
    const sourceIp = clientAddress(event, deps.originVerify?.());
    return json(
      200,
      await setLike(likes, { commentId, visitorId, reader, liked: false, sourceIp }),
    );
  });
}

export const handler = createHandler(loadHandlerDeps({ likes: likesFrom, readers: readersFrom }));
