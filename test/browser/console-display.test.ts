/**
 * What the console shows, as a newcomer reads it: a staff reply's missing email, a refused
 * article filter, the sign-in words, and right-to-left comments.
 */
import { newArticle, useBrowserSession } from './browser';
import { consolePage } from './console-page';

describe('moderation console display', () => {
  // A house rule, so one comment waits for a reason the screen gives.
  const session = useBrowserSession({
    settings: { moderation: { policy: 'all' }, rules: { hold: ['needs a second look'] } },
  });
  const { admin, seed, signIn, filterTo, rows } = consolePage(session);

  it('says a staff reply has no email, where an erased author’s comment says erased', async () => {
    const article = newArticle('console-staff-email');
    const [id] = await seed(article, ['A question.'], 'erased.author@example.org');
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    await admin(`/admin/articles/${article}/comments`, 'POST', {
      name: 'The editors',
      body: 'An answer.',
      parentId: id,
    });
    await admin('/admin/erasures', 'POST', { email: 'erased.author@example.org' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).locator('.email')).toHaveText(['(erased)', 'No email: a staff reply']);
  });

  it('clears the last article’s counts and Close button when a filter is refused, and says why', async () => {
    const article = newArticle('console-filter');
    await seed(article, ['Waiting.']);
    const page = await signIn();
    await filterTo(page, article);
    await expect(page.getByRole('tab', { name: 'Pending (1)' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Close to new comments' })).toBeVisible();
    await page.getByLabel('Article', { exact: true }).fill('not an article id!');
    await page.getByRole('button', { name: 'Filter' }).click();
    // What was refused and why, and no claim that the queue is empty.
    await expect(page.locator('#filter-error')).toHaveText(
      /^The article filter “not an article id!” was refused: articleId .+/,
    );
    await expect(page.locator('#queue')).toHaveText(
      'No comments shown: the article filter was refused.',
    );
    await expect(page.getByRole('tab')).toHaveText(['Pending', 'Spam', 'Published']);
    await expect(page.getByRole('button', { name: 'Close to new comments' })).toHaveCount(0);
    await expect(page.locator('#article-state')).toHaveText('');
    await expect(rows(page)).toHaveCount(0);
    // A good filter again clears the error.
    await filterTo(page, article);
    await expect(page.getByRole('tab', { name: 'Pending (1)' })).toBeVisible();
    await expect(page.locator('#filter-error')).toHaveText('');
  });

  it('says why a comment waits, in words, and nothing for one the screen let through', async () => {
    const article = newArticle('console-reasons');
    await seed(article, ['This one needs a second look.', 'An ordinary comment.']);
    const page = await signIn();
    await filterTo(page, article);
    await expect(rows(page)).toHaveCount(2);
    await expect(page.getByRole('list', { name: 'Why the comment by Reader waits' })).toHaveCount(
      1,
    );
    await expect(rows(page).first().locator('.reasons li')).toHaveText([
      'House rule “needs a second look”',
    ]);
    await expect(rows(page).nth(1).locator('.reasons')).toHaveCount(0);
  });

  it('names the command in the sign-in words as code, not with backticks', async () => {
    const page = await session.context.newPage();
    await page.goto(new URL('/admin/', session.local.url).href);
    await expect(page.locator('#sign-in-form p')).toHaveText(
      'Paste the admin token that npm start printed.',
    );
    await expect(page.locator('#sign-in-form p code')).toHaveText('npm start');
  });

  it('gives each comment’s text its own direction, so right-to-left text reads right', async () => {
    const article = newArticle('console-rtl');
    await seed(article, ['مرحبا Talkback يا صديقي']);
    const page = await signIn();
    await filterTo(page, article);
    await expect(rows(page).locator('.body')).toHaveAttribute('dir', 'auto');
    // Chromium resolves it from the first strong character: right to left.
    expect(
      await rows(page)
        .locator('.body')
        .evaluate((body) => getComputedStyle(body).direction),
    ).toBe('rtl');
  });

  it('keeps the article filter and the tab across a reload', async () => {
    const article = newArticle('console-reload');
    const [id] = await seed(article, ['Spam to keep in view.', 'Waiting.']);
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'spam' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Spam/ }).click();
    await expect(rows(page).locator('.body')).toHaveText(['Spam to keep in view.']);
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Spam (1)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(rows(page).locator('.body')).toHaveText(['Spam to keep in view.']);
    expect(await page.getByLabel('Article', { exact: true }).inputValue()).toBe(article);
  });
});
