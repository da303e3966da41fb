import { likesFrom } from '../areas';
import { setLike } from '../domain/likes';
import { commentPathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PUT /comments/{commentId}/likes: the visitor's (or signed-in reader's) one like. */
export function createHandler(deps: HandlerDeps<'likes', 'settings' | 'schemas' | 'originVerify'>) {
  const read = pathAndBody(commentPathSchema, deps.schemas.likeChoice, deps.settings.limits);
  return httpHandler('PutLike', deps, async (event) => {
    const [{ commentId }, { visitorId, reader }] = read(event, 'The like is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    return json(
      200,
      await setLike(deps.areas.likes, { commentId, visitorId, reader, liked: true, sourceIp }),
    );
  });
}

export const handler = createHandler(loadHandlerDeps({ likes: likesFrom }));
