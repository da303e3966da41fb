import { setReaction } from '../domain/reactions';
import { articlePathSchema, visitorRequiredQuerySchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadRuntime } from '../runtime';

/** DELETE /articles/{articleId}/reactions: withdraws the visitor's vote, if any. */
export function createHandler({ areas }: HandlerDeps<'reactions'>) {
  return httpHandler('DeleteReaction', async (event) => {
    const [{ articleId }, { visitorId }] = validateAll(
      'The request is not valid.',
      [articlePathSchema, pathOf(event)],
      [visitorRequiredQuerySchema, queryOf(event)],
    );
    const view = await setReaction(areas.reactions, {
      articleId,
      visitorId,
      reaction: null,
      sourceIp: event.requestContext.http.sourceIp,
    });
    return json(200, view);
  });
}

export const handler = createHandler(loadRuntime());
