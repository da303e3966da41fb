import * as v from 'valibot';
import { setReaction } from '../domain/reactions';
import { articleIdSchema, visitorIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { countingReactionStore } from '../http/metrics';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });
const query = v.object({ visitorId: visitorIdSchema });

/** DELETE /articles/{articleId}/reactions: withdraws the visitor's vote, if any. */
export function createHandler(deps: Pick<Runtime, 'settings' | 'reactions' | 'hasher' | 'clock'>) {
  const reactions = countingReactionStore(deps.reactions);
  return httpHandler('DeleteReaction', async (event) => {
    const [{ articleId }, { visitorId }] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [query, queryOf(event)],
    );
    const view = await setReaction(
      { store: reactions, hasher: deps.hasher, settings: deps.settings, clock: deps.clock },
      {
        articleId,
        visitorId: visitorId,
        reaction: null,
        sourceIp: event.requestContext.http.sourceIp,
      },
    );
    return json(200, view);
  });
}

export const handler = createHandler(loadRuntime());
