/**
 * Readers' signals in the widget, in real Chromium against the local server: Like (pressed,
 * counted, taken back, remembered after a reload, rolled back on a failure), the Top order, and
 * the Editor's Picks above the thread, marked, in English and in German.
 */
import type { Page } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, widget } from './browser';

describe('likes, Top and Editor’s Picks', () => {
  const session = useBrowserSession();

  const likeOf = (page: Page, name: string) =>
    widget(page)
      .commentBy(name)
      .locator(':scope > article')
      .getByRole('button', { name: /^Like \d+$/ });

  const likeAnswer = (page: Page, method: string) =>
    page.waitForResponse((r) => r.url().includes('/likes') && r.request().method() === method);

  /** Waits (up to 10 s) until the API lists the article's comments in the Top order as `names`. */
  async function topIs(article: string, names: string[]): Promise<void> {
    let seen: string[] = [];
    for (let tries = 0; tries < 100; tries++) {
      const page = (await (
        await fetch(new URL(`/articles/${article}/comments?order=top`, session.local.url))
      ).json()) as { comments: { author: { name: string }; likes: number }[] };
      seen = page.comments.map((comment) => `${comment.author.name}:${comment.likes}`);
      if (seen.join() === names.join()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the Top order stayed ${seen.join(', ')}`);
  }

  /**
   * Waits (up to 10 s) until the comment can be liked: the tally has seen it published, about a
   * second after it is posted. Until then taking back a like nobody gave is a 404; after, it
   * changes nothing.
   */
  async function likable(id: string): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      const url = new URL(
        `/comments/${id}/likes?visitorId=probe-reader-000000001`,
        session.local.url,
      );
      if ((await fetch(url, { method: 'DELETE' })).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`comment ${id} never became likeable`);
  }

  /**
   * Another reader's like. A comment can be liked once the tally has seen it published (about a
   * second after it is posted): until then the API answers 404, so it is asked again (up to 10 s).
   */
  async function likeFromNode(id: string, visitorId: string): Promise<Response> {
    for (let tries = 0; ; tries++) {
      const response = await fetch(new URL(`/comments/${id}/likes`, session.local.url), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId }),
      });
      if (response.status !== 404 || tries === 100) return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('likes a comment, remembers the like after a reload, and takes it back', async () => {
    const article = newArticle('likes-flow');
    const { id } = await session.server.comment(article, { name: 'Ada', body: 'Likeable' });
    await likable(id);
    const page = await openThread(session.context, session.local.url, article);
    await widget(page).toggle.click();
    const like = likeOf(page, 'Ada');
    await expect(like).toHaveText('Like 0');
    await expect(like).toHaveAttribute('aria-pressed', 'false');

    await Promise.all([likeAnswer(page, 'PUT'), like.click()]);
    await expect(like).toHaveAttribute('aria-pressed', 'true');
    await expect(like).toHaveText('Like 1');
    await expect(like).toBeFocused();

    await page.reload();
    await widget(page).toggle.click();
    await expect(likeOf(page, 'Ada')).toHaveAttribute('aria-pressed', 'true');
    await expect(likeOf(page, 'Ada')).toHaveText('Like 1');

    await Promise.all([likeAnswer(page, 'DELETE'), likeOf(page, 'Ada').click()]);
    await expect(likeOf(page, 'Ada')).toHaveAttribute('aria-pressed', 'false');
    await expect(likeOf(page, 'Ada')).toHaveText('Like 0');
    // The server agrees: a like from another reader makes it 1, not 2.
    expect(
      ((await (await likeFromNode(id, 'other-reader-000000001')).json()) as { likes: number })
        .likes,
    ).toBe(1);
  });

  it('shows a like at once and rolls it back when the API refuses it', async () => {
    const article = newArticle('likes-rollback');
    await session.server.comment(article, { name: 'Ada', body: 'Likeable' });
    const page = await openThread(session.context, session.local.url, article);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/likes', async (route) => {
      await held;
      await route.fulfill({
        status: 429,
        headers: { 'retry-after': '7', 'content-type': 'application/problem+json' },
        body: JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'Slow down' }),
      });
    });
    await widget(page).toggle.click();
    await likeOf(page, 'Ada').click();
    await expect(likeOf(page, 'Ada')).toHaveText('Like 1');
    await expect(likeOf(page, 'Ada')).toHaveAttribute('aria-pressed', 'true');
    release();
    await expect(likeOf(page, 'Ada')).toHaveText('Like 0');
    await expect(likeOf(page, 'Ada')).toHaveAttribute('aria-pressed', 'false');
    await expect(thread(page).locator('section.comments p.status')).toHaveText(
      "You're reacting too fast. Please wait 7 seconds and try again.",
    );
    expect(await page.evaluate(() => localStorage.getItem('talkback.likes'))).toBeNull();
  });

  it('makes a press given while a like is on its way once the answer is in', async () => {
    const article = newArticle('likes-again');
    const { id } = await session.server.comment(article, { name: 'Ada', body: 'Likeable' });
    await likable(id);
    const page = await openThread(session.context, session.local.url, article);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const methods: string[] = [];
    await page.route(/\/comments\/[^/]+\/likes/, async (route) => {
      methods.push(route.request().method());
      if (methods.length === 1) await held;
      await route.continue();
    });
    await widget(page).toggle.click();
    const like = likeOf(page, 'Ada');
    await like.click();
    await expect(like).toHaveText('Like 1');
    const withdrawn = likeAnswer(page, 'DELETE');
    await like.click();
    release();
    await withdrawn;
    expect(methods).toEqual(['PUT', 'DELETE']);
    await expect(like).toHaveAttribute('aria-pressed', 'false');
    await expect(like).toHaveText('Like 0');
  });

  it('sorts by Top: most liked first, and back to oldest', async () => {
    const article = newArticle('likes-top');
    await session.server.comment(article, { name: 'Ada', body: 'First' });
    const ben = await session.server.comment(article, { name: 'Ben', body: 'Second' });
    const cy = await session.server.comment(article, { name: 'Cy', body: 'Third' });
    for (const [id, visitor] of [
      [cy.id, 'other-reader-000000001'],
      [cy.id, 'other-reader-000000002'],
      [ben.id, 'other-reader-000000001'],
    ] as const) {
      expect((await likeFromNode(id, visitor)).status).toBe(200);
    }
    await topIs(article, ['Cy:2', 'Ben:1', 'Ada:0']);
    const page = await openThread(session.context, session.local.url, article);
    await widget(page).toggle.click();
    const authors = thread(page).locator('ol.thread > li.comment > article .author');
    await expect(authors).toHaveText(['Ada', 'Ben', 'Cy']);

    const sort = thread(page).getByRole('combobox', { name: 'Sort by' });
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('order=top')),
      sort.selectOption({ label: 'Top' }),
    ]);
    await expect(authors).toHaveText(['Cy', 'Ben', 'Ada']);
    await expect(likeOf(page, 'Cy')).toHaveText('Like 2');
    await sort.selectOption({ label: 'Oldest' });
    await expect(authors).toHaveText(['Ada', 'Ben', 'Cy']);
  });

  it('shows the Editor’s Picks above the thread, marked, and marks them in the thread', async () => {
    const article = newArticle('picks');
    await session.server.comment(article, { name: 'Ada', body: 'Ordinary' });
    const pick = await session.server.comment(article, { name: 'Ben', body: 'Brilliant' });
    await session.admin.call(`/admin/comments/${pick.id}/feature`, 'PUT');
    const page = await openThread(session.context, session.local.url, article);
    await widget(page).toggle.click();

    const picks = thread(page).locator('section.picks');
    await expect(picks.getByRole('heading', { name: "Editor's Picks" })).toBeVisible();
    await expect(picks.locator('li.pick .author')).toHaveText(['Ben']);
    await expect(picks.locator('li.pick .mark')).toHaveText(["Editor's pick"]);
    await expect(picks.locator('.body')).toHaveText('Brilliant');
    // Picks come before the thread, which keeps the pick where it falls, marked too.
    await expect(thread(page).locator('section.picks + ol.thread')).toHaveCount(1);
    await expect(widget(page).commentBy('Ben').locator('.mark')).toHaveText("Editor's pick");
    await expect(widget(page).commentBy('Ada').locator('.mark')).toHaveCount(0);
    // Only the thread's copy carries ids: no id is on the page twice.
    await expect(thread(page).locator(`[id="comment-${pick.id}"]`)).toHaveCount(1);
  });

  it('names the Editor’s Picks in the reader’s language', async () => {
    const article = newArticle('picks-de');
    const pick = await session.server.comment(article, { name: 'Ben', body: 'Brillant' });
    await session.admin.call(`/admin/comments/${pick.id}/feature`, 'PUT');
    const page = await openThread(session.context, session.local.url, article, {
      htmlAttributes: 'lang="de"',
    });
    await thread(page).locator('.toggle').click();
    const picks = thread(page).locator('section.picks');
    await expect(picks.getByRole('heading', { name: 'Empfehlungen der Redaktion' })).toBeVisible();
    await expect(picks.locator('.mark')).toHaveText('Empfehlung der Redaktion');
    await expect(thread(page).getByRole('button', { name: /^Gefällt mir \d+$/ })).toHaveText(
      'Gefällt mir 0',
    );
  });
});
