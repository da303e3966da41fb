import { reactionsFrom } from '../areas';
import { setReaction } from '../domain/reactions';
import { articlePathSchema, visitorRequiredQuerySchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { clientAddress, pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadHandlerDeps } from '../runtime';

/** DELETE /articles/{articleId}/reactions: withdraws the visitor's vote, if any. */
export function createHandler({
  areas,
  originVerify,
  beforeRequest,
}: HandlerDeps<'reactions', 'originVerify'>) {
  return httpHandler('DeleteReaction', { beforeRequest }, async (event) => {
    const [{ articleId }, { visitorId }] = validateAll(
      'The request is not valid.',
      [articlePathSchema, pathOf(event)],
      [visitorRequiredQuerySchema, queryOf(event)],
    );
    const view = await setReaction(areas.reactions, {
      articleId,
      visitorId,
      reaction: null,
      sourceIp: clientAddress(event, originVerify?.()),
    });
    return json(200, view);
  });
}

export const handler = createHandler(loadHandlerDeps({ reactions: reactionsFrom }));
