/**
 * The moderation console in Chromium against the local server, signed in with the admin token:
 * keys and clicks, selections, undo, erasure, closing an article, pins and staff replies, seen
 * from the console, the API and the widget; and what it must never do (run a comment's markup,
 * keep a credential in localStorage, be framed).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, widget } from './browser';
import { consolePage } from './console-page';
import { XSS_BODY, XSS_NAME, XSS_WEBSITE } from './xss-payloads';

describe('moderation console', () => {
  // Every comment waits for a moderator, as in a newsroom that moderates first.
  const session = useBrowserSession({ settings: { moderation: { policy: 'all' } } });

  const { admin, statusesOf, seed, signIn, filterTo, rows } = consolePage(session);

  /** Waits up to 5 s for an outcome the page brings about after a response it does not await. */
  async function waitFor(check: () => Promise<boolean>): Promise<void> {
    for (let tries = 0; tries < 50 && !(await check()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('signs in with the admin token, keeping it out of localStorage, and signs out forgetting it', async () => {
    const page = await signIn();
    const stored = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
    }));
    expect(stored.local).not.toContain(session.local.adminToken);
    expect(stored.session).toContain(session.local.adminToken);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByLabel('Admin token')).toBeVisible();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(
      session.local.adminToken,
    );
  });

  it('refuses a wrong token', async () => {
    const page = await session.context.newPage();
    await page.goto(new URL('/admin/', session.local.url).href);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText(/token/);
    await expect(page.getByRole('tab', { name: /Pending/ })).not.toBeVisible();
  });

  it('approves the current comment with the a key, and the tab counts follow', async () => {
    const article = newArticle('console-key');
    const [first] = await seed(article, ['First in the queue.', 'Second in the queue.']);
    const page = await signIn();
    await filterTo(page, article);
    await expect(page.getByRole('tab', { name: 'Pending (2)' })).toBeVisible();
    await expect(rows(page)).toHaveCount(2);
    await page.keyboard.press('a');
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole('tab', { name: 'Published (1)' })).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Pending (1)' })).toBeVisible();
    expect((await statusesOf(article, 'published')).map((comment) => comment.id)).toEqual([first]);
  });

  it('acts with a key on the row last clicked, not on the one the cursor was on before', async () => {
    const article = newArticle('console-click');
    const [first, second] = await seed(article, ['Clicked past.', 'Clicked on.']);
    const page = await signIn();
    await filterTo(page, article);
    await rows(page).nth(1).getByText('Clicked on.').click();
    await page.keyboard.press('a');
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole('tab', { name: 'Published (1)' })).toBeVisible();
    expect((await statusesOf(article, 'published')).map((comment) => comment.id)).toEqual([second]);
    expect((await statusesOf(article, 'pending')).map((comment) => comment.id)).toEqual([first]);
  });

  it('marks a selection as spam with x, j and s, and undoes it', async () => {
    const article = newArticle('console-bulk');
    const ids = await seed(article, ['One.', 'Two.', 'Three.']);
    const page = await signIn();
    await filterTo(page, article);
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.keyboard.press('s');
    await expect(rows(page)).toHaveCount(1);
    // The row leaves at once; the toast says so once the API has answered.
    await expect(
      page.getByText('Marked as spam: 2 comments, by Reader (“One.”) and Reader (“Two.”).'),
    ).toBeVisible();
    expect((await statusesOf(article, 'spam')).map((comment) => comment.id).sort()).toEqual(
      ids.slice(0, 2).sort(),
    );
    await page.getByRole('button', { name: 'Undo (u)' }).click();
    await expect(rows(page)).toHaveCount(3);
    expect(await statusesOf(article, 'spam')).toEqual([]);
    expect(await statusesOf(article, 'pending')).toHaveLength(3);
  });

  it('deletes only when the undo window has passed, and an undone delete never happens', async () => {
    const article = newArticle('console-delete');
    const [kept, deleted] = await seed(article, ['Keep me.', 'Delete me.']);
    const page = await signIn();
    await filterTo(page, article);
    await rows(page)
      .first()
      .getByRole('button', { name: /^Delete/ })
      .click();
    await page.getByRole('button', { name: 'Undo (u)' }).click();
    await expect(rows(page)).toHaveCount(2);
    await rows(page)
      .nth(1)
      .getByRole('button', { name: /^Delete/ })
      .click();
    await expect(rows(page)).toHaveCount(1);
    // Still there during the window.
    expect((await statusesOf(article, 'pending')).map((comment) => comment.id)).toEqual([
      kept,
      deleted,
    ]);
    await expect(page.getByRole('button', { name: 'Undo (u)' })).not.toBeVisible();
    // The toast goes as the window ends; the delete follows it.
    await waitFor(async () => (await statusesOf(article, 'pending')).length === 1);
    expect((await statusesOf(article, 'pending')).map((comment) => comment.id)).toEqual([kept]);
  });

  it('erases by email after a confirmation that names how many comments change', async () => {
    const article = newArticle('console-erase');
    await seed(article, ['Mine.', 'Also mine.'], 'erase.me@example.org');
    const page = await signIn();
    await page.getByLabel('Email', { exact: true }).fill('erase.me@example.org');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect(page.getByText('removes the author’s details from 2 comments')).toBeVisible();
    expect((await statusesOf(article, 'pending')).map((c) => c.author.name)).toEqual([
      'Reader',
      'Reader',
    ]);
    await page.getByRole('button', { name: 'Erase 2 comments' }).click();
    await expect(page.getByText('Erased the author’s details from 2 comments.')).toBeVisible();
    expect((await statusesOf(article, 'pending')).map((c) => c.author.name)).toEqual([
      'Deleted user',
      'Deleted user',
    ]);
  });

  it('closes an article: the widget says so instead of its form and a post is refused; reopening takes it again', async () => {
    const article = newArticle('console-close');
    const [id] = await seed(article, ['Before the close.']);
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    // A reader whose page was open before the close.
    const reader = await openThread(session.context, session.local.url, article);
    const form = widget(reader);
    await form.fill({ Name: 'Late', Email: 'late@example.org', Comment: 'Am I too late?' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('button', { name: 'Close to new comments' }).click();
    await expect(page.getByText('closed to new comments')).toBeVisible();
    expect((await form.post()).status()).toBe(403);
    // A page opened now shows the note, no form, and no Reply.
    await reader.reload();
    await expect(form.root.getByText('Comments are closed.')).toBeVisible();
    await expect(form.root.getByRole('button', { name: 'Post Comment' })).toHaveCount(0);
    await form.toggle.click();
    await expect(form.commentBy('Reader', 'Before the close.')).toBeVisible();
    await expect(form.root.getByRole('button', { name: /^Reply to/ })).toHaveCount(0);
    await page.getByRole('button', { name: 'Reopen to comments' }).click();
    await expect(page.getByText('open to comments')).toBeVisible();
    await reader.reload();
    await expect(form.root.getByText('Comments are closed.')).toHaveCount(0);
    await form.fill({ Name: 'Late', Email: 'late@example.org', Comment: 'Now then.' });
    expect((await form.post()).status()).toBe(201);
  });

  it('shows and edits an article’s own settings, undoes the change, and says what the API refused', async () => {
    const article = newArticle('console-settings');
    await seed(article, ['Waiting.']);
    const page = await signIn();
    await filterTo(page, article);
    // The form is filled in the same turn as the state line is written.
    await expect(page.locator('#article-state')).toHaveText('0 published · open to comments');
    expect(await page.getByLabel('Moderation').inputValue()).toBe('');
    await page.getByLabel('Moderation').selectOption('none');
    await page.getByLabel('Who may comment').fill('anyone');
    await page.getByLabel('Closes at').fill('2099-01-01T12:00');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText(`Saved the settings of ${article}.`)).toBeVisible();
    await expect(page.locator('#article-state')).toHaveText(
      /^0 published · open to comments until .*2099/,
    );
    const saved = await admin<Record<string, unknown>>(`/admin/articles/${article}`);
    expect(saved).toMatchObject({ moderation: 'none', commenting: 'anyone', open: true });
    expect(new Date(String(saved.closeAt)).getFullYear()).toBe(2099);
    expect(await page.getByLabel('Moderation').inputValue()).toBe('none');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.locator('#article-state')).toHaveText('0 published · open to comments');
    expect(await page.getByLabel('Moderation').inputValue()).toBe('');
    expect(await page.getByLabel('Closes at').inputValue()).toBe('');
    expect(await admin(`/admin/articles/${article}`)).toMatchObject({
      moderation: null,
      commenting: null,
      closeAt: null,
    });
    // A badge the deployment does not allow (the local server's demo issuer allows only
    // `subscriber`): nobody could hold it, and the API says which modes there are.
    await page.getByLabel('Who may comment').fill('badge:gold');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(
      page.getByText(/commenting must be one of anyone, signed-in, badge:subscriber/),
    ).toBeVisible();
    expect(await admin(`/admin/articles/${article}`)).toMatchObject({ commenting: null });
  });

  it('pins a comment, which readers then see first', async () => {
    const article = newArticle('console-pin');
    const ids = await seed(article, ['Oldest.', 'Middle.', 'Newest and best.']);
    for (const id of ids) await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await rows(page).nth(2).getByRole('button', { name: /^Pin/ }).click();
    await expect(rows(page).nth(2).getByText('Pinned', { exact: true })).toBeVisible();
    const list = await session.server.comments(article);
    expect(list.comments.map((comment) => comment.body)).toEqual([
      'Newest and best.',
      'Oldest.',
      'Middle.',
    ]);
    // The widget shows it first, marked, and the others unmarked.
    const reader = widget(await openThread(session.context, session.local.url, article));
    await reader.toggle.click();
    await expect(reader.comments.locator('.body')).toHaveText([
      'Newest and best.',
      'Oldest.',
      'Middle.',
    ]);
    await expect(reader.comments.first().locator(':scope > article .mark')).toHaveText(['Pinned']);
    await expect(reader.root.locator('.mark')).toHaveCount(1);
  });

  it('replies as staff, and the reply carries the staff mark', async () => {
    const article = newArticle('console-reply');
    const [id] = await seed(article, ['A question for the desk?']);
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    const page = await signIn();
    await filterTo(page, article);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await rows(page)
      .first()
      .getByRole('button', { name: /^Reply to/ })
      .click();
    await page.getByLabel('Reply', { exact: true }).fill('An answer from the desk.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await expect(rows(page)).toHaveCount(2);
    await expect(rows(page).nth(1).getByText('Staff', { exact: true })).toBeVisible();
    const reply = (await statusesOf(article, 'published')).find((c) => c.author.staff);
    expect(reply).toMatchObject({
      body: 'An answer from the desk.',
      author: { name: 'The editors' },
    });
    // Readers see the mark on the reply, and only there.
    const reader = widget(await openThread(session.context, session.local.url, article));
    await reader.toggle.click();
    await expect(
      reader.commentBy('The editors', 'An answer from the desk.').locator(':scope > article .mark'),
    ).toHaveText(['Staff']);
    await expect(reader.root.locator('.mark')).toHaveCount(1);
  });

  it('shows every field as text and runs none of the widget tests’ XSS payloads', async () => {
    const dialogs: string[] = [];
    session.context.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const article = newArticle('console-xss');
    await session.server.comment(article, {
      name: XSS_NAME,
      email: 'eve@example.org',
      website: XSS_WEBSITE,
      body: `${XSS_BODY} see https://spam.example/buy`,
    });
    const page = await signIn();
    await filterTo(page, article);
    const row = rows(page).first();
    await expect(row.locator('.author')).toHaveText(XSS_NAME);
    await expect(row.locator('.body')).toHaveText(`${XSS_BODY} see https://spam.example/buy`);
    // The server keeps a website as the URL it parsed (the payload's quotes and brackets escaped).
    await expect(row.locator('.website')).toHaveText(new URL(XSS_WEBSITE).href);
    await expect(row.locator('.links li')).toHaveText(['https://spam.example/buy']);
    await expect(page.locator('#queue img, #queue script, #queue a')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('serves the page with a strict Content-Security-Policy that refuses framing', async () => {
    const response = await fetch(new URL('/admin/', session.local.url));
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(response.headers.get('x-frame-options')).toBe('DENY');

    const page = await session.context.newPage();
    const host = new URL('/framing.html', session.local.url).href;
    await page.route(host, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><title>Framing</title><iframe src="/admin/"></iframe>',
      }),
    );
    await page.goto(host);
    const framed = page.frames().find((frame) => frame.url().includes('/admin/'));
    await page.waitForTimeout(500);
    const signIn = framed ? await framed.locator('#sign-in-form').count() : 0;
    expect(signIn).toBe(0);
  });

  /** axe-core's violations on the page as it stands: rule id and the offending nodes. */
  async function violations(page: Page) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations.map((found) => ({
      rule: found.id,
      nodes: found.nodes.map((node) => node.target.join(' ')),
    }));
  }

  it('passes an axe-core audit signed out, on the queue, and with the keys listed', async () => {
    const article = newArticle('console-axe');
    const [id] = await seed(article, ['Is this accessible?', 'And this one?']);
    await admin(`/admin/comments/${id}`, 'PATCH', { status: 'published' });
    const page = await session.context.newPage();
    await page.goto(new URL('/admin/', session.local.url).href);
    await page.getByLabel('Admin token').waitFor();
    expect(await violations(page)).toEqual([]);
    await page.getByLabel('Admin token').fill(session.local.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await filterTo(page, article);
    await expect(rows(page)).toHaveCount(1);
    await page.keyboard.press('x');
    expect(await violations(page)).toEqual([]);
    await page.getByRole('tab', { name: /^Published/ }).click();
    await expect(rows(page)).toHaveCount(1);
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });

  it('lists the keys with ?', async () => {
    const page = await signIn();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard' });
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('dt')).toHaveText([
      'j / k',
      'x',
      'a',
      's',
      'd',
      'f',
      'b',
      't',
      'u',
      '?',
    ]);
    await page.keyboard.press('?');
    await expect(dialog).not.toBeVisible();
    expect(await thread(page).count()).toBe(0);
  });
});
