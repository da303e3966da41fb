import { reactionsFrom } from '../areas';
import { setReaction } from '../domain/reactions';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathAndBody } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** PUT /articles/{articleId}/reactions: sets or moves the visitor's one vote. */
export function createHandler(
  deps: HandlerDeps<'reactions', 'settings' | 'schemas' | 'originVerify'>,
) {
  const read = pathAndBody(articlePathSchema, deps.schemas.reactionChoice, deps.settings.limits);
  return httpHandler('PutReaction', deps, async (event) => {
    const [{ articleId }, { visitorId, reaction }] = read(event, 'The reaction is not valid.');
    const sourceIp = clientAddress(event, deps.originVerify?.());
    return json(
      200,
      await setReaction(deps.areas.reactions, { articleId, visitorId, reaction, sourceIp }),
    );
  });
}

export const handler = createHandler(loadHandlerDeps({ reactions: reactionsFrom }));
