/**
 * The whole reader's path of reply notifications in real Chromium against the local server and
 * its outbox: the widget's box (off by default) asks for them, the confirmation mail's link
 * confirms, another reader's reply brings a notification, and its unsubscribe page's button
 * stops them.
 */
import type { Page } from 'playwright-core';
import { newArticle, openThread, useBrowserSession, widget } from './browser';

jest.setTimeout(120_000);

/** The newest mail to `to` with a link containing `part`: the link, and its message's raw file. */
async function mailWith(
  page: Page,
  local: { url: string; adminToken: string },
  to: string,
  part: string,
): Promise<{ link: string; raw: string }> {
  for (let tries = 0; tries < 100; tries++) {
    // The outbox asks for the admin token (a cookie once given), as npm start prints its link.
    await page.goto(new URL(`/outbox/?token=${local.adminToken}`, local.url).href);
    const messages = await page
      .getByRole('row')
      .filter({ hasText: to })
      .getByRole('link', { name: /./ })
      .filter({ hasNotText: '.eml' })
      .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    for (const message of messages) {
      await page.goto(message);
      const links = await page
        .locator('article a')
        .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      const link = links.find((href) => href.includes(part));
      const raw = await page.getByRole('link', { name: 'Raw .eml' }).getAttribute('href');
      if (link && raw) return { link, raw: new URL(raw, message).href };
    }
    // The stream poller and the queue take a moment: mail is off the request path.
    await page.waitForTimeout(300);
  }
  throw new Error(`no mail to ${to} with a ${part} link`);
}

describe('reply notifications, as a reader gets them', () => {
  const session = useBrowserSession();

  it('asks by the box, confirms by mail, hears of a reply, and unsubscribes by its link', async () => {
    const article = newArticle('notify');
    const email = `reader-${process.pid}@example.org`;
    const page = await openThread(session.context, session.local.url, article);
    const ui = widget(page);
    const box = ui.root.getByRole('checkbox', { name: 'Notify me of replies by email' });
    expect(await box.isChecked()).toBe(false);
    // The note says a confirmation mail will come, and the box points to it.
    const note = ui.root.getByText('The first time, we email you a link to confirm your address.');
    expect(await note.count()).toBe(1);
    expect(await box.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));

    await ui.fill({ Name: 'Grace', Email: email, Comment: 'Tell me when someone answers.' });
    await box.check();
    const response = await ui.post();
    expect(response.status()).toBe(201);
    expect(response.request().postDataJSON()).toMatchObject({ notify: true });
    // The form starts over with the box off again.
    expect(await box.isChecked()).toBe(false);

    const mail = await session.context.newPage();
    const { link: confirm } = await mailWith(mail, session.local, email, '/subscriptions/confirm');
    await mail.goto(confirm);
    // Following the link confirms nothing (mail scanners follow links): the button does.
    expect(await mail.locator('h1').textContent()).toBe('Confirm reply notifications');
    await mail.getByRole('button', { name: 'Confirm' }).click();
    await mail.waitForLoadState();
    expect(await mail.locator('h1').textContent()).toBe('Address confirmed');
    // The link again says it is done, and offers nothing to press.
    await mail.goto(confirm);
    expect(await mail.locator('h1').textContent()).toBe('Already confirmed');
    await expect(mail.getByRole('button')).toHaveCount(0);

    // Another reader replies through the widget.
    const other = await openThread(session.context, session.local.url, article);
    const theirs = widget(other);
    await theirs.toggle.click();
    await theirs.commentBy('Grace').getByRole('button', { name: 'Reply to Grace' }).click();
    await theirs.fill({ Name: 'Ivan', Email: 'ivan@example.org', Comment: 'Here is an answer.' });
    expect((await theirs.post()).status()).toBe(201);

    const { link: unsubscribe, raw } = await mailWith(
      mail,
      session.local,
      email,
      '/subscriptions/unsubscribe',
    );
    // The page's own request context, which carries the outbox cookie.
    const text = await (await mail.request.get(raw)).text();
    expect(text).toContain('Ivan');
    expect(text).not.toContain('ivan@example.org');
    await mail.goto(unsubscribe);
    // Nothing has happened yet, and the page does not say it has.
    expect(await mail.locator('body').textContent()).not.toContain('will get no more emails');
    await mail.getByRole('button', { name: 'Unsubscribe' }).click();
    await mail.waitForLoadState();
    expect(await mail.locator('h1').textContent()).toBe('Unsubscribed');
    // The confirmation link, older than the unsubscribing, turns nothing back on: it says so.
    await mail.goto(confirm);
    expect(await mail.locator('h1').textContent()).toBe('This link no longer confirms');
    await expect(mail.getByRole('button')).toHaveCount(0);
  });

  it('shows the outbox as a page to read: who, what and when, each message with its links, the raw file a link away', async () => {
    const article = newArticle('outbox');
    const email = `outbox-${process.pid}@example.org`;
    const page = await openThread(session.context, session.local.url, article);
    const ui = widget(page);
    await ui.fill({ Name: 'Zoë', Email: email, Comment: 'Mail me, and show it well.' });
    await ui.root.getByRole('checkbox', { name: 'Notify me of replies by email' }).check();
    expect((await ui.post()).status()).toBe(201);

    const mail = await session.context.newPage();
    await mailWith(mail, session.local, email, '/subscriptions/confirm');
    await mail.goto(new URL('/outbox/', session.local.url).href);
    await expect(mail.getByRole('columnheader')).toHaveText(['Date', 'To', 'Subject', 'Raw']);
    const row = mail.getByRole('row').filter({ hasText: email });
    await expect(row.getByRole('cell')).toHaveText([
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
      email,
      /: confirm reply notifications$/,
      '.eml',
    ]);
    // A page styled to be read, not the browser's defaults.
    expect(await mail.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(
      /sans-serif/,
    );

    await row.getByRole('link', { name: /confirm reply notifications/ }).click();
    await expect(mail.locator('h1')).toHaveText(/: confirm reply notifications$/);
    await expect(mail.locator('dl dd')).toHaveText([/^"?Talkback/, email, /UTC$/]);
    // The text as a reader's mail program shows it: decoded, not quoted-printable.
    const body = mail.locator('article');
    await expect(body).toHaveText(/To confirm this address, open this link and press Confirm/);
    expect(await body.textContent()).not.toMatch(/=3D|=\r?\n/);
    // Its links are links: this one opens the confirmation page.
    await body.getByRole('link', { name: /\/subscriptions\/confirm\?token=/ }).click();
    await expect(mail.locator('h1')).toHaveText('Confirm reply notifications');
    await mail.goBack();
    const raw = await mail.getByRole('link', { name: 'Raw .eml' }).getAttribute('href');
    const file = await mail.request.get(new URL(raw ?? '', mail.url()).href);
    expect(file.headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(await file.text()).toMatch(/^MIME-Version: 1.0/m);
  });
});
