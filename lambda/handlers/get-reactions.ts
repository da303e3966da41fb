import * as v from 'valibot';
import { getReactions } from '../domain/reactions';
import { articleIdSchema } from '../domain/validation';
import { httpHandler } from '../http/handler';
import { pathOf, queryOf, validateAll } from '../http/request';
import { json } from '../http/response';
import { loadRuntime, type Runtime } from '../runtime';

const path = v.object({ articleId: articleIdSchema });

/** GET /articles/{articleId}/reactions: counts of every reaction and the visitor's own. */
export function createHandler(
  deps: Pick<Runtime, 'settings' | 'schemas' | 'reactions' | 'hasher' | 'clock'>,
) {
  return httpHandler('GetReactions', async (event) => {
    const [{ articleId }, { visitorId }] = validateAll(
      'The request is not valid.',
      [path, pathOf(event)],
      [deps.schemas.visitorQuery, queryOf(event)],
    );
    const view = await getReactions(
      { store: deps.reactions, hasher: deps.hasher, settings: deps.settings, clock: deps.clock },
      articleId,
      visitorId,
    );
    return json(200, view);
  });
}

export const handler = createHandler(loadRuntime());
