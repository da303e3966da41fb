/**
 * How the thread reads: its language (run-time locale files, plurals, dates, right to left, a
 * site's overrides, English when a file is missing), its theme (attribute, the site's switch,
 * the system's), and comment text (paragraphs, line breaks, links as DOM nodes only).
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { newArticle, OUTPUT_DIR, openThread, thread, useBrowserSession, widget } from './browser';

describe('widget presentation', () => {
  const session = useBrowserSession();

  const localeRequests = (page: Page) => {
    const seen: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/locales/')) seen.push(new URL(request.url()).pathname);
    });
    return seen;
  };

  describe('languages', () => {
    it('speaks the element’s language with its plural forms, fetching only that file', async () => {
      const article = newArticle('pl');
      for (const body of ['Jeden.', 'Dwa.', 'Trzy.']) {
        await session.server.comment(article, { body });
      }
      const page = await openThread(session.context, session.local.url, article, {
        attributes: 'lang="pl"',
      });
      const root = thread(page);
      // 3 is Polish "few": komentarze; the toggle and form speak Polish.
      await expect(root.getByRole('button', { name: 'Pokaż 3 komentarze' })).toBeVisible();
      await expect(root.getByRole('heading', { name: 'Dodaj komentarz' })).toBeVisible();
      await root.getByRole('button', { name: 'Pokaż 3 komentarze' }).click();
      // Within the last minute: Intl.RelativeTimeFormat in Polish.
      await expect(root.locator('li.comment time').first()).toHaveText('teraz');
      await expect(root.locator('.talkback')).toHaveAttribute('lang', 'pl');
      await expect(root.locator('.talkback')).toHaveAttribute('dir', 'ltr');
    });

    it('counts with "many" for 5 and asks for pl.json once, and nothing for English', async () => {
      const article = newArticle('pl-many');
      for (let n = 0; n < 5; n++) await session.server.comment(article, { body: `#${n}` });
      const page = await session.context.newPage();
      const requests = localeRequests(page);
      await page.route(new URL('/fixture.html', session.local.url).href, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><html lang="pl-PL"><meta charset="utf-8"><title>x</title>
            <talkback-thread article="${article}"></talkback-thread>
            <talkback-thread article="${article}" lang="en"></talkback-thread>
            <script src="/talkback.js"></script></html>`,
        }),
      );
      await page.goto(new URL('/fixture.html', session.local.url).href);
      await expect(
        thread(page).first().getByRole('button', { name: 'Pokaż 5 komentarzy' }),
      ).toBeVisible();
      await expect(
        thread(page).last().getByRole('button', { name: 'View Comments (5)' }),
      ).toBeVisible();
      expect(requests).toEqual(['/locales/pl.json']);
    });

    it('lays Arabic out right to left, from <html lang>', async () => {
      const article = newArticle('ar');
      await session.server.comment(article, { name: 'Layla', body: 'مرحبا' });
      await session.server.comment(article, { name: 'Omar', body: 'أهلا' });
      const page = await openThread(session.context, session.local.url, article, {
        htmlAttributes: 'lang="ar"',
      });
      const root = thread(page);
      await expect(root.getByRole('button', { name: 'عرض تعليقين' })).toBeVisible();
      await expect(root.locator('.talkback')).toHaveAttribute('dir', 'rtl');
      await expect(root.getByRole('heading', { name: 'اترك تعليقاً' })).toBeVisible();
      // Right to left: the heading's text starts at the right edge of the thread.
      const box = await root.locator('.talkback').boundingBox();
      const heading = await root.getByRole('heading', { name: 'اترك تعليقاً' }).evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const rect = range.getBoundingClientRect();
        return { left: rect.left, right: rect.right };
      });
      expect(Math.abs((box?.x ?? 0) + (box?.width ?? 0) - heading.right)).toBeLessThan(2);
      expect(heading.left - (box?.x ?? 0)).toBeGreaterThan(100);
    });

    it('takes a site’s overrides from a JSON block, and is English when a file is missing', async () => {
      const article = newArticle('override');
      const page = await openThread(session.context, session.local.url, article, {
        attributes: 'lang="sv"',
        before: `<script type="application/json" data-talkback-strings>
          {"formHeading": "Have your say", "post": "Send", "viewComments": {"one": "1 reply", "other": "{count} replies"}}
        </script>`,
      });
      const root = thread(page);
      await expect(root.getByRole('heading', { name: 'Have your say' })).toBeVisible();
      await expect(root.getByRole('button', { name: 'Send' })).toBeVisible();
      await expect(root.getByRole('button', { name: '0 replies' })).toBeVisible();
      // No Swedish file: English for everything not overridden.
      await expect(
        root.getByText('Your email address will not be published.', { exact: false }),
      ).toBeVisible();
      await expect(root.locator('.talkback')).toHaveAttribute('lang', 'en');
    });

    it('falls back to English when the language file cannot be loaded', async () => {
      const article = newArticle('fallback');
      const page = await session.context.newPage();
      await page.route('**/locales/**', (route) => route.abort());
      await page.route(new URL('/fixture.html', session.local.url).href, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><html lang="de"><meta charset="utf-8"><title>x</title>
            <talkback-thread article="${article}"></talkback-thread><script src="/talkback.js"></script></html>`,
        }),
      );
      await page.goto(new URL('/fixture.html', session.local.url).href);
      await expect(thread(page).getByRole('heading', { name: 'Leave a Reply' })).toBeVisible();
    });

    it('serves every language file as JSON with the same keys as English', async () => {
      const english = await fetch(new URL('/locales/de.json', session.local.url));
      expect(english.status).toBe(200);
      expect(english.headers.get('content-type')).toBe('application/json; charset=utf-8');
      // English is split like the widget: the first view's table and the on-demand parts'.
      const { en: firstView } = await import('../../web/widget/strings');
      const { formEn } = await import('../../web/widget/form-strings');
      const { reportEn } = await import('../../web/widget/report-strings');
      const en = { ...firstView, ...formEn, ...reportEn };
      for (const lang of 'ar de es fr hi it ja nl pl pt ru tr zh'.split(' ')) {
        const table = (await (
          await fetch(new URL(`/locales/${lang}.json`, session.local.url))
        ).json()) as Record<string, unknown>;
        expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
        // Each language says the readers' signals in its own words, every one of them filled.
        for (const key of ['editorsPicks', 'like', 'report', 'reportSent', 'goodFaith']) {
          expect([lang, key, typeof table[key], table[key] === en[key as keyof typeof en]]).toEqual(
            [lang, key, 'string', false],
          );
        }
      }
    });
  });

  describe('theme', () => {
    /** Waits until the form's note (muted text) has this colour. */
    const noteColor = (page: Page, color: string) =>
      page.waitForFunction(
        (expected) => {
          const note = document
            .querySelector('talkback-thread')
            ?.shadowRoot?.querySelector('.note');
          return note && getComputedStyle(note).color === expected;
        },
        color,
        { timeout: 5000 },
      );
    const LIGHT_MUTED = 'rgb(92, 92, 99)';
    const DARK_MUTED = 'rgb(168, 168, 176)';

    it('is dark or light as the attribute says, else follows the system', async () => {
      const article = newArticle('theme');
      const page = await openThread(session.context, session.local.url, article, {
        attributes: 'theme="dark"',
      });
      await noteColor(page, DARK_MUTED);
      await page.screenshot({ path: join(OUTPUT_DIR, 'widget-dark.png'), fullPage: true });
      await thread(page).evaluate((el) => el.setAttribute('theme', 'light'));
      await noteColor(page, LIGHT_MUTED);
      await thread(page).evaluate((el) => el.removeAttribute('theme'));
      await page.emulateMedia({ colorScheme: 'dark' });
      await noteColor(page, DARK_MUTED);
      await page.emulateMedia({ colorScheme: 'light' });
      await noteColor(page, LIGHT_MUTED);
    });

    it('follows the site’s own switch on <html>, live', async () => {
      const article = newArticle('theme-source');
      const page = await openThread(session.context, session.local.url, article, {
        attributes: 'theme-source="[data-theme=dark]"',
        htmlAttributes: 'lang="en" data-theme="dark"',
      });
      await page.emulateMedia({ colorScheme: 'light' });
      await noteColor(page, DARK_MUTED);
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
      await noteColor(page, LIGHT_MUTED);
      await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
      await noteColor(page, DARK_MUTED);
    });
  });

  describe('comment text', () => {
    it('shows paragraphs, line breaks and bare http(s) addresses as links, nothing else', async () => {
      const article = newArticle('text');
      const body =
        'First line\nsecond line.\n\nSee https://example.org/a_(b)?q=1, or (http://example.net/x).\n \nThe end <b>not bold</b> javascript:alert(1)';
      await session.server.comment(article, { name: 'Writer', body });
      const page = await openThread(session.context, session.local.url, article);
      const { root, toggle } = widget(page);
      await toggle.click();
      const text = root.locator('li.comment .body');
      await expect(text.locator('p')).toHaveCount(3);
      await expect(text.locator('p').first().locator('br')).toHaveCount(1);
      const links = text.locator('a');
      await expect(links).toHaveText(['https://example.org/a_(b)?q=1', 'http://example.net/x']);
      await expect(links.first()).toHaveAttribute('href', 'https://example.org/a_(b)?q=1');
      await expect(links.first()).toHaveAttribute('rel', 'nofollow ugc noopener noreferrer');
      expect(await links.first().getAttribute('target')).toBeNull();
      await expect(text.locator('b')).toHaveCount(0);
      await expect(text.locator('p').last()).toHaveText(
        'The end <b>not bold</b> javascript:alert(1)',
      );
      const kinds = await text.evaluate((el) =>
        [...el.querySelectorAll('*')]
          .map((node) => node.localName)
          .filter((name) => !['p', 'br', 'a'].includes(name)),
      );
      expect(kinds).toEqual([]);
    });

    it('builds only text, <a>, <p> and <br> whose text is the comment’s (fast-check, in Chromium)', async () => {
      const { outputFiles } = await build({
        stdin: {
          contents: `
            import fc from 'fast-check';
            import { linkify, richText } from './web/widget/rich-text';
            const allowed = (node) =>
              node.nodeType === Node.TEXT_NODE ||
              (['A', 'P', 'BR'].includes(node.nodeName) && [...node.childNodes].every(allowed));
            const textOf = (node) =>
              node.nodeName === 'BR' ? '\\n' : node.nodeType === Node.TEXT_NODE ? node.data : [...node.childNodes].map(textOf).join('');
            const piece = fc.oneof(
              fc.string({ unit: 'binary' }),
              fc.constantFrom('http://', 'https://', 'http://a.example/x', 'https://b.example/p_(q)', 'HTTPS://C.example',
                '.', ',', ';', ':', '!', '?', '(', ')', ' ', '\\n', '\\n\\n', '\\r\\n', ' \\n \\n', '<a href=x>', '&amp;'),
            );
            const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
            window.check = () => {
              fc.assert(fc.property(text.filter((s) => !s.includes('\\n') && !s.includes('\\r')), (line) => {
                const host = document.createElement('div');
                host.append(...linkify(line));
                if (host.textContent !== line) throw new Error('text changed');
                for (const node of host.childNodes) if (!allowed(node)) throw new Error(node.nodeName);
                for (const a of host.querySelectorAll('a')) {
                  if (a.getAttribute('href') !== new URL(a.textContent).href) throw new Error('href');
                  if (/[.,;:!?]$/.test(a.textContent)) throw new Error('trailing punctuation');
                }
              }), { numRuns: 400 });
              fc.assert(fc.property(text, (body) => {
                const paragraphs = richText(body);
                for (const p of paragraphs) if (!allowed(p)) throw new Error('node');
                const shown = paragraphs.map(textOf).join('');
                if (shown.replace(/\\s/g, '') !== body.replace(/\\s/g, '')) throw new Error('text lost or added');
              }), { numRuns: 400 });
              return 'ok';
            };`,
          resolveDir: join(__dirname, '..', '..'),
          loader: 'js',
        },
        bundle: true,
        write: false,
        format: 'iife',
      });
      const page = await session.context.newPage();
      await page.goto(new URL('/locales/de.json', session.local.url).href);
      await page.addScriptTag({ content: outputFiles[0]?.text ?? '' });
      expect(await page.evaluate(() => (window as unknown as { check(): string }).check())).toBe(
        'ok',
      );
    });
  });
});
