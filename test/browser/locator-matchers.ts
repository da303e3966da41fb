/**
 * Web-first assertions for playwright-core locators (playwright-core has no `expect` of its
 * own). Each one waits, through Playwright's own auto-waiting (`waitFor`), for a locator that
 * matches only when the condition holds, so nothing sleeps or polls on a timer here. The wait is
 * bounded so a broken widget fails the test instead of hanging it.
 */
import { errors, type Locator } from 'playwright-core';

const WAIT_MS = 10_000;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactText = (text: string | RegExp) =>
  typeof text === 'string' ? new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) : text;

/** Waits for `condition` to match something (or, negated, nothing); false on timeout. */
async function waitUntil(condition: Locator, holds: boolean): Promise<boolean> {
  try {
    await condition.waitFor({ state: holds ? 'attached' : 'detached', timeout: WAIT_MS });
    return true;
  } catch (error) {
    if (error instanceof errors.TimeoutError) return false;
    throw error;
  }
}

async function describeNow(locator: Locator): Promise<string> {
  const texts = await locator.allTextContents().catch(() => []);
  return texts.length === 0 ? 'no element' : JSON.stringify(texts);
}

type Result = { pass: boolean; message: () => string };

/**
 * Positive: waits for every condition in turn. Negated (`.not`): waits for the first condition
 * to stop holding; the matchers that negate use a single condition.
 */
async function check(
  self: jest.MatcherContext,
  locator: Locator,
  conditions: Locator[],
  what: string,
): Promise<Result> {
  let pass: boolean;
  if (self.isNot) {
    pass = conditions[0] ? !(await waitUntil(conditions[0], false)) : true;
  } else {
    pass = true;
    for (const condition of conditions) {
      if (!(await waitUntil(condition, true))) {
        pass = false;
        break;
      }
    }
  }
  const now = await describeNow(locator);
  return {
    pass,
    message: () =>
      `expected ${locator} ${self.isNot ? 'not ' : ''}${what} within ${WAIT_MS} ms; now: ${now}`,
  };
}

expect.extend({
  async toHaveText(locator: Locator, expected: string | RegExp | (string | RegExp)[]) {
    const conditions = Array.isArray(expected)
      ? [
          ...expected.map((text, index) => locator.nth(index).filter({ hasText: exactText(text) })),
          locator.nth(expected.length - 1),
        ]
      : [locator.filter({ hasText: exactText(expected) })];
    const result = await check(this, locator, conditions, `to have text ${String(expected)}`);
    if (Array.isArray(expected) && !this.isNot && result.pass) {
      const extra = await waitUntil(locator.nth(expected.length), false);
      if (!extra)
        return {
          pass: false,
          message: () => `expected ${locator} to have exactly ${expected.length} elements`,
        };
    }
    return result;
  },
  async toHaveAttribute(locator: Locator, name: string, value: string) {
    const condition = locator.and(locator.page().locator(`css=[${name}=${JSON.stringify(value)}]`));
    return check(this, locator, [condition], `to have ${name}="${value}"`);
  },
  async toBeFocused(locator: Locator) {
    return check(
      this,
      locator,
      [locator.and(locator.page().locator('css=:focus'))],
      'to be focused',
    );
  },
  async toBeChecked(locator: Locator) {
    return check(
      this,
      locator,
      [locator.and(locator.page().locator('css=:checked'))],
      'to be checked',
    );
  },
  async toHaveCount(locator: Locator, count: number) {
    const conditions = count > 0 ? [locator.nth(count - 1)] : [];
    const result = await check(this, locator, conditions, `to have ${count} elements`);
    if (this.isNot || !result.pass) return result;
    const noMore = await waitUntil(locator.nth(count), false);
    return noMore
      ? result
      : { pass: false, message: () => `expected ${locator} to have ${count} elements` };
  },
  async toBeVisible(locator: Locator) {
    const wanted = !this.isNot;
    let met = true;
    try {
      await locator.waitFor({ state: wanted ? 'visible' : 'hidden', timeout: WAIT_MS });
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) throw error;
      met = false;
    }
    return {
      pass: wanted ? met : !met,
      message: () =>
        `expected ${locator} ${wanted ? '' : 'not '}to be visible within ${WAIT_MS} ms`,
    };
  },
});

declare global {
  namespace jest {
    interface Matchers<R> {
      toHaveText(expected: string | RegExp | (string | RegExp)[]): Promise<R>;
      toHaveAttribute(name: string, value: string): Promise<R>;
      toBeFocused(): Promise<R>;
      toBeChecked(): Promise<R>;
      toHaveCount(count: number): Promise<R>;
      toBeVisible(): Promise<R>;
    }
  }
}
