/**
 * Readers who sign in with the site's accounts, as the widget shows them (docs/readers.md): the
 * token from the `reader-token` attribute or setReaderToken() goes only in the write's body;
 * "Commenting as <name>" takes the place of the name and email fields; a verified author's
 * badge and mark; "Sign in to comment" where the thread wants a signed-in reader; a token the
 * API refuses (401) says to sign in again.
 */
import AxeBuilder from '@axe-core/playwright';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, widget } from './browser';

jest.setTimeout(120_000);

const ISSUER = 'https://news.example';
const SECRET = 'a-test-secret-of-at-least-32-characters';
const SIGN_IN = 'https://news.example/login';

/** A token as the site's server signs it; `expired` makes one the API refuses. */
function token(claims: Record<string, unknown>, expired = false): Promise<string> {
  const now = Math.floor(Date.now() / 1000) - (expired ? 7200 : 0);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience('talkback')
    .setSubject('reader-7')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

/** What a page does when its reader signs in (a token) or out (null). */
const setReaderToken = (page: Page, value: string | null) =>
  thread(page).evaluate(
    (element, token) =>
      (element as HTMLElement & { setReaderToken(token: string | null): void }).setReaderToken(
        token,
      ),
    value,
  );

const subscriber = () =>
  token({ name: 'Rosa Diaz', email: 'rosa@example.org', badges: ['subscriber'] });

describe('readers who sign in, in the widget', () => {
  const session = useBrowserSession({
    settings: {
      readers: {
        issuers: [{ issuer: ISSUER, audience: 'talkback', secret: SECRET }],
        badges: ['subscriber'],
        signInUrl: SIGN_IN,
      },
    },
  });

  /** Every thread answer in this test's browser as a deployment in `commenting` mode gives it. */
  const inMode = (commenting: string) =>
    session.context.route(/\/articles\/[^/?]+(\?|$)/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), commenting } });
    });

  it('comments as the signed-in reader: the token in the body only, with the badge shown', async () => {
    const article = newArticle('signed-in');
    const reader = await subscriber();
    const page = await openThread(session.context, session.local.url, article, {
      attributes: `reader-token="${reader}"`,
    });
    const ui = widget(page);
    await expect(ui.root.getByText('Commenting as Rosa Diaz')).toBeVisible();
    expect(await ui.field('Name').count()).toBe(0);
    expect(await ui.field('Email').count()).toBe(0);
    // The notify box stays: the token's email gets the mail.
    await expect(ui.root.getByRole('checkbox', { name: /Notify me/ })).toBeVisible();

    await ui.field('Comment').fill('Signed in, so no typing my name.');
    const response = await ui.post();
    expect(response.status()).toBe(201);
    const request = response.request();
    const sent = request.postDataJSON() as Record<string, unknown>;
    expect(sent.reader).toBe(reader);
    expect(sent).not.toHaveProperty('name');
    expect(sent).not.toHaveProperty('email');
    expect(request.url()).not.toContain(reader);
    expect(JSON.stringify(await request.allHeaders())).not.toContain(reader);

    const mine = ui.commentBy('Rosa Diaz', 'Signed in, so no typing my name.');
    await expect(mine.locator('.meta .mark', { hasText: 'Subscriber' })).toBeVisible();
    await expect(mine.getByRole('img', { name: 'Verified' })).toBeVisible();
  });

  it('shows a verified author’s badge to every reader, and none on a guest', async () => {
    const article = newArticle('badge');
    const created = await fetch(new URL(`/articles/${article}/comments`, session.local.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader: await subscriber(), body: 'From a subscriber.' }),
    });
    expect(created.status).toBe(201);
    await session.server.comment(article, { name: 'Guest', body: 'From a guest.' });
    const page = await openThread(session.context, session.local.url, article);
    const ui = widget(page);
    await ui.toggle.click();
    const verified = ui.commentBy('Rosa Diaz');
    await expect(verified.locator('.meta .mark', { hasText: 'Subscriber' })).toBeVisible();
    await expect(verified.getByRole('img', { name: 'Verified' })).toBeVisible();
    const guest = ui.commentBy('Guest');
    await expect(guest.locator('.meta')).toBeVisible();
    expect(await guest.locator('.meta .mark').count()).toBe(0);
    expect(await guest.getByRole('img', { name: 'Verified' }).count()).toBe(0);
  });

  it('takes a token given later with setReaderToken(), and drops it with null', async () => {
    const article = newArticle('later');
    const page = await openThread(session.context, session.local.url, article);
    const ui = widget(page);
    await expect(ui.field('Name')).toBeVisible();
    const reader = await subscriber();
    await setReaderToken(page, reader);
    await expect(ui.root.getByText('Commenting as Rosa Diaz')).toBeVisible();
    await expect(ui.field('Name')).not.toBeVisible();
    await ui.field('Comment').fill('Signed in after the page loaded.');
    const response = await ui.post();
    expect(response.status()).toBe(201);
    expect((response.request().postDataJSON() as { reader?: string }).reader).toBe(reader);

    await setReaderToken(page, null);
    await expect(ui.field('Name')).toBeVisible();
    expect(await ui.root.getByText(/Commenting as/).count()).toBe(0);
  });

  it('offers "Sign in to comment", back to the article’s comments, where the thread wants a signed-in reader', async () => {
    const article = newArticle('sign-in');
    await inMode('signed-in');
    const shown = await openThread(session.context, session.local.url, article);
    const ui = widget(shown);
    const link = ui.root.getByRole('link', { name: 'Sign in to comment' });
    await expect(link).toBeVisible();
    const href = new URL((await link.getAttribute('href')) as string);
    expect(`${href.origin}${href.pathname}`).toBe(SIGN_IN);
    expect(href.searchParams.get('returnTo')).toBe(
      `${new URL('/fixture.html', session.local.url).href}#comments`,
    );
    expect(await ui.field('Comment').count()).toBe(0);

    // Signed in, the form is back.
    await setReaderToken(shown, await subscriber());
    await expect(ui.root.getByText('Commenting as Rosa Diaz')).toBeVisible();
    await expect(link).not.toBeVisible();
  });

  it('says "Subscribers can comment: subscribe" to a reader without the badge', async () => {
    await inMode('badge:subscriber');
    const page = await openThread(session.context, session.local.url, newArticle('badge-mode'), {
      attributes: `reader-token="${await token({ name: 'Sam' })}"`,
    });
    const ui = widget(page);
    await expect(ui.root.getByText('Subscribers can comment:')).toBeVisible();
    const link = ui.root.getByRole('link', { name: 'subscribe' });
    expect(new URL((await link.getAttribute('href')) as string).pathname).toBe('/login');
    expect(await ui.field('Comment').count()).toBe(0);
  });

  it('says "Subscribers can comment: subscribe" to a guest too, in the widget’s own font', async () => {
    await inMode('badge:subscriber');
    const page = await openThread(session.context, session.local.url, newArticle('badge-guest'));
    const ui = widget(page);
    const words = ui.root.getByText('Subscribers can comment:');
    await expect(words).toBeVisible();
    await expect(ui.root.getByRole('link', { name: 'Sign in to comment' })).toHaveCount(0);
    // The widget's UI font (its --ui), not the page's text font.
    const [font, uiFont] = await words.evaluate((element) => {
      const style = getComputedStyle(element);
      return [style.fontFamily, style.getPropertyValue('--ui')];
    });
    expect(font.replace(/\s/g, '')).toBe(uiFont.replace(/\s/g, ''));
  });

  it('says to sign in again when the API refuses the token (401), writing nothing', async () => {
    const article = newArticle('expired');
    const page = await openThread(session.context, session.local.url, article, {
      attributes: `reader-token="${await token({ name: 'Rosa Diaz' }, true)}"`,
    });
    const ui = widget(page);
    await ui.field('Comment').fill('Too late.');
    const response = await ui.post();
    expect(response.status()).toBe(401);
    await expect(ui.formStatus).toHaveText(
      'Your sign-in has expired. Please sign in again to comment.',
    );
    expect((await session.server.comments(article)).commentCount).toBe(0);
  });

  it('has no axe-core violations in the signed-in form', async () => {
    const page = await openThread(session.context, session.local.url, newArticle('axe'), {
      attributes: `reader-token="${await subscriber()}"`,
    });
    await expect(widget(page).root.getByText('Commenting as Rosa Diaz')).toBeVisible();
    const results = await new AxeBuilder({ page } as unknown as ConstructorParameters<
      typeof AxeBuilder
    >[0])
      .include('talkback-thread')
      .analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});

