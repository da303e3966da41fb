/**
 * The widget's part in spam and flood defence, in real Chromium against the local server: the
 * honeypot field people never see, and the friendly "please wait" for a 429.
 */
import {
  newArticle,
  openThread,
  storedVisitorId,
  thread,
  useBrowserSession,
  useServer,
  widget,
} from './browser';

describe('spam and flood defence in the widget', () => {
  // The honeypot tests use the session's server, with the default settings.
  const session = useBrowserSession();

  describe('the honeypot', () => {
    it('is off-screen, out of the accessibility tree and out of the tab order', async () => {
      const page = await openThread(
        session.context,
        session.local.url,
        newArticle('honeypot-hidden'),
      );
      const ui = widget(page);
      const trap = thread(page).locator('input[name="homepage"]');
      await expect(trap).toHaveCount(1);
      await expect(trap).toHaveAttribute('tabindex', '-1');
      await expect(trap).toHaveAttribute('autocomplete', 'off');
      const label = thread(page).locator('label', { hasText: 'Leave this field empty' });
      await expect(label).toHaveAttribute('for', String(await trap.getAttribute('id')));
      await expect(
        thread(page)
          .locator('[aria-hidden="true"]')
          .filter({ has: page.locator('input[name="homepage"]') }),
      ).toHaveCount(1);
      // No role or name reaches assistive technology.
      await expect(
        thread(page).getByRole('textbox', { name: 'Leave this field empty' }),
      ).toHaveCount(0);

      // Nothing of it is on screen, whatever the viewport.
      const box = await trap.boundingBox();
      expect(box).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(0);
      const hit = await trap.evaluate((input) => {
        const { x, y, width, height } = input.getBoundingClientRect();
        return (input.getRootNode() as ShadowRoot).elementFromPoint(x + width / 2, y + height / 2);
      });
      expect(hit).toBeNull();

      // Tab goes from Website straight to Comment.
      await ui.field('Website').focus();
      await page.keyboard.press('Tab');
      await expect(ui.field('Comment')).toBeFocused();
    });

    it('sends it empty with a person’s comment, which is published', async () => {
      const article = newArticle('honeypot-empty');
      const ui = widget(await openThread(session.context, session.local.url, article));
      await ui.fill({ Name: 'Ada', Email: 'ada@example.org', Comment: 'A person wrote this.' });
      const response = await ui.post();
      expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({ homepage: '' });
      expect((await response.json()).status).toBe('published');
      expect((await session.server.comments(article)).commentCount).toBe(1);
    });

    it('gets a comment with it filled stored as spam, never listed, answered like a pending one', async () => {
      const article = newArticle('honeypot-filled');
      const page = await openThread(session.context, session.local.url, article);
      const ui = widget(page);
      await ui.fill({ Name: 'Bot', Email: 'bot@example.org', Comment: 'Buy cheap lamps.' });
      // What a form-filling robot does; a person cannot reach the field.
      await thread(page)
        .locator('input[name="homepage"]')
        .evaluate((input: HTMLInputElement) => {
          input.value = 'https://cheap-lamps.example';
        });
      const response = await ui.post();
      expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({
        homepage: 'https://cheap-lamps.example',
      });
      expect(response.status()).toBe(201);
      const created = (await response.json()) as { status: string; comment: { id: string } };
      expect(created.status).toBe('pending');
      await expect(ui.formStatus).toHaveText('Thank you, your comment is awaiting moderation.');

      const listed = await session.server.comments(article);
      expect(listed).toMatchObject({ commentCount: 0, comments: [] });
      const spam = await session.admin.comments('spam');
      expect(spam.comments.find((c) => c.id === created.comment.id)).toMatchObject({
        status: 'spam',
        body: 'Buy cheap lamps.',
      });
      const pending = await session.admin.comments('pending');
      expect(pending.comments.some((c) => c.id === created.comment.id)).toBe(false);
    });
  });

  /** A number as the English widget writes it (Intl: 1341 is "1,341"). */
  const inEnglish = (value: number) => new Intl.NumberFormat('en').format(value);

  describe('rate limits', () => {
    // One an hour as well as one a minute: windows start on the clock's minute, so two quick
    // posts either side of a minute's turn would both pass a limit of one a minute alone (this
    // failed once in CI). Each test here sends one comment or one vote before the refused one.
    const limited = useServer({
      rateLimits: {
        commentsPerMinute: 1,
        commentsPerHour: 1,
        reactionsPerMinute: 1,
        reactionsPerHour: 1,
      },
    });

    it('asks a commenter who is too fast to wait, for as long as Retry-After says', async () => {
      const article = newArticle('limited-comments');
      const ui = widget(await openThread(session.context, limited.local.url, article));
      await ui.fill({ Name: 'Ada', Email: 'ada@example.org', Comment: 'One.' });
      expect((await ui.post()).status()).toBe(201);
      await expect(ui.formStatus).toHaveText('Thank you, your comment is posted.');

      await ui.fill({ Name: 'Ada', Email: 'ada@example.org', Comment: 'Two, too soon.' });
      const response = await ui.post();
      expect(response.status()).toBe(429);
      const seconds = Number(await response.headerValue('retry-after'));
      expect(seconds).toBeGreaterThan(0);
      await expect(ui.formStatus).toHaveText(
        `You're commenting too fast. Please wait ${inEnglish(seconds)} second${seconds === 1 ? '' : 's'} and try again.`,
      );
      // Nothing is lost: the text is still there to send later.
      expect(await ui.field('Comment').inputValue()).toBe('Two, too soon.');
      await expect(ui.comments.locator('.body')).toHaveText(['One.']);
      expect((await limited.server.comments(article)).commentCount).toBe(1);
    });

    it('asks for "a moment" when the browser may not read Retry-After (cross-origin)', async () => {
      const article = newArticle('limited-no-header');
      const page = await openThread(session.context, limited.local.url, article);
      const ui = widget(page);
      // As a cross-origin page sees a 429 whose Retry-After is not exposed to it by CORS.
      await page.route(`**/articles/${article}/comments`, (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 429,
              contentType: 'application/problem+json',
              body: JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'Slow.' }),
            })
          : route.continue(),
      );
      await ui.fill({ Name: 'Ada', Email: 'ada@example.org', Comment: 'Hello.' });
      expect((await ui.post()).status()).toBe(429);
      await expect(ui.formStatus).toHaveText(
        "You're commenting too fast. Please wait a moment and try again.",
      );
    });

    it('asks a reader who reacts too fast to wait, and rolls the count back', async () => {
      const article = newArticle('limited-reactions');
      const page = await openThread(session.context, limited.local.url, article);
      const reaction = (label: string) =>
        thread(page).getByRole('button', { name: new RegExp(`^${label} \\d+$`) });
      const put = () =>
        page.waitForResponse(
          (r) => r.request().method() === 'PUT' && r.url().includes('/reactions'),
        );
      const status = thread(page).locator('section.reactions [role=status]');

      await Promise.all([put(), reaction('Happy').click()]);
      await expect(reaction('Happy')).toHaveAttribute('aria-pressed', 'true');
      const [refused] = await Promise.all([put(), reaction('Silly').click()]);
      expect(refused.status()).toBe(429);
      const seconds = Number(await refused.headerValue('retry-after'));
      await expect(status).toHaveText(
        `You're reacting too fast. Please wait ${inEnglish(seconds)} second${seconds === 1 ? '' : 's'} and try again.`,
      );
      await expect(reaction('Silly')).toHaveText('Silly 0');
      await expect(reaction('Silly')).toHaveAttribute('aria-pressed', 'false');
      await expect(reaction('Happy')).toHaveAttribute('aria-pressed', 'true');
      const visitor = String(await storedVisitorId(page));
      expect(await limited.server.reactions(article, visitor)).toMatchObject({
        mine: 'happy',
        total: 1,
      });
    });
  });
});
