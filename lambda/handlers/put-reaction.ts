import { setReaction } from '../domain/reactions';
import { articlePathSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { type HandlerDeps, loadRuntime } from '../runtime';

/** PUT /articles/{articleId}/reactions: sets or moves the visitor's one vote. */
export function createHandler({
  settings,
  schemas,
  areas,
}: HandlerDeps<'reactions', 'settings' | 'schemas'>) {
  return httpHandler('PutReaction', async (event) => {
    const body = readJsonObject(event, settings.limits.requestBodyMaxBytes);
    const [{ articleId }, choice] = validateAll(
      'The reaction is not valid.',
      [articlePathSchema, pathOf(event)],
      [schemas.reactionChoice, body],
    );
    const view = await setReaction(areas.reactions, {
      articleId,
      visitorId: choice.visitorId,
      reaction: choice.reaction,
      sourceIp: event.requestContext.http.sourceIp,
    });
    return json(200, view);
  });
}

export const handler = createHandler(loadRuntime());
