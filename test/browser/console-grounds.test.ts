/**
 * The ground of a removal in the console (DSA Art. 17): taking a published comment out of view
 * asks which of the deployment's grounds, a digit picks one and Enter the default, and the ground
 * chosen is the one the API records; Escape and Undo send none.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page, Request } from 'playwright-core';
import { newArticle, useBrowserSession } from './browser';
import { consolePage } from './console-page';

describe('moderation console grounds', () => {
  const session = useBrowserSession({
    settings: { moderation: { policy: 'all', undoSeconds: 30 } },
  });
  const { admin, seed, signIn, filterTo, rows, statusesOf } = consolePage(session);

  /** The month's removals by ground, from the operators' transparency counts. */
  async function byGround(): Promise<Record<string, number>> {
    const month = new Date().toISOString().slice(0, 7);
    const report = await admin<{ actionsByGround: Record<string, number> }>(
      `/admin/transparency?from=${month}&to=${month}`,
    );
    return report.actionsByGround;
  }

  /** The bodies of the decisions (PATCH of a comment) the page sends. */
  function decisionsSent(page: Page) {
    const sent: unknown[] = [];
    page.on('request', (request: Request) => {
      if (request.method() === 'PATCH' && /\/admin\/comments\/[^/]+$/.test(request.url())) {
        sent.push(request.postDataJSON());
      }
    });
    return sent;
  }

  /** A signed-in console on the Published tab of an article with one published comment. */
  async function published(name: string) {
    const article = newArticle(name);
    const [id] = await seed(article, ['Buy cheap watches.']);
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await expect(rows(page)).toHaveCount(1);
    return { page, article, id, sent: decisionsSent(page) };
  }

  const picker = (page: Page) => page.getByRole('dialog', { name: /^Why\?/ });

  it('asks for the ground on s, sends the one a digit picks, and the API records it', async () => {
    const { page, article, sent } = await published('grounds-digit');
    const before = await byGround();
    await page.keyboard.press('s');
    await expect(picker(page)).toBeVisible();
    await expect(picker(page).getByRole('button')).toHaveText([
      '1. Spam or advertising (house rules)',
      '2. Abuse or harassment (house rules)',
      '3. Off topic (house rules)',
      "4. Someone's personal information (house rules)",
      '5. Illegal content (illegal content: unspecified)',
    ]);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((found) => found.id)).toEqual([]);
    await page.keyboard.press('2');
    await expect(picker(page)).toHaveCount(0);
    await expect(page.locator('.toast span')).toHaveText(/^Marked as spam/);
    expect(sent).toEqual([{ status: 'spam', ground: 'abuse' }]);
    expect((await statusesOf(article, 'spam')).map((comment) => comment.body)).toEqual([
      'Buy cheap watches.',
    ]);
    const after = await byGround();
    expect(after.abuse ?? 0).toBe((before.abuse ?? 0) + 1);
    expect(after.spam ?? 0).toBe(before.spam ?? 0);
  });

  it('keeps the fast key: s then Enter sends the default ground', async () => {
    const { page, sent } = await published('grounds-enter');
    await page.keyboard.press('s');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.locator('.toast span')).toHaveText(/^Marked as spam/);
    expect(sent).toEqual([{ status: 'spam', ground: 'spam' }]);
  });

  it('sends nothing on Escape, and its undo sends no ground and takes the count back', async () => {
    const { page, article, sent } = await published('grounds-undo');
    const before = await byGround();
    await page.keyboard.press('s');
    await expect(picker(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(picker(page)).toHaveCount(0);
    await expect(rows(page)).toHaveCount(1);
    expect(sent).toEqual([]);
    await page.keyboard.press('s');
    await page.keyboard.press('3');
    await expect(page.locator('.toast span')).toHaveText(/^Marked as spam/);
    expect((await byGround())['off-topic'] ?? 0).toBe((before['off-topic'] ?? 0) + 1);
    await expect(rows(page)).toHaveCount(0);
    await page.keyboard.press('u');
    // The undo's PATCH is answered before the queue reloads with the row back.
    await expect(rows(page)).toHaveCount(1);
    expect((await statusesOf(article, 'published')).map((comment) => comment.body)).toEqual([
      'Buy cheap watches.',
    ]);
    expect(sent).toEqual([{ status: 'spam', ground: 'off-topic' }, { status: 'published' }]);
    expect((await byGround())['off-topic'] ?? 0).toBe(before['off-topic'] ?? 0);
  });

  it('undoes a removal whose u comes at once after the ground, as fast as a moderator types', async () => {
    const { page, article, sent } = await published('grounds-fast-undo');
    await page.keyboard.press('s');
    await expect(picker(page)).toBeVisible();
    // No wait between the keys: the u must not fall into the picker's closing.
    await page.keyboard.press('1');
    await page.keyboard.press('u');
    // The undo's PATCH is answered before the queue reloads with the row back.
    await expect(rows(page)).toHaveCount(1);
    expect((await statusesOf(article, 'published')).map((comment) => comment.body)).toEqual([
      'Buy cheap watches.',
    ]);
    expect(sent).toEqual([{ status: 'spam', ground: 'spam' }, { status: 'published' }]);
  });
});
