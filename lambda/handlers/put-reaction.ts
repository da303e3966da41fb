import * as v from 'valibot';
import { setReaction } from '../domain/reactions';
import { articleIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { countingReactionStore } from '../http/metrics';
import { pathOf, readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** PUT /articles/{articleId}/reactions: sets or moves the visitor's one vote. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'reactions' | 'hasher' | 'clock'>,
) {
  const reactions = countingReactionStore(deps.reactions);
  return httpHandler('PutReaction', async (event) => {
    const body = readJsonObject(event, deps.settings.limits.requestBodyMaxBytes);
    const [{ articleId }, choice] = validateAll(
      'The reaction is not valid.',
      [path, pathOf(event)],
      [deps.schemas.reactionChoice, body],
    );
    const view = await setReaction(
      { store: reactions, hasher: deps.hasher, settings: deps.settings, clock: deps.clock },
      {
        articleId,
        visitorId: choice.visitorId,
        reaction: choice.reaction,
        sourceIp: event.requestContext.http.sourceIp,
      },
    );
    return json(200, view);
  });
}

export const handler = createHandler(loadRuntime());
