/**
 * The whole reader's path of reply notifications in real Chromium against the local server and
 * its outbox: the widget's box (off by default) asks for them, the confirmation mail's link
 * confirms, another reader's reply brings a notification, and its unsubscribe page's button
 * stops them.
 */
import type { Page } from 'playwright-core';
import { newArticle, openThread, useBrowserSession, widget } from './browser';

jest.setTimeout(120_000);

/** The outbox page's links of the newest mail to `to` whose links include `part`, once it is there. */
async function mailLink(
  page: Page,
  local: { url: string; adminToken: string },
  to: string,
  part: string,
): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    // The outbox asks for the admin token (a cookie once given), as npm start prints its link.
    await page.goto(new URL(`/outbox/?token=${local.adminToken}`, local.url).href);
    const links = await page
      .locator('body > ul > li')
      .filter({ hasText: `to ${to}` })
      .locator('ul a')
      .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    const link = links.find((href) => href.includes(part));
    if (link) return link;
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
    const confirm = await mailLink(mail, session.local, email, '/subscriptions/confirm');
    await mail.goto(confirm);
    // Following the link confirms nothing (mail scanners follow links): the button does.
    expect(await mail.locator('h1').textContent()).toBe('Confirm reply notifications');
    await mail.getByRole('button', { name: 'Confirm' }).click();
    await mail.waitForLoadState();
    expect(await mail.locator('h1').textContent()).toBe('Address confirmed');

    // Another reader replies through the widget.
    const other = await openThread(session.context, session.local.url, article);
    const theirs = widget(other);
    await theirs.toggle.click();
    await theirs.commentBy('Grace').getByRole('button', { name: 'Reply to Grace' }).click();
    await theirs.fill({ Name: 'Ivan', Email: 'ivan@example.org', Comment: 'Here is an answer.' });
    expect((await theirs.post()).status()).toBe(201);

    const unsubscribe = await mailLink(mail, session.local, email, '/subscriptions/unsubscribe');
    // The page's own request context, which carries the outbox cookie.
    const text = await (
      await mail.request.get(mailFileOf(await mail.content(), unsubscribe))
    ).text();
    expect(text).toContain('Ivan');
    expect(text).not.toContain('ivan@example.org');
    await mail.goto(unsubscribe);
    // Nothing has happened yet, and the page does not say it has.
    expect(await mail.locator('body').textContent()).not.toContain('will get no more emails');
    await mail.getByRole('button', { name: 'Unsubscribe' }).click();
    await mail.waitForLoadState();
    expect(await mail.locator('h1').textContent()).toBe('Unsubscribed');
  });
});

/** The .eml file, in the outbox listing, of the mail carrying `link`. */
function mailFileOf(listing: string, link: string): string {
  const items = listing.split('<li><a href="/outbox/').slice(1);
  const item = items.find((entry) => entry.includes(link.replace(/&/g, '&amp;')));
  const file = item?.slice(0, item.indexOf('"'));
  if (!file) throw new Error('the mail is not in the listing');
  return new URL(`/outbox/${file}`, link).href;
}
