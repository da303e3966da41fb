/**
 * The comment list and "Leave a Reply" in real Chromium against the local server: the toggle,
 * posting and replying, paging, order, client and server field errors, moderation, and the
 * opt-in "Save my name, email, and website".
 */
import type { Page, Request } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession, useServer } from './browser';

// A small name limit proves the form takes its limits from GET /config, not from its own copy.
const NAME_MAX = 12;

describe('comments and the reply form', () => {
  const session = useBrowserSession({ settings: { limits: { nameMaxChars: NAME_MAX } } });

  const field = (page: Page, label: string) =>
    thread(page).getByRole('textbox', { name: label, exact: true });
  const toggle = (page: Page) => thread(page).getByRole('button', { name: /Comments \(\d+\)$/ });
  const comments = (page: Page) => thread(page).locator('li.comment');
  const commentBy = (page: Page, name: string) =>
    comments(page).filter({ has: page.locator(`css=.meta .author >> text="${name}"`) });
  const fillForm = async (page: Page, fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await field(page, label).fill(value);
  };
  const submit = (page: Page) => thread(page).getByRole('button', { name: 'Post Comment' }).click();
  const posted = (page: Page) =>
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/comments'));

  it('toggles the list with "View Comments (N)"', async () => {
    const article = newArticle('toggle');
    await session.server.comment(article, { name: 'Ruth', body: 'I held the Saturday key.' });
    await session.server.comment(article, { name: 'Tom', body: 'Ninety-two steps!' });
    const page = await openThread(session.context, session.local.url, article);

    await expect(toggle(page)).toHaveText('View Comments (2)');
    await expect(toggle(page)).toHaveAttribute('aria-expanded', 'false');
    await expect(thread(page).getByText('Ninety-two steps!')).not.toBeVisible();

    await toggle(page).click();
    await expect(toggle(page)).toHaveAttribute('aria-expanded', 'true');
    await expect(comments(page).locator('.body')).toHaveText([
      'I held the Saturday key.',
      'Ninety-two steps!',
    ]);
    await toggle(page).click();
    await expect(thread(page).getByText('Ninety-two steps!')).not.toBeVisible();
  });

  it('posts a comment and a reply, and shows the reply under its parent', async () => {
    const article = newArticle('post');
    const page = await openThread(session.context, session.local.url, article);
    await expect(toggle(page)).toHaveText('View Comments (0)');

    await fillForm(page, {
      Name: 'Ruth Okafor',
      Email: 'ruth@example.org',
      Website: 'https://gullpoint.example',
      Comment: 'Somebody needs to keep the stories.',
    });
    await Promise.all([posted(page), submit(page)]);
    await expect(thread(page).getByRole('status').last()).toHaveText(
      'Thank you, your comment is posted.',
    );
    await expect(toggle(page)).toHaveText('Hide Comments (1)');
    const parent = commentBy(page, 'Ruth Okafor');
    await expect(parent.locator('.body')).toHaveText('Somebody needs to keep the stories.');

    await parent.getByRole('button', { name: 'Reply to Ruth Okafor' }).click();
    await expect(thread(page).locator('.replying')).toHaveText('Replying to Ruth Okafor · Cancel');
    await expect(field(page, 'Comment')).toBeFocused();
    await fillForm(page, {
      Name: 'Tom',
      Email: 'tom@example.org',
      Comment: 'And the moon drawings.',
    });
    await Promise.all([posted(page), submit(page)]);

    const reply = parent.locator('ol.replies > li.comment');
    await expect(reply.locator('.body')).toHaveText('And the moon drawings.');
    await expect(thread(page).locator('.replying')).not.toBeVisible();
    await expect(toggle(page)).toHaveText('Hide Comments (2)');

    const stored = await session.server.comments(article);
    const [first, second] = stored.comments;
    expect(second).toMatchObject({ parentId: first?.id, body: 'And the moon drawings.' });

    // A fresh reader sees the same thread from the server.
    await page.reload();
    await toggle(page).click();
    await expect(
      commentBy(page, 'Ruth Okafor').locator('ol.replies > li.comment .body'),
    ).toHaveText('And the moon drawings.');
  });

  it('drops the reply target on Cancel', async () => {
    const article = newArticle('cancel');
    await session.server.comment(article, { name: 'Ruth', body: 'First.' });
    const page = await openThread(session.context, session.local.url, article);
    await toggle(page).click();
    await thread(page).getByRole('button', { name: 'Reply to Ruth' }).click();
    await thread(page).locator('.replying').getByRole('button', { name: 'Cancel' }).click();
    await expect(thread(page).getByRole('button', { name: 'Reply to Ruth' })).toBeFocused();

    await fillForm(page, { Name: 'Tom', Email: 'tom@example.org', Comment: 'Top level.' });
    const [response] = await Promise.all([posted(page), submit(page)]);
    expect(JSON.parse(response.request().postData() ?? '{}')).not.toHaveProperty('parentId');
    await expect(thread(page).locator('ol.thread > li.comment .body')).toHaveText([
      'First.',
      'Top level.',
    ]);
  });

  it('checks fields in the browser, with the limits from /config, before sending', async () => {
    const article = newArticle('client-checks');
    const page = await openThread(session.context, session.local.url, article);
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request);
    });
    await fillForm(page, {
      Name: 'N'.repeat(NAME_MAX + 1),
      Website: 'javascript:alert(1)',
      Comment: '   ',
    });
    await submit(page);

    const expectError = async (label: string, message: string) => {
      const input = field(page, label);
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      const describedBy = String(await input.getAttribute('aria-describedby'));
      await expect(thread(page).locator(`#${describedBy}`)).toHaveText(message);
    };
    await expectError('Name', `Name must be at most ${NAME_MAX} characters`);
    await expectError('Email', 'Email is required');
    await expectError('Website', 'Website must be an address starting with http:// or https://');
    await expectError('Comment', 'Comment is required');
    await expect(field(page, 'Name')).toBeFocused();
    expect(posts).toHaveLength(0);

    // Fixing the fields clears the errors and sends.
    await fillForm(page, {
      Name: 'N'.repeat(NAME_MAX),
      Email: 'n@example.org',
      Website: '',
      Comment: 'Fine now.',
    });
    await Promise.all([posted(page), submit(page)]);
    await expect(field(page, 'Name')).not.toHaveAttribute('aria-invalid', 'true');
    expect(posts).toHaveLength(1);
  });

  it('shows the server’s field errors next to the field they name', async () => {
    const article = newArticle('server-errors');
    const page = await openThread(session.context, session.local.url, article);
    // The browser's check accepts a one-letter top-level domain; the server does not.
    await fillForm(page, { Name: 'Ada', Email: 'ada@example.c', Comment: 'Hello.' });
    const [response] = await Promise.all([posted(page), submit(page)]);
    expect(response.status()).toBe(400);
    const problem = await response.json();
    expect(problem.errors).toEqual([{ field: 'email', message: expect.any(String) }]);

    const email = field(page, 'Email');
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    const errorId = String(await email.getAttribute('aria-describedby'));
    await expect(thread(page).locator(`#${errorId}`)).toHaveText(
      `Email ${problem.errors[0].message}`,
    );
    await expect(thread(page).locator('.field-email .error')).toHaveText(
      `Email ${problem.errors[0].message}`,
    );
    await expect(field(page, 'Name')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(field(page, 'Comment')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(email).toBeFocused();
    expect((await session.server.comments(article)).commentCount).toBe(0);
  });

  describe('when the deployment holds every comment for moderation', () => {
    const held = useServer({ moderation: { policy: 'all' } });

    it('shows the pending comment to its author as awaiting moderation, uncounted', async () => {
      const article = newArticle('pending');
      const page = await openThread(session.context, held.local.url, article);
      await fillForm(page, { Name: 'Ada', Email: 'ada@example.org', Comment: 'Held back.' });
      const [response] = await Promise.all([posted(page), submit(page)]);
      expect((await response.json()).status).toBe('pending');

      await expect(thread(page).getByRole('status').last()).toHaveText(
        'Thank you, your comment is awaiting moderation.',
      );
      const mine = commentBy(page, 'Ada');
      await expect(mine.locator('.awaiting')).toHaveText('Your comment is awaiting moderation.');
      await expect(mine.locator('.body')).toHaveText('Held back.');
      await expect(mine.getByRole('button', { name: /^Reply/ })).toHaveCount(0);
      await expect(toggle(page)).toHaveText('Hide Comments (0)');

      // Other readers do not see it (its author still does after a reload: own-comments.test).
      const other = await session.browser.newContext();
      try {
        const theirs = await openThread(other, held.local.url, article);
        await toggle(theirs).click();
        await expect(
          thread(theirs).getByText('No comments yet. Start the conversation below.'),
        ).toBeVisible();
        await expect(comments(theirs)).toHaveCount(0);
      } finally {
        await other.close();
      }
    });
  });

  it('loads more through nextCursor until there are no more', async () => {
    const article = newArticle('more');
    for (const n of [1, 2, 3, 4, 5])
      await session.server.comment(article, { body: `Comment ${n}` });
    const page = await openThread(session.context, session.local.url, article, {
      attributes: 'page-size="2"',
    });
    const cursors: (string | null)[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/comments'))
        cursors.push(new URL(request.url()).searchParams.get('cursor'));
    });
    await toggle(page).click();
    const bodies = comments(page).locator('.body');
    const more = thread(page).getByRole('button', { name: 'Load more comments' });
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2']);

    await more.click();
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3', 'Comment 4']);
    await more.click();
    await expect(bodies).toHaveText([
      'Comment 1',
      'Comment 2',
      'Comment 3',
      'Comment 4',
      'Comment 5',
    ]);
    await expect(more).not.toBeVisible();
    // The first page may be asked for before or after the listener is on (the widget loads it
    // around the page's load event): what counts is that each "load more" sent a cursor.
    const withCursor = cursors.filter((cursor) => cursor !== null);
    expect(withCursor).toHaveLength(2);
    expect(withCursor.every((cursor) => cursor.length > 0)).toBe(true);
    expect(cursors.length - withCursor.length).toBeLessThanOrEqual(1);
    await expect(toggle(page)).toHaveText('Hide Comments (5)');
  });

  it('switches between oldest and newest first', async () => {
    const article = newArticle('order');
    for (const n of [1, 2, 3]) await session.server.comment(article, { body: `Comment ${n}` });
    const page = await openThread(session.context, session.local.url, article);
    await toggle(page).click();
    const bodies = comments(page).locator('.body');
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3']);
    await thread(page).getByLabel('Sort by').selectOption('newest');
    await expect(bodies).toHaveText(['Comment 3', 'Comment 2', 'Comment 1']);
    await thread(page).getByLabel('Sort by').selectOption('oldest');
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3']);
  });

  // What made accessibility.test.ts's keyboard walk fail once on a busy machine: ArrowDown then
  // ArrowUp on the order sends two requests, and the first may be answered last.
  it('shows the order last chosen when an earlier choice is answered later', async () => {
    const article = newArticle('order-race');
    for (const n of [1, 2, 3]) await session.server.comment(article, { body: `Comment ${n}` });
    const page = await openThread(session.context, session.local.url, article);
    await toggle(page).click();
    const bodies = comments(page).locator('.body');
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3']);
    // The list's paging arrives in a chunk with the first change of order; once it is in, a
    // change sends its request at once (else both choices could wait for it and ask alike).
    await thread(page).getByLabel('Sort by').selectOption('newest');
    await expect(bodies).toHaveText(['Comment 3', 'Comment 2', 'Comment 1']);
    await thread(page).getByLabel('Sort by').selectOption('oldest');
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3']);
    let releaseNewest = () => {};
    const newestHeld = new Promise<void>((resolve) => {
      releaseNewest = resolve;
    });
    await page.route('**/comments?order=newest*', async (route) => {
      await newestHeld;
      await route.continue();
    });
    const oldestAnswered = page.waitForResponse((r) => r.url().includes('order=oldest'));
    const newestAnswered = page.waitForResponse((r) => r.url().includes('order=newest'));
    await thread(page).getByLabel('Sort by').selectOption('newest');
    await thread(page).getByLabel('Sort by').selectOption('oldest');
    await oldestAnswered;
    releaseNewest();
    await (await newestAnswered).finished();
    // The late answer is read and drawn in the page's next tasks: two frames take them in.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    await expect(bodies).toHaveText(['Comment 1', 'Comment 2', 'Comment 3']);
    expect(await thread(page).getByLabel('Sort by').inputValue()).toBe('oldest');
  });

  it('says while typing how much of a comment over the request size to cut, and then sends it', async () => {
    const page = await openThread(session.context, session.local.url, newArticle('emoji'));
    await fillForm(page, { Name: 'Emoji', Email: 'emoji@example.org' });
    // 4,200 characters, under the 5,000 limit; 16,800 bytes in UTF-8, over the 16 KiB request.
    await field(page, 'Comment').fill('😀'.repeat(4200));
    const hint = thread(page).locator('.field-body .error');
    await expect(hint).toHaveText(/^Comment is too long to send: remove \d+ characters$/);
    const cut = Number((await hint.textContent())?.match(/\d+/)?.[0]);
    expect(cut).toBeGreaterThan(0);
    await field(page, 'Comment').fill('😀'.repeat(4200 - cut));
    await expect(hint).toHaveAttribute('hidden', '');
    const [response] = await Promise.all([posted(page), submit(page)]);
    expect(response.status()).toBe(201);
  });

  it('lays out right-to-left text right to left as it is typed, in the form and the editor', async () => {
    const page = await openThread(session.context, session.local.url, newArticle('rtl-typing'));
    const arabic = 'قرأت سجل logbook المنارة.';
    await fillForm(page, { Name: 'سارة', Email: 'sara@example.org', Comment: arabic });
    const direction = (label: string) =>
      field(page, label).evaluate((input) => getComputedStyle(input).direction);
    // Each field takes its direction from its own text (dir=auto), not from the page's.
    expect([await direction('Name'), await direction('Comment')]).toEqual(['rtl', 'rtl']);
    await Promise.all([posted(page), submit(page)]);
    await thread(page).getByRole('button', { name: 'Edit' }).click();
    const editor = thread(page).getByLabel('Edit your comment');
    await expect(editor).toBeVisible();
    expect(await editor.inputValue()).toBe(arabic);
    expect(await editor.evaluate((input) => getComputedStyle(input).direction)).toBe('rtl');
  });

  it('remembers name, email and website only when asked to', async () => {
    const article = newArticle('save');
    const page = await openThread(session.context, session.local.url, article);
    const save = thread(page).getByRole('checkbox', {
      name: 'Save my name, email, and website in this browser for the next time I comment.',
    });
    await fillForm(page, { Name: 'Ada', Email: 'ada@example.org', Comment: 'Not saved.' });
    await Promise.all([posted(page), submit(page)]);
    await page.reload();
    expect(await field(page, 'Name').inputValue()).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('talkback.author'))).toBeNull();

    await fillForm(page, {
      Name: 'Ada',
      Email: 'ada@example.org',
      Website: 'https://ada.example',
      Comment: 'Saved.',
    });
    await save.check();
    await Promise.all([posted(page), submit(page)]);
    // The comment field empties; the saved details stay for the next comment.
    await expect(thread(page).getByRole('status').last()).toHaveText(
      'Thank you, your comment is posted.',
    );
    expect(await field(page, 'Comment').inputValue()).toBe('');
    expect(await field(page, 'Email').inputValue()).toBe('ada@example.org');

    await page.reload();
    await expect(save).toBeChecked();
    expect(await field(page, 'Name').inputValue()).toBe('Ada');
    expect(await field(page, 'Email').inputValue()).toBe('ada@example.org');
    expect(await field(page, 'Website').inputValue()).toBe('https://ada.example');

    // Unticking and posting forgets them.
    await save.uncheck();
    await field(page, 'Comment').fill('Forget me.');
    await Promise.all([posted(page), submit(page)]);
    // The form forgets the details once it has read the answer, as it says it has posted: a
    // reload as the response arrives could come first.
    await expect(thread(page).getByRole('status').last()).toHaveText(
      'Thank you, your comment is posted.',
    );
    await page.reload();
    await expect(save).not.toBeChecked();
    expect(await field(page, 'Email').inputValue()).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('talkback.author'))).toBeNull();
  });
});
