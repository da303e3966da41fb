/**
 * The console's house-rules view in Chromium against the local server: a moderator reads the
 * rules in force, a bad save shows the server's field errors and changes nothing, a good one
 * shows what was stored, which the API answers too.
 */
import type { Page } from 'playwright-core';
import { useBrowserSession } from './browser';
import { consolePage } from './console-page';

interface Rules {
  hold: string[];
  block: string[];
  emailDomains: { disposable: string; hold: string[]; block: string[] };
  version: number;
}

describe('console house rules', () => {
  // Disposable addresses held from the start, so the list is there to choose again.
  const session = useBrowserSession({
    settings: {
      rules: { hold: ['starting phrase'], block: [] },
      emailDomains: { disposable: 'hold', hold: [], block: ['spam.example'] },
    },
  });
  const { admin, signIn } = consolePage(session);

  async function openRules(): Promise<Page> {
    const page = await signIn();
    await page.getByText('House rules', { exact: true }).click();
    await page
      .getByText('The deployment’s starting rules')
      .or(page.getByText(/^Saved version/))
      .waitFor();
    return page;
  }

  it('shows the rules in force, refuses a bad save naming the fields, and saves a good one', async () => {
    const page = await openRules();
    expect(await page.getByLabel('Hold words and phrases').inputValue()).toBe('starting phrase');
    expect(await page.getByLabel('Spam email domains').inputValue()).toBe('spam.example');
    expect(await page.getByLabel('Disposable addresses').inputValue()).toBe('hold');

    await page.getByLabel('Hold words and phrases').fill('fool\nFool');
    await page.getByLabel('Spam email domains').fill('not a domain');
    await page.getByRole('button', { name: 'Save house rules' }).click();
    const errors = page.locator('#rules-errors');
    await expect(errors.getByText(/^Hold words and phrases, entry 2: repeats/)).toBeVisible();
    await expect(errors.getByText(/^Spam email domains, entry 1: must be a domain/)).toBeVisible();
    expect((await admin<Rules>('/admin/house-rules')).version).toBe(0);

    await page.getByLabel('Hold words and phrases').fill('starting phrase\nfool\n');
    await page.getByLabel('Spam words and phrases').fill('cheap pills');
    await page.getByLabel('Spam email domains').fill('spam.example');
    await page.getByLabel('Disposable addresses').selectOption('refuse');
    await page.getByRole('button', { name: 'Save house rules' }).click();
    await expect(page.getByText(/^Saved version 1 at /)).toBeVisible();
    expect(await errors.textContent()).toBe('');
    expect(await page.getByLabel('Hold words and phrases').inputValue()).toBe(
      'starting phrase\nfool',
    );
    expect(await admin<Rules>('/admin/house-rules')).toMatchObject({
      hold: ['starting phrase', 'fool'],
      block: ['cheap pills'],
      emailDomains: { disposable: 'refuse', hold: [], block: ['spam.example'] },
      version: 1,
    });
  });
});