describe('the demo page’s sign-in, as npm start sets it up', () => {
  // No readers settings: the local server trusts its own demo issuer.
  const session = useBrowserSession();

  it('signs in as a demo subscriber with one switch, and comments with the badge', async () => {
    const article = newArticle('demo');
    const page = await session.context.newPage();
    await page.goto(new URL(`/?article=${article}`, session.local.url).href);
    const ui = widget(page);
    await expect(ui.field('Name')).toBeVisible();
    await page.getByRole('checkbox', { name: 'Sign in as a demo subscriber' }).check();
    await expect(ui.root.getByText('Commenting as Demo Subscriber')).toBeVisible();
    await ui.field('Comment').fill('Tried the demo sign-in.');
    const response = await ui.post();
    expect(response.status()).toBe(201);
    const mine = ui.commentBy('Demo Subscriber', 'Tried the demo sign-in.');
    await expect(mine.locator('.meta .mark', { hasText: 'Subscriber' })).toBeVisible();
    const [stored] = (await session.server.comments(article)).comments;
    expect(stored?.author).toMatchObject({ name: 'Demo Subscriber', verified: true });

    await page.getByRole('checkbox', { name: 'Sign in as a demo subscriber' }).uncheck();
    await expect(ui.field('Name')).toBeVisible();
  });
});
