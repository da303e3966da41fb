/**
 * A commenter's record in the console, in Chromium against the local server: the author's name on
 * a queue item opens it; `b` bans the author under the cursor and `u` undoes it; the Trust button
 * trusts; a note is saved, and is there after a reload. What the panel says is what the API holds.
 */
import AxeBuilder from '@axe-core/playwright';
import { newArticle, useBrowserSession } from './browser';
import { consolePage } from './console-page';

interface Record {
  state: string;
  note: string | null;
  setBy: string | null;
}

describe('console commenter records', () => {
  const session = useBrowserSession({ settings: { moderation: { policy: 'all' } } });
  const { admin, seed, signIn, filterTo, rows, statusesOf } = consolePage(session);

  it('opens the author’s record, bans by key, undoes, trusts by button and keeps the note', async () => {
    const article = newArticle('console-commenter');
    await seed(article, ['Who wrote this?']);
    const [comment] = (await statusesOf(article, 'pending')) as unknown as {
      commenterId: string;
    }[];
    const commenter = `/admin/commenters/${comment?.commenterId}`;
    const page = await signIn();
    await filterTo(page, article);
    await expect(rows(page)).toHaveCount(1);

    await page.getByRole('button', { name: 'Reader: open their record' }).click();
    const panel = page.getByRole('region', { name: 'Commenter: Reader' });
    await expect(panel.locator('#commenter-counts')).toHaveText(
      /^Published 0, pending 1, spam 0\. First seen \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    await expect(panel.getByRole('listitem')).toHaveText([`${article} · pending: Who wrote this?`]);
    await expect(panel.locator('#commenter-state')).toHaveText('Normal.');
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((found) => found.id)).toEqual([]);

    await page.keyboard.press('b');
    await expect(panel.locator('#commenter-state')).toHaveText(/^Banned, set by .+ at .+ UTC\.$/);
    await expect(page.getByText('Reader: banned.')).toBeVisible();
    expect((await admin<Record>(commenter)).state).toBe('banned');

    await page.keyboard.press('u');
    await expect(panel.locator('#commenter-state')).toHaveText(/^Normal, set by /);
    expect((await admin<Record>(commenter)).state).toBe('normal');

    await panel.getByRole('button', { name: 'Trust', exact: true }).click();
    await expect(panel.locator('#commenter-state')).toHaveText(/^Trusted, set by /);
    expect((await admin<Record>(commenter)).state).toBe('trusted');

    await panel.getByLabel('Note').fill('Regular; fine.');
    await panel.getByRole('button', { name: 'Save note' }).click();
    await expect(page.getByText('Reader: note saved.')).toBeVisible();
    expect(await admin<Record>(commenter)).toMatchObject({
      state: 'trusted',
      note: 'Regular; fine.',
    });

    await page.reload();
    await filterTo(page, article);
    await page.getByRole('button', { name: 'Reader: open their record' }).click();
    await expect(panel.locator('#commenter-state')).toHaveText(/^Trusted, set by /);
    expect(await panel.getByLabel('Note').inputValue()).toBe('Regular; fine.');
  });
});
