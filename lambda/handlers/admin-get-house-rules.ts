import { type HandlerDeps, loadHandlerDeps } from '../runtime';
import { createGetRulesHandler, houseRulesFrom } from '../screen/house-rules-routes';

/** GET /admin/house-rules: the rules in force and their version (docs/api.md). */
export function createHandler({ areas, beforeRequest }: HandlerDeps<'houseRules'>) {
  return createGetRulesHandler({ beforeRequest, rules: areas.houseRules });
}

export const handler = createHandler(loadHandlerDeps({ houseRules: houseRulesFrom }));
