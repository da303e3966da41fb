/**
 * The screen tests' fixtures: one comment to screen, and house rules (hold `idiot`, block
 * `cheap pills`) with whatever else a test sets, for test/unit/domain/screen.test.ts and the
 * screen adapters' tests beside this file.
 */
import { type EmailDomainRules, PhraseMatcher } from '../../../lambda/domain/house-rules';
import type { Screening } from '../../../lambda/domain/screen';

/** A comment that no rule catches. */
export const SCREENED_COMMENT = {
  articleId: 'a-1',
  authorName: 'Ada',
  body: 'A fine comment.',
  email: 'ada@news.example',
};

/**
 * The house rules with a 1 s bound, no email-domain rule unless `emailDomains` gives them, and
 * what the other `overrides` add.
 */
export function houseRulesScreening(
  overrides: Partial<Screening> & { emailDomains?: EmailDomainRules } = {},
): Screening {
  const { emailDomains = { disposable: 'allow', hold: [], block: [] }, ...rest } = overrides;
  const phrases = new PhraseMatcher({ hold: ['idiot'], block: ['cheap pills'] });
  return {
    rules: async () => ({ phrases, emailDomains }),
    isDisposable: async () => false,
    timeoutMs: 1000,
    ...rest,
  };
}
