/**
 * The house rules as the functions that screen hold them (lambda/domain/screen-rules.ts has the
 * item and the operators' routes): the deployment's starting lists, and the rules read at most
 * once a minute per instance. Kept apart from the routes' schema, which the screening bundles do
 * not need (esbuild keeps a schema built at import in every bundle that imports its module).
 */
import { PhraseMatcher } from './house-rules';
import type { Clock } from './ids';
import type { CompiledRules } from './screen';
import type { RulesStore, VersionedRules } from './screen-rules';
import type { Settings } from './settings';

/** The deployment's starting lists, from its settings. */
export function startingRules(settings: Pick<Settings, 'rules' | 'emailDomains'>): VersionedRules {
  return {
    hold: [...settings.rules.hold],
    block: [...settings.rules.block],
    emailDomains: {
      disposable: settings.emailDomains.disposable,
      hold: [...settings.emailDomains.hold],
      block: [...settings.emailDomains.block],
    },
    version: 0,
    updatedAt: null,
  };
}

/** What the screen uses of the rules (compiled phrases, the email-domain rules), and their version. */
export interface ScreenRules extends CompiledRules {
  version: number;
}

/** How long an instance uses the rules it read before it reads them again. */
export const RULES_TTL_MS = 60_000;

/**
 * The rules for the screen, read from the store at most once per `ttlMs` and compiled again only
 * when their version changed. A failed read keeps the rules read before (a minute old, and read
 * again a minute later); with none read yet it throws, and the screen holds the comment
 * (`screen:unavailable`): it is never published unscreened.
 */
export function cachedRules(
  store: RulesStore,
  settings: Pick<Settings, 'rules' | 'emailDomains'>,
  clock: Clock,
  ttlMs = RULES_TTL_MS,
): () => Promise<ScreenRules> {
  let cached: ScreenRules | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<ScreenRules> | undefined;
  const compile = (rules: VersionedRules): ScreenRules => ({
    version: rules.version,
    phrases: new PhraseMatcher({ hold: rules.hold, block: rules.block }),
    emailDomains: rules.emailDomains,
  });
  const refresh = async (): Promise<ScreenRules> => {
    try {
      const rules = (await store.readRules(false)) ?? startingRules(settings);
      if (cached?.version !== rules.version) cached = compile(rules);
      return cached;
    } catch (error) {
      if (cached) return cached;
      throw error;
    } finally {
      // A failure waits out the TTL too: a struggling table is not asked once per comment.
      readAt = clock();
      reading = undefined;
    }
  };
  return async () => {
    if (cached && clock() - readAt < ttlMs) return cached;
    reading ??= refresh();
    return reading;
  };
}
