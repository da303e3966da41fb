/**
 * Report in real Chromium against the local server: the form a comment's Report opens (loaded on
 * that press), its reasons, a notice of illegal content with its explanation, good-faith statement
 * and optional email, the thanks, the API's refusals (a 400 naming fields, a 429), the keyboard
 * alone, and no axe-core violations with the form open.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, widget } from './browser';

describe('the report form', () => {
  const session = useBrowserSession();

  /** Opens the thread on a fresh article with one comment, by Ada, and its report form. */
  async function openForm(
    name: string,
    before?: (id: string) => Promise<unknown>,
  ): Promise<{ page: Page; id: string }> {
    const article = newArticle(name);
    const { id } = await session.server.comment(article, { name: 'Ada', body: 'Reportable' });
    await before?.(id);
    const page = await openThread(session.context, session.local.url, article);
    await widget(page).toggle.click();
    await widget(page).commentBy('Ada').first().getByRole('button', { name: 'Report' }).click();
    await expect(form(page).getByRole('heading', { name: 'Report this comment' })).toBeVisible();
    return { page, id };
  }

  const form = (page: Page) => thread(page).getByRole('form', { name: 'Report this comment' });
  const sent = (page: Page) =>
    page.waitForResponse((r) => r.url().includes('/reports') && r.request().method() === 'POST');

  it('offers the reasons, focused on the first, and sends a report the moderators will see', async () => {
    const { page, id } = await openForm('report-abuse');
    const reasons = form(page).getByRole('group', {
      name: 'Why should the moderators look at it?',
    });
    await expect(reasons.getByRole('radio')).toHaveCount(6);
    await expect(reasons.getByRole('radio', { name: 'Spam or advertising' })).toBeFocused();
    // The notice's fields are for illegal content only.
    await expect(form(page).getByRole('checkbox')).toHaveCount(0);

    await reasons.getByRole('radio', { name: 'Abuse, harassment or hate' }).check();
    await form(page).getByLabel('Anything the moderators should know (optional)').fill('Insults');
    const [response] = await Promise.all([
      sent(page),
      form(page).getByRole('button', { name: 'Send report' }).click(),
    ]);
    expect(response.status()).toBe(202);
    expect(response.request().postDataJSON()).toMatchObject({
      reason: 'abuse',
      explanation: 'Insults',
    });
    const thanks = thread(page).getByText('Thanks: the moderators will look at it.');
    await expect(thanks).toBeFocused();
    await expect(form(page)).toHaveCount(0);
    expect(id).toBeTruthy();
  });

  it('asks a notice of illegal content for an explanation and good faith, naming what is missing', async () => {
    const { page } = await openForm('report-illegal');
    await form(page).getByRole('radio', { name: 'Illegal content' }).check();
    const explanation = form(page).getByLabel(/^Why is it illegal\?/);
    const goodFaith = form(page).getByRole('checkbox', { name: /^I confirm in good faith/ });
    const email = form(page).getByLabel('Email, to be told of the decision (optional)');
    await expect(explanation).toBeVisible();
    await expect(goodFaith).toBeVisible();
    await expect(email).toBeVisible();

    const [refused] = await Promise.all([
      sent(page),
      form(page).getByRole('button', { name: 'Send report' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect(form(page).getByRole('status')).toHaveText(
      /^Please check: Why is it illegal\?.*; I confirm in good faith/,
    );
    await expect(explanation).toHaveAttribute('aria-invalid', 'true');
    await expect(goodFaith).toHaveAttribute('aria-invalid', 'true');
    await expect(explanation).toBeFocused();

    await explanation.fill('It repeats a court-banned defamatory claim, paragraph two.');
    await goodFaith.check();
    await email.fill('notifier@example.org');
    const [accepted] = await Promise.all([
      sent(page),
      form(page).getByRole('button', { name: 'Send report' }).click(),
    ]);
    expect(accepted.status()).toBe(202);
    expect(accepted.request().postDataJSON()).toMatchObject({
      reason: 'illegal',
      goodFaith: true,
      email: 'notifier@example.org',
    });
    await expect(thread(page).getByText('Thanks: the moderators will look at it.')).toBeVisible();
  });

  it('names the reason when none is chosen, and says how long to wait on a 429', async () => {
    const { page } = await openForm('report-errors');
    await Promise.all([
      sent(page),
      form(page).getByRole('button', { name: 'Send report' }).click(),
    ]);
    await expect(form(page).getByRole('status')).toHaveText(
      'Please check: Why should the moderators look at it?',
    );
    await expect(form(page).getByRole('radio', { name: 'Spam or advertising' })).toBeFocused();

    await page.route('**/reports', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '30', 'content-type': 'application/problem+json' },
        body: JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'Slow down' }),
      }),
    );
    await form(page).getByRole('radio', { name: 'Spam or advertising' }).check();
    await form(page).getByRole('button', { name: 'Send report' }).click();
    await expect(form(page).getByRole('status')).toHaveText(
      "You're reporting too fast. Please wait 30 seconds and try again.",
    );
    // Drawn with the message: the button is back for another try.
    expect(await form(page).getByRole('button', { name: 'Send report' }).isDisabled()).toBe(false);
  });

  it('works by keyboard alone: Escape closes it and focus goes back to Report', async () => {
    const { page } = await openForm('report-keyboard');
    await page.keyboard.press('ArrowDown');
    await expect(
      form(page).getByRole('radio', { name: 'Abuse, harassment or hate' }),
    ).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(form(page)).toHaveCount(0);
    const report = widget(page).commentBy('Ada').getByRole('button', { name: 'Report' });
    await expect(report).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(form(page).getByRole('radio', { name: 'Spam or advertising' })).toBeFocused();
    await page.keyboard.press('Space');
    // Tab to the explanation, then to Send report.
    await page.keyboard.press('Tab');
    await expect(form(page).getByRole('textbox')).toBeFocused();
    await page.keyboard.type('Selling pills');
    await page.keyboard.press('Tab');
    await expect(form(page).getByRole('button', { name: 'Send report' })).toBeFocused();
    await Promise.all([sent(page), page.keyboard.press('Enter')]);
    await expect(thread(page).getByText('Thanks: the moderators will look at it.')).toBeFocused();
  });

  it('has no axe-core violations with the notice form open and a pick shown', async () => {
    const { page } = await openForm('report-axe', (id) =>
      session.admin.call(`/admin/comments/${id}/feature`, 'PUT'),
    );
    await expect(thread(page).locator('section.picks')).toBeVisible();
    await form(page).getByRole('radio', { name: 'Illegal content' }).check();
    const results = await new AxeBuilder({ page } as unknown as ConstructorParameters<
      typeof AxeBuilder
    >[0])
      .include('talkback-thread')
      .analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});
