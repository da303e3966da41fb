/**
 * The console's decisions when the API is slow, refuses, or has ended the session: one key is one
 * decision on the row the moderator sees, the row leaves at once and the next takes the cursor,
 * and what the screen says happened is what happened.
 */
import type { Page, Route } from 'playwright-core';
import { newArticle, useBrowserSession } from './browser';
import { consolePage } from './console-page';

describe('moderation console decisions', () => {
  // An undo window of 30 s, not the default 6: the console must take the deployment's.
  const session = useBrowserSession({
    settings: { moderation: { policy: 'all', undoSeconds: 30 } },
  });
  const { statusesOf, seed, signIn, filterTo, rows } = consolePage(session);

  const idsOf = async (article: string, status: 'pending' | 'published' | 'spam') =>
    (await statusesOf(article, status)).map((comment) => comment.id).sort();

  /** Holds every decision (PATCH of a comment) until released, counting them. */
  async function holdDecisions(page: Page) {
    const held: Route[] = [];
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/admin\/comments\/[^/]+$/, async (route) => {
      if (route.request().method() !== 'PATCH') return route.fallback();
      held.push(route);
      await released;
      await route.continue();
    });
    return { held, release };
  }

  /** Uncaught errors and rejections in the page. */
  const pageErrors = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return errors;
  };

  it('acts once per key on the row shown, while the API has not yet answered', async () => {
    const article = newArticle('console-fast');
    const ids = await seed(article, ['One.', 'Two.', 'Three.', 'Four.', 'Five.']);
    const page = await signIn();
    const errors = pageErrors(page);
    await filterTo(page, article);
    await page.getByRole('tab', { name: 'Pending (5)' }).waitFor();
    const { held, release } = await holdDecisions(page);
    for (const key of ['a', 'a', 'a', 's']) await page.keyboard.press(key);
    // Each row left at once; the next took the cursor.
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).locator('.body')).toHaveText(['Five.']);
    await expect(page.locator('#queue .row.current .body')).toHaveText('Five.');
    expect(held.map((route) => new URL(route.request().url()).pathname.split('/').pop())).toEqual(
      ids.slice(0, 4),
    );
    release();
    await expect(page.locator('.toast span')).toHaveText([
      'Approved: the comment by Reader (“One.”).',
      'Approved: the comment by Reader (“Two.”).',
      'Approved: the comment by Reader (“Three.”).',
      'Marked as spam: the comment by Reader (“Four.”).',
    ]);
    expect(await idsOf(article, 'published')).toEqual(ids.slice(0, 3).sort());
    expect(await idsOf(article, 'spam')).toEqual([ids[3]]);
    expect(await idsOf(article, 'pending')).toEqual([ids[4]]);
    await expect(page.getByRole('tab', { name: 'Pending (1)' })).toBeVisible();
    expect(errors).toEqual([]);
  });

  it('puts a refused decision’s row back, with an error naming the comment and why', async () => {
    const article = newArticle('console-refused');
    const [first] = await seed(article, ['A comment the API refuses to change.', 'Another.']);
    const page = await signIn();
    const errors = pageErrors(page);
    await filterTo(page, article);
    await expect(rows(page)).toHaveCount(2);
    await page.route(`**/admin/comments/${first}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 409,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              status: 409,
              title: 'Conflict',
              detail: 'It changed meanwhile.',
            }),
          })
        : route.fallback(),
    );
    await page.keyboard.press('a');
    await expect(page.locator('.toast.error span')).toHaveText(
      'Could not approve the comment by Reader (“A comment the API refuses to change.”): It changed meanwhile.',
    );
    expect(await page.locator('.toast').count()).toBe(1);
    await expect(rows(page).locator('.body')).toHaveText([
      'A comment the API refuses to change.',
      'Another.',
    ]);
    // The cursor stays on the row it moved to, so the next key acts on the row it sees.
    await expect(page.locator('#queue .row.current .body')).toHaveText('Another.');
    expect(await idsOf(article, 'pending')).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('shows the sign-in screen and no success when the session has expired, and the comment stays', async () => {
    const article = newArticle('console-expired');
    const [id] = await seed(article, ['Still waiting.']);
    const page = await signIn();
    const errors = pageErrors(page);
    await filterTo(page, article);
    await page.route(/\/admin\//, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 401,
            contentType: 'application/problem+json',
            body: JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'Expired.' }),
          })
        : route.fallback(),
    );
    await rows(page)
      .first()
      .getByRole('button', { name: /^Approve/ })
      .click();
    // The session expired: said so, not that the credentials were refused, and the form is ready.
    await expect(page.getByLabel('Admin token')).toBeFocused();
    await expect(page.getByRole('alert')).toHaveText(
      'Your session has expired. Sign in again to go on.',
    );
    // Not waited for: a toast shown now would still be there for seconds.
    expect(await page.locator('.toast').count()).toBe(0);
    expect(await idsOf(article, 'pending')).toEqual([id]);
    await page.unroute(/\/admin\//);
    await signIn(page);
    await filterTo(page, article);
    await expect(rows(page).locator('.body')).toHaveText(['Still waiting.']);
    expect(errors).toEqual([]);
  });

  it('names the comment in each decision’s notice, and each Undo undoes exactly its own decision', async () => {
    const article = newArticle('console-two-undos');
    const [first, second] = await seed(article, [
      'The first one approved, then undone.',
      'The second one approved, and kept.',
    ]);
    const page = await signIn();
    const errors = pageErrors(page);
    await filterTo(page, article);
    await page.keyboard.press('a');
    await page.keyboard.press('a');
    await expect(page.locator('.toast span')).toHaveText([
      'Approved: the comment by Reader (“The first one approved, then undone.”).',
      'Approved: the comment by Reader (“The second one approved, and kept.”).',
    ]);
    await page
      .getByRole('button', {
        name: 'Undo (u): approving the comment by Reader (“The first one approved, then undone.”)',
        exact: true,
      })
      .click();
    await expect(rows(page).locator('.body')).toHaveText(['The first one approved, then undone.']);
    await expect(page.locator('.toast span')).toHaveText([
      'Approved: the comment by Reader (“The second one approved, and kept.”).',
    ]);
    expect(await idsOf(article, 'pending')).toEqual([first]);
    expect(await idsOf(article, 'published')).toEqual([second]);
    expect(errors).toEqual([]);
  });

  it('sends one request and shows one toast for a double click on Approve', async () => {
    const article = newArticle('console-double');
    const [first, second] = await seed(article, ['Double-clicked.', 'Below it.']);
    const page = await signIn();
    await filterTo(page, article);
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.url());
    });
    await rows(page)
      .first()
      .getByRole('button', { name: /^Approve/ })
      .dblclick();
    await expect(
      page.getByText('Approved: the comment by Reader (“Double-clicked.”).'),
    ).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Pending (1)' })).toBeVisible();
    expect(patches.map((url) => new URL(url).pathname)).toEqual([`/admin/comments/${first}`]);
    await expect(page.locator('.toast')).toHaveCount(1);
    expect(await idsOf(article, 'pending')).toEqual([second]);
  });

  it('keeps an action undoable for the deployment’s undo window, and deletes only after it', async () => {
    const article = newArticle('console-window');
    const [id] = await seed(article, ['Deleted after the window.']);
    const page = await session.context.newPage();
    await page.clock.install();
    await page.goto(new URL('/admin/', session.local.url).href);
    await signIn(page);
    await filterTo(page, article);
    await rows(page)
      .first()
      .getByRole('button', { name: /^Delete/ })
      .click();
    await expect(rows(page)).toHaveCount(0);
    // Past the 6 s default, within the 30 s window: still undoable, still there.
    await page.clock.fastForward(10_000);
    await expect(page.getByRole('button', { name: 'Undo (u)' })).toBeVisible();
    expect(await idsOf(article, 'pending')).toEqual([id]);
    await page.clock.fastForward(21_000);
    await expect(page.getByRole('button', { name: 'Undo (u)' })).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Pending (0)' })).toBeVisible();
    expect(await idsOf(article, 'pending')).toEqual([]);
  });
});
