/**
 * The operators' routes of the house rules (docs/moderation.md, "Editing the house rules"): GET
 * /admin/house-rules answers the rules and their version, PUT /admin/house-rules replaces every
 * list given the version it was read at. Mounted by lambda/handlers/admin-get-house-rules.ts and
 * admin-put-house-rules.ts; the screening functions read the rules with `cachedRules`
 * (lambda/domain/screen-rules.ts).
 */
import type { Foundation } from '../areas';
import { tableOf } from '../areas';
import type { Waits } from '../before-request';
import {
  currentRules,
  disposableChoiceError,
  MAX_RULES_BYTES,
  type RulesDeps,
  replaceRules,
  rulesChangeSchema,
} from '../domain/screen-rules';
import { requireOperator } from '../http/auth';
import { httpHandler } from '../http/handler';
import { problems } from '../http/problem';
import { readJsonObject, validateAll } from '../http/request';
import { json } from '../http/response';
import { HouseRulesRepository } from '../store/house-rules-repository';

/** The area of both routes: the item, the deployment's starting lists, the clock. */
export const houseRulesFrom = (base: Foundation): RulesDeps => {
  const { client, tableName } = tableOf(base);
  return {
    store: new HouseRulesRepository(client, tableName),
    settings: base.settings,
    clock: base.clock,
  };
};

/** A body of every list at the limits, as JSON: the item's limit and the JSON around it. */
const BODY_MAX_BYTES = MAX_RULES_BYTES + 64 * 1024;

export function createGetRulesHandler(deps: Waits & { rules: RulesDeps }) {
  return httpHandler('AdminGetHouseRules', deps, async (event) => {
    requireOperator(event);
    return json(200, await currentRules(deps.rules));
  });
}

export function createPutRulesHandler(deps: Waits & { rules: RulesDeps }) {
  return httpHandler('AdminPutHouseRules', deps, async (event) => {
    requireOperator(event);
    const body = readJsonObject(event, BODY_MAX_BYTES);
    const [change] = validateAll('The house rules are not valid.', [rulesChangeSchema, body]);
    const refused = disposableChoiceError(deps.rules.settings, change);
    if (refused) throw problems.invalid('The house rules are not valid.', [refused]);
    return json(200, await replaceRules(deps.rules, change));
  });
}
