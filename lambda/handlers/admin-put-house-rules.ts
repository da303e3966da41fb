import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { createPutRulesHandler, houseRulesFrom } from '../screen/house-rules-routes';

/** PUT /admin/house-rules: every list replaced, from the version read (docs/api.md). */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'houseRules'>) {
  return createPutRulesHandler({ beforeRequest, rules: areas.houseRules });
}

export const handler = createHandler(loadHandlerDeps({ houseRules: houseRulesFrom }));
