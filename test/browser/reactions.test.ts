/**
 * "What's Your Reaction?" in real Chromium against the local server: choose, switch, withdraw,
 * optimistic counts reconciled with (or rolled back to) the server's answer.
 */
import type { Route } from 'playwright-core';
import { newArticle, openThread, storedVisitorId, thread, useBrowserSession } from './browser';

describe('reaction buttons', () => {
  const session = useBrowserSession();

  const button = (page: Parameters<typeof thread>[0], label: string) =>
    thread(page).getByRole('button', { name: new RegExp(`^${label} \\d+$`) });

  it('shows the configured reactions in order, with the counts other readers gave', async () => {
    const article = newArticle('reactions-shown');
    await session.server.react(article, 'other-reader-000000001', 'happy');
    await session.server.react(article, 'other-reader-000000002', 'happy');
    const page = await openThread(session.context, session.local.url, article);

    const buttons = thread(page).locator('button.reaction');
    await expect(buttons).toHaveText([
      'Excited 0',
      'Happy 2',
      'In Love 0',
      'Not Sure 0',
      'Silly 0',
    ]);
    for (const reaction of await buttons.all()) {
      await expect(reaction).toHaveAttribute('aria-pressed', 'false');
    }
    await expect(
      thread(page).getByRole('heading', { name: "What's Your Reaction?" }),
    ).toBeVisible();
    await expect(thread(page).locator('.reaction-list')).toHaveAttribute('aria-live', 'polite');
  });

  it('chooses, switches and withdraws, and the server agrees each time', async () => {
    const article = newArticle('reactions-flow');
    const page = await openThread(session.context, session.local.url, article);
    const answered = (method: string) =>
      page.waitForResponse(
        (r) => r.url().includes('/reactions') && r.request().method() === method,
      );

    await Promise.all([answered('PUT'), button(page, 'Excited').click()]);
    // Read once the widget is drawn (it arrives in chunks after the page's load event).
    const visitor = String(await storedVisitorId(page));
    await expect(button(page, 'Excited')).toHaveAttribute('aria-pressed', 'true');
    await expect(button(page, 'Excited')).toHaveText('Excited 1');
    expect(await session.server.reactions(article, visitor)).toMatchObject({
      mine: 'excited',
      total: 1,
    });

    await Promise.all([answered('PUT'), button(page, 'In Love').click()]);
    await expect(button(page, 'In Love')).toHaveAttribute('aria-pressed', 'true');
    await expect(button(page, 'Excited')).toHaveAttribute('aria-pressed', 'false');
    await expect(thread(page).locator('button.reaction')).toHaveText([
      'Excited 0',
      'Happy 0',
      'In Love 1',
      'Not Sure 0',
      'Silly 0',
    ]);
    expect(await session.server.reactions(article, visitor)).toMatchObject({
      mine: 'in-love',
      total: 1,
    });

    await Promise.all([answered('DELETE'), button(page, 'In Love').click()]);
    await expect(button(page, 'In Love')).toHaveAttribute('aria-pressed', 'false');
    await expect(button(page, 'In Love')).toHaveText('In Love 0');
    expect(await session.server.reactions(article, visitor)).toMatchObject({
      mine: null,
      total: 0,
    });
  });

  it('shows the new count before the server answers, then keeps the server’s count', async () => {
    const article = newArticle('reactions-optimistic');
    // Someone else reacts after this page loaded: the reconciled count must include them.
    const page = await openThread(session.context, session.local.url, article);
    await expect(button(page, 'Silly')).toHaveText('Silly 0');
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/reactions', async (route: Route) => {
      await held;
      await route.continue();
    });

    await button(page, 'Silly').click();
    await expect(button(page, 'Silly')).toHaveAttribute('aria-pressed', 'true');
    await expect(button(page, 'Silly')).toHaveText('Silly 1');

    await session.server.react(article, 'other-reader-000000003', 'silly');
    release();
    await expect(button(page, 'Silly')).toHaveText('Silly 2');
    await expect(button(page, 'Silly')).toHaveAttribute('aria-pressed', 'true');
  });

  it('rolls the count back and says so when the server refuses', async () => {
    const article = newArticle('reactions-rollback');
    await session.server.react(article, 'other-reader-000000004', 'happy');
    const page = await openThread(session.context, session.local.url, article);
    await expect(button(page, 'Happy')).toHaveText('Happy 1');
    let attempts = 0;
    await page.route('**/reactions', (route: Route) => {
      attempts++;
      return route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }),
      });
    });

    await button(page, 'Happy').click();
    await expect(thread(page).getByRole('status').first()).toHaveText(
      'Your reaction could not be saved. Please try again.',
    );
    await expect(button(page, 'Happy')).toHaveText('Happy 1');
    await expect(button(page, 'Happy')).toHaveAttribute('aria-pressed', 'false');
    expect(attempts).toBe(1);
  });

  it('keeps a random visitor id in localStorage, so the choice survives a reload', async () => {
    const article = newArticle('reactions-visitor');
    const page = await openThread(session.context, session.local.url, article);
    // The widget arrives in chunks after the page's load event: its id is kept once it is drawn.
    await expect(button(page, 'Not Sure')).toBeVisible();
    const visitor = await storedVisitorId(page);
    expect(visitor).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT'),
      button(page, 'Not Sure').click(),
    ]);
    // The widget stores the confirmed vote once it has read the answer, a moment after the
    // response arrives: a reload before that would find nothing stored (failed once in CI).
    await page.waitForFunction(
      (id) => JSON.parse(localStorage.getItem('talkback.votes') ?? '{}')[id] === 'not-sure',
      article,
    );

    await page.reload();
    await expect(button(page, 'Not Sure')).toHaveAttribute('aria-pressed', 'true');
    expect(await storedVisitorId(page)).toBe(visitor);

    const stranger = await session.browser.newContext();
    const other = await openThread(stranger, session.local.url, article);
    await expect(button(other, 'Not Sure')).toHaveText('Not Sure 1');
    await expect(button(other, 'Not Sure')).toHaveAttribute('aria-pressed', 'false');
    expect(await storedVisitorId(other)).not.toBe(visitor);
    await stranger.close();
  });

  it('works from the keyboard', async () => {
    const article = newArticle('reactions-keyboard');
    const page = await openThread(session.context, session.local.url, article);
    await button(page, 'Excited').focus();
    await page.keyboard.press('Tab');
    await expect(button(page, 'Happy')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(button(page, 'Happy')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Enter');
    await expect(button(page, 'Happy')).toHaveAttribute('aria-pressed', 'false');
  });
});
