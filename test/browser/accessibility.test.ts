/**
 * The thread for everyone: no axe-core violations in light, dark and right to left; every
 * action by keyboard alone, with focus never dropped to the page; live regions announcing what
 * happened.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, widget } from './browser';

describe('widget accessibility', () => {
  const session = useBrowserSession();

  /** axe-core over the thread (shadow root included), with the comments open. */
  const audit = async (page: Page) => {
    await thread(page).locator('.toggle').click();
    await expect(thread(page).locator('li.comment').first()).toBeVisible();
    // The types of @axe-core/playwright name playwright's Page; playwright-core's is the same.
    const results = await new AxeBuilder({ page } as unknown as ConstructorParameters<
      typeof AxeBuilder
    >[0])
      .include('talkback-thread')
      .analyze();
    return results.violations.map((violation) => ({
      id: violation.id,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  };

  const seeded = async (name: string) => {
    const article = newArticle(name);
    const first = await session.server.comment(article, {
      name: 'Ada',
      body: 'First, with a link: https://example.org/a.',
    });
    await session.server.comment(article, { name: 'Ben', body: 'Second', parentId: first.id });
    return article;
  };

  it.each([
    ['light', 'theme="light"', 'lang="en"'],
    ['dark', 'theme="dark"', 'lang="en" style="background:#121212"'],
    ['right to left', '', 'lang="ar" dir="rtl"'],
  ])('has no axe-core violations in %s', async (_, attributes, htmlAttributes) => {
    const page = await openThread(session.context, session.local.url, await seeded('axe'), {
      attributes,
      htmlAttributes,
    });
    expect(await audit(page)).toEqual([]);
  });

  /** What has focus, through the shadow root: tag#id.class|name. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      if (!element || element === document.body) return 'BODY';
      const name = element.getAttribute('aria-label') || element.textContent?.trim().slice(0, 40);
      return `${element.tagName}#${element.id}.${element.className}|${name}`;
    });

  /** Presses Tab (or Shift+Tab) until the focused element matches; fails after 60 presses. */
  const tabTo = async (page: Page, target: RegExp, key = 'Tab') => {
    for (let presses = 0; presses < 60; presses++) {
      await page.keyboard.press(key);
      if (target.test(await focused(page))) return;
    }
    throw new Error(`${key} never reached ${target}; focus is on ${await focused(page)}`);
  };

  it('does every action by keyboard, announces what happened and never drops focus', async () => {
    const article = await seeded('keyboard');
    const page = await openThread(session.context, session.local.url, article, {
      attributes: 'page-size="1"',
    });
    const ui = widget(page);
    await expect(ui.toggle).toBeVisible();
    const live = thread(page).locator('.comments > [aria-live="polite"]');

    // React.
    await tabTo(page, /^BUTTON#\.reaction\b/);
    await page.keyboard.press('Enter');
    await expect(thread(page).locator('.reaction[aria-pressed="true"]')).toHaveCount(1);

    // Open the comments; sort newest first and back.
    await tabTo(page, /\.toggle\|/);
    await page.keyboard.press('Enter');
    await expect(ui.toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(live).toHaveText('View Comments (2)');
    await tabTo(page, /^SELECT/);
    await page.keyboard.press('ArrowDown');
    expect(await thread(page).locator('select').inputValue()).toBe('newest');
    await page.keyboard.press('ArrowUp');
    expect(await thread(page).locator('select').inputValue()).toBe('oldest');

    // Load more: the last page moves focus to the first comment it brought.
    await tabTo(page, /\.more\|/);
    await page.keyboard.press('Enter');
    await expect(ui.commentBy('Ben')).toBeFocused();

    // Reply: focus goes to the comment field; the name and email are before it.
    await tabTo(page, /reply-link\|Reply to Ada/, 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^TEXTAREA/);
    await page.keyboard.type('Keyboard reply');
    await tabTo(page, /^INPUT#talkback-email/, 'Shift+Tab');
    await page.keyboard.type('keys@example.org');
    await tabTo(page, /^INPUT#talkback-name/, 'Shift+Tab');
    await page.keyboard.type('Kay');
    await tabTo(page, /\.submit\|Post Comment/);
    await page.keyboard.press('Enter');
    await expect(ui.formStatus).toHaveText('Thank you, your comment is posted.');
    await expect(live).toHaveText('View Comments (3)');
    // Focus moves to the new comment (the Reply it answered was drawn anew).
    await expect(ui.commentBy('Kay')).toBeFocused();

    // Edit it.
    await tabTo(page, /^BUTTON#talkback-edit-/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^TEXTAREA#talkback-editor-/);
    await page.keyboard.press('End');
    await page.keyboard.type(', edited');
    await tabTo(page, /\.submit\|Save/);
    await page.keyboard.press('Enter');
    await expect(ui.commentBy('Kay').locator('.body')).toHaveText('Keyboard reply, edited');
    await expect(ui.commentBy('Kay')).toBeFocused();

    // Delete it: No has focus first; Yes is before it.
    await tabTo(page, /^BUTTON#talkback-delete-/);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^BUTTON#talkback-no-/);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatch(/^BUTTON#talkback-yes-/);
    await page.keyboard.press('Enter');
    await expect(thread(page).getByText('Your comment is deleted.')).toBeVisible();
    await expect(ui.toggle).toBeFocused();
    await expect(live).toHaveText('View Comments (2)');
  });

  it('announces errors in the form’s live status', async () => {
    const page = await openThread(session.context, session.local.url, newArticle('errors'));
    const ui = widget(page);
    await thread(page).getByRole('button', { name: 'Post Comment' }).click();
    await expect(ui.formStatus).toHaveText('Please check the fields marked below.');
    await expect(ui.formStatus).toHaveAttribute('role', 'status');
  });
});
