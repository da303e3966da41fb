/**
 * Builds the screen a deployment asked for, once per cold start: its house rules (the console's,
 * read at most once a minute, or the starting lists of the settings), and the Bedrock Guardrails
 * client where screening is `guardrails`.
 */

import { type Foundation, tableOf } from '../areas';
import { cachedRules } from '../domain/rules-cache';
import type { ContentScreen, HookScreen, Screening } from '../domain/screen';
import type { RulesStore } from '../domain/screen-rules';
import type { Settings } from '../domain/settings';
import { GUARDRAIL_ID_ENV, GUARDRAIL_VERSION_ENV, required } from '../env';
import { HouseRulesRepository } from '../store/house-rules-repository';
import { endpointSecret } from '../webhooks/endpoint-secret';
import { isDisposableDomain } from './disposable-domains';
import { moderationHookScreen } from './moderation-hook';

/** The bound on the content screen's time: past it the comment is held (`screen:unavailable`). */
export const SCREEN_TIMEOUT_MS = 1000;

/** The guardrail named by the stack, its client loaded on the first comment it screens. */
function guardrails(env: NodeJS.ProcessEnv): ContentScreen {
  const config = {
    guardrailId: required(env, GUARDRAIL_ID_ENV),
    guardrailVersion: required(env, GUARDRAIL_VERSION_ENV),
  };
  // The bundler replaces this variable (env.ts SCREEN_BUNDLE_ENV) with `rules` for a deployment without Guardrails (the
  // stack's `screening`), and then drops the import and the Bedrock client with it.
  if (process.env.TALKBACK_SCREEN_BUNDLE !== 'rules') {
    let screen: Promise<ContentScreen> | undefined;
    return async (input, signal) => {
      screen ??= import('./guardrails').then((module) => module.createGuardrailScreen(config));
      return (await screen)(input, signal);
    };
  }
  throw new Error('Talkback configuration: screening is guardrails but this bundle has no client');
}

/** The site's moderation hook, its secret fetched on the first comment where it is an ARN. */
function hook(settings: Settings, clock: () => number): HookScreen | undefined {
  const config = settings.moderationHook;
  if (!config) return undefined;
  return moderationHookScreen(
    { url: config.url, secret: endpointSecret(config), includeEmail: config.includeEmail },
    clock,
  );
}

export function screeningOf(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  store: RulesStore,
  clock: () => number = Date.now,
): Screening {
  return {
    rules: cachedRules(store, settings, clock),
    isDisposable: isDisposableDomain,
    content: settings.screening === 'guardrails' ? guardrails(env) : undefined,
    hook: hook(settings, clock),
    timeoutMs: SCREEN_TIMEOUT_MS,
  };
}

/** The screening area's builder, named by the handlers that screen (runtime.ts loadHandlerDeps). */
export const screeningFrom = (base: Foundation): Screening => {
  const { client, tableName } = tableOf(base);
  return screeningOf(
    base.settings,
    base.env,
    new HouseRulesRepository(client, tableName),
    base.clock,
  );
};
