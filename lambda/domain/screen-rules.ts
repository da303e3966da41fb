/**
 * House rules edited from the console without a deploy (docs/moderation.md, "Editing the house
 * rules"): the phrase lists, the email-domain hold and block lists and what to do with disposable
 * addresses, stored as one item of the table that, once written, replaces the deployment's
 * starting lists (settings `rules` and `emailDomains`). Holding or refusing disposable addresses
 * needs their list in the screening functions' bundles, which a deployment starting at `allow`
 * leaves out: there a change to it is refused (400) until the setting is deployed.
 *
 * - Operators read the rules (GET) and replace them (PUT) with the version they read: a PUT
 *   made from an older version is refused (409), so two moderators never overwrite each other.
 * - The functions that screen read the item at most once a minute per instance (`cachedRules`)
 *   and compile the phrases again only when its version changed: a change reaches every instance
 *   within a minute, and the create path gains one small read a minute, not one per comment.
 *   Where no rules could be read, the comment is held (`screen:unavailable`, lambda/domain/screen.ts).
 */
import * as v from 'valibot';
import { type FieldError, RulesChangedError } from './errors';
import type { DisposableAction } from './house-rules';
import type { Clock } from './ids';
import { startingRules } from './rules-cache';
import { DISPOSABLE_ACTIONS, DOMAIN, MAX_LIST_ENTRIES, type Settings } from './settings';

export interface HouseRules {
  hold: string[];
  block: string[];
  emailDomains: { disposable: DisposableAction; hold: string[]; block: string[] };
}

/** The rules as stored, with the version a replacement must name (0: none stored yet). */
export interface VersionedRules extends HouseRules {
  version: number;
  /** When they were last replaced; null for the deployment's starting lists. */
  updatedAt: string | null;
}

export interface RulesStore {
  /** The stored rules; undefined while none have been stored. */
  readRules(consistent: boolean): Promise<VersionedRules | undefined>;
  /** Stores the rules as `version` if the stored version is still `version - 1`; false if not. */
  writeRules(rules: HouseRules, version: number, now: string): Promise<boolean>;
}

/** One item holds them all: DynamoDB's item limit is 400 KB. */
export const MAX_RULES_BYTES = 350_000;

const PHRASE = 'must be a phrase of 1 to 200 characters with a letter or digit';
/** A list's entries once, compared as the screen compares them (case aside). */
const withoutDuplicates = <T extends v.GenericSchema<unknown, string[]>>(list: T, what: string) =>
  v.pipe(
    list,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const seen = new Set<string>();
      for (const [index, entry] of dataset.value.entries()) {
        const key = entry.toLowerCase();
        if (seen.has(key)) {
          addIssue({
            message: `repeats the ${what} "${entry}"`,
            path: [
              {
                type: 'array',
                origin: 'value',
                input: dataset.value,
                key: index,
                value: entry,
              },
            ],
          });
        }
        seen.add(key);
      }
    }),
  );

const phraseList = v.pipe(
  v.array(
    v.pipe(
      v.string(PHRASE),
      v.trim(),
      v.minLength(1, PHRASE),
      v.maxLength(200, PHRASE),
      v.check((phrase) => /[\p{L}\p{N}]/u.test(phrase), PHRASE),
    ),
    'must be a list of phrases',
  ),
  v.maxLength(MAX_LIST_ENTRIES, `must have at most ${MAX_LIST_ENTRIES} phrases`),
);
const phrases = withoutDuplicates(phraseList, 'phrase');
const DOMAIN_MESSAGE = 'must be a domain such as example.com';
const domainList = v.pipe(
  v.array(
    v.pipe(
      v.string(DOMAIN_MESSAGE),
      v.transform((domain) => domain.trim().toLowerCase()),
      v.regex(DOMAIN, DOMAIN_MESSAGE),
    ),
    'must be a list of domains',
  ),
  v.maxLength(MAX_LIST_ENTRIES, `must have at most ${MAX_LIST_ENTRIES} domains`),
);
const domains = withoutDuplicates(domainList, 'domain');
const disposable = v.picklist(
  DISPOSABLE_ACTIONS,
  `must be one of ${DISPOSABLE_ACTIONS.join(', ')}`,
);

/** A PUT's body: every list, and the version it replaces. */
export const rulesChangeSchema = v.pipe(
  v.strictObject({
    hold: phrases,
    block: phrases,
    emailDomains: v.strictObject({ disposable, hold: domains, block: domains }),
    version: v.pipe(
      v.number('must be the version the rules were read at'),
      v.integer('must be the version the rules were read at'),
      v.minValue(0, 'must be the version the rules were read at'),
    ),
  }),
  v.check(
    (rules) => Buffer.byteLength(JSON.stringify(rules)) <= MAX_RULES_BYTES,
    `the rules must take at most ${MAX_RULES_BYTES.toLocaleString('en-US')} bytes in all`,
  ),
);
export type RulesChange = v.InferOutput<typeof rulesChangeSchema>;

export interface RulesDeps {
  store: RulesStore;
  settings: Pick<Settings, 'rules' | 'emailDomains'>;
  clock: Clock;
}

/** GET: the stored rules, or the deployment's starting lists at version 0. */
export async function currentRules(deps: RulesDeps): Promise<VersionedRules> {
  return (await deps.store.readRules(true)) ?? startingRules(deps.settings);
}

/**
 * Holding or refusing disposable addresses where the deployment left their list out (it starts
 * at `allow`): the functions that screen could not tell them, so the change is refused.
 */
export function disposableChoiceError(
  settings: Pick<Settings, 'emailDomains'>,
  change: RulesChange,
): FieldError | undefined {
  if (change.emailDomains.disposable === 'allow' || settings.emailDomains.disposable !== 'allow')
    return undefined;
  return {
    field: 'emailDomains.disposable',
    message:
      'needs the list of disposable domains, which this deployment leaves out: deploy with the setting emailDomains.disposable at hold or refuse first',
  };
}

/** PUT: replaces every list, if the rules are still at the version the change names. */
export async function replaceRules(deps: RulesDeps, change: RulesChange): Promise<VersionedRules> {
  const { version, ...rules } = change;
  const updatedAt = new Date(deps.clock()).toISOString();
  if (!(await deps.store.writeRules(rules, version + 1, updatedAt))) throw new RulesChangedError();
  return { ...rules, version: version + 1, updatedAt };
}
