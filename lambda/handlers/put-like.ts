import { likesFrom } from '../areas';
import { setLike } from '../domain/likes';
import { commentPathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { readersFrom } from '../readers/reader-verifier-from';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PUT /comments/{commentId}/likes: the visitor's (or signed-in reader's) one like. */
export function createHandler(
  deps: HandlerDeps<'likes' | 'readers', 'settings' | 'schemas' | 'originVerify'>,
) {
  const read = pathAndBody(commentPathSchema, deps.schemas.likeChoice, deps.settings.limits);
  // A signed-in reader's token is verified by the readers area (jose only in these bundles).
  const likes = { ...deps.areas.likes, ...deps.areas.readers };
  return httpHandler('PutLike', deps, async (event) => {
    const [{ commentId }, { visitorId, reader }] = read(event, 'The like is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    return json(200, await setLike(likes, { commentId, visitorId, reader, liked: true, sourceIp }));
  });
}

export const handler = createHandler(loadHandlerDeps({ likes: likesFrom, readers: readersFrom }));
