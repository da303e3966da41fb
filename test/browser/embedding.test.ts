/**
 * Embedding on real news pages: a strict Content-Security-Policy, every way of loading the
 * script, single-page apps that switch article, and permalinks to comments.
 */
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  newArticle,
  openThread,
  serveSite,
  thread,
  useBrowserSession,
  widget,
} from './browser';

type ThreadElement = HTMLElement & { refresh(): void };

describe('embedding the widget', () => {
  const session = useBrowserSession({ context: { viewport: { width: 1000, height: 700 } } });
  const toggle = (page: Page, count: number) =>
    thread(page).getByRole('button', { name: `View Comments (${count})` });

  /**
   * A story page on the site's own origin that sends the strict policy of the issue, the script
   * from the API's origin; `violations()` lists what the page reported and Chromium logged.
   */
  async function underStrictPolicy(article: string, lang: string) {
    const api = new URL(session.local.url).origin;
    const policy = `default-src 'self'; script-src ${api}; style-src ${api}; connect-src ${api}`;
    const site = await serveSite({
      '/story.html': {
        headers: { 'content-security-policy': policy },
        body: `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>Story</title>
          <talkback-thread article="${article}"></talkback-thread>
          <script src="${api}/talkback.js"></script>`,
      },
    });
    const page = await session.context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener(
        'securitypolicyviolation',
        (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`),
        true,
      );
    });
    const cdp = await session.context.newCDPSession(page);
    const logged: string[] = [];
    cdp.on('Log.entryAdded', ({ entry }) => logged.push(entry.text));
    cdp.on('Runtime.consoleAPICalled', ({ args }) =>
      logged.push(args.map((arg) => String(arg.value)).join(' ')),
    );
    await cdp.send('Log.enable');
    await cdp.send('Runtime.enable');
    const response = await page.goto(`${site.url}/story.html`);
    expect(response?.headers()['content-security-policy']).toBe(policy);
    return {
      page,
      close: () => site.close(),
      violations: async () => [
        ...(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)),
        ...logged.filter((text) => /Content.Security.Policy|Refused|CORS/i.test(text)),
      ],
    };
  }

  /** The submit button's background: the accent that talkback.css gives it. */
  const accent = (page: Page) =>
    thread(page)
      .locator('.submit')
      .evaluate((button) => getComputedStyle(button).backgroundColor);

  it('works under a strict Content-Security-Policy with no violation reported', async () => {
    const article = newArticle('csp');
    await session.server.comment(article, { name: 'Ada', body: 'Under a strict policy.' });
    const { page, close, violations } = await underStrictPolicy(article, 'en');
    try {
      const form = widget(page);
      await toggle(page, 1).click();
      await expect(form.commentBy('Ada')).toBeVisible();
      // Styled: talkback.css, linked from the script's host, applied in the shadow root.
      expect(await accent(page)).toBe('rgb(179, 38, 30)');
      await form.fill({ Name: 'Grace', Email: 'grace@example.org', Comment: 'Posted under CSP.' });
      expect((await form.post()).status()).toBe(201);
      await expect(form.commentBy('Grace', 'Posted under CSP.')).toBeVisible();
      await thread(page)
        .getByRole('button', { name: /^Happy/ })
        .click();
      await expect(thread(page).getByRole('button', { name: /^Happy/ })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      expect(await violations()).toEqual([]);
    } finally {
      close();
    }
  });

  it("fetches its language file from the script's host, another origin than the page's, under the policy", async () => {
    const article = newArticle('csp-de');
    await session.server.comment(article, { name: 'Ada', body: 'Unter strenger Richtlinie.' });
    const { page, close, violations } = await underStrictPolicy(article, 'de');
    try {
      // The German file came (CORS from the script's host, allowed by connect-src).
      await expect(
        thread(page).getByRole('button', { name: 'Kommentare anzeigen (1)' }),
      ).toBeVisible();
      expect(await accent(page)).toBe('rgb(179, 38, 30)');
      expect(await violations()).toEqual([]);
    } finally {
      close();
    }
  });

  describe.each([
    ['a classic script', '<script src="SRC"></script>'],
    ['an async script', '<script async src="SRC"></script>'],
    ['a deferred script', '<script defer src="SRC"></script>'],
    ['a module', '<script type="module" src="SRC"></script>'],
    ['a script added after the page loaded', `<script src="/add.js"></script>`],
  ])('loaded as %s', (_mode, tag) => {
    it('finds the API it was loaded from and shows the thread', async () => {
      const article = newArticle('loading');
      await session.server.comment(article, { body: 'Loaded.' });
      const src = `${new URL(session.local.url).origin}/talkback.js`;
      const site = await serveSite({
        '/story.html': {
          body: `<!doctype html><talkback-thread article="${article}"></talkback-thread>${tag.replace('SRC', src)}`,
        },
        // The script a tag manager adds once the page has loaded.
        '/add.js': {
          body: `addEventListener('load', () => setTimeout(() => {
            const script = document.createElement('script');
            script.src = ${JSON.stringify(src)};
            document.body.append(script);
          }, 50));`,
        },
      });
      try {
        const page = await session.context.newPage();
        // The view's one request, the thread (GET /articles/{id}), goes to the script's origin.
        const threadFrom: string[] = [];
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname.startsWith('/articles/')) threadFrom.push(url.origin);
        });
        await page.goto(`${site.url}/story.html`);
        await expect(toggle(page, 1)).toBeVisible();
        expect(threadFrom).toEqual([new URL(session.local.url).origin]);
      } finally {
        site.close();
      }
    });
  });

  describe('chunks loaded on demand', () => {
    const WRITE_CHUNK = /\/chunks\/write-\w+\.js(\?|$)/;
    const TALL_ARTICLE = '<main style="height: 6000px">A long article.</main>';

    /** A story page on the local server: the thread after `before`, the script at the end. */
    async function story(before = '', context: BrowserContext = session.context) {
      const page = await context.newPage();
      await page.route(new URL('/story.html', session.local.url).href, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><html lang="en"><body>${before}
            <talkback-thread article="${article}"></talkback-thread>
            <script src="/talkback.js"></script></body></html>`,
        }),
      );
      return page;
    }
    let article = '';
    beforeEach(() => {
      article = newArticle('chunks');
    });

    it('draws the footer when no chunk can be had, and the form on Retry once they can', async () => {
      await session.server.comment(article, { name: 'Ada', body: 'Drawn without a chunk.' });
      const page = await story();
      // Offline for the chunks (a filter, a flaky network): the script itself came.
      let blocking = true;
      await page.route('**/chunks/**', (route) =>
        blocking ? route.abort('internetdisconnected') : route.continue(),
      );
      await page.goto(new URL('/story.html', session.local.url).href);
      await expect(thread(page).getByRole('button', { name: /^Happy/ })).toBeVisible();
      await toggle(page, 1).click();
      await expect(widget(page).commentBy('Ada', 'Drawn without a chunk.')).toBeVisible();
      const retry = thread(page).locator('section.reply').getByRole('button', { name: 'Retry' });
      await expect(thread(page).locator('section.reply')).toHaveText(
        'This part could not be loaded. Retry',
      );

      blocking = false;
      await retry.click();
      await expect(thread(page).getByRole('button', { name: 'Post Comment' })).toBeVisible();
      await expect(retry).toHaveCount(0);
    });

    it('loads the form on Retry after its chunk failed, in a browser that remembers the failure', async () => {
      // A browser that has not taken up whatwg/html#10327 (Firefox's and Safari's were open when
      // this was written) fails every later import() of a URL whose fetch failed, at once: this
      // Chromium with that change turned off. A retry must ask under a URL of its own.
      const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: [...CHROMIUM_ARGS, '--disable-features=ModuleMapDoNotCacheFailedFetch'],
      });
      try {
        const page = await story('', await browser.newContext());
        const asked: string[] = [];
        let blocking = true;
        await page.route(WRITE_CHUNK, (route) => {
          asked.push(new URL(route.request().url()).search);
          return blocking ? route.abort('internetdisconnected') : route.continue();
        });
        await page.goto(new URL('/story.html', session.local.url).href);
        const retry = thread(page).getByRole('button', { name: 'Retry' });
        await expect(thread(page).locator('section.reply')).toHaveText(
          'This part could not be loaded. Retry',
        );

        blocking = false;
        await retry.click();
        await expect(thread(page).getByRole('button', { name: 'Post Comment' })).toBeVisible();
        await expect(retry).toHaveCount(0);
        // Each try a URL the browser has not seen fail: the first without a query.
        expect(asked[0]).toBe('');
        expect(new Set(asked).size).toBe(asked.length);
      } finally {
        await browser.close();
      }
    });

    it('asks for the form as the footer comes near, beside the thread, not at page load', async () => {
      const page = await story(TALL_ARTICLE);
      const chunks: string[] = [];
      page.on('request', (request) => {
        if (WRITE_CHUNK.test(request.url())) chunks.push(request.url());
      });
      // The thread's answer is held until the form's chunk has been asked for.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route(`**/articles/${article}**`, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(new URL('/story.html', session.local.url).href);
      await page.waitForFunction(() => customElements.get('talkback-thread') !== undefined);
      await page.waitForTimeout(300);
      expect(chunks).toEqual([]);

      const threadAsked = page.waitForRequest((request) =>
        request.url().includes(`/articles/${article}`),
      );
      const formAsked = page.waitForRequest((request) => WRITE_CHUNK.test(request.url()), {
        timeout: 10_000,
      });
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await threadAsked;
      try {
        await formAsked;
      } finally {
        release();
      }
      await expect(thread(page).getByRole('button', { name: 'Post Comment' })).toBeVisible();
      expect(chunks).toHaveLength(1);
    });
  });

  it('shows the new article when `article` changes, dropping a late answer for the old one', async () => {
    const [first, slow, last] = ['spa-first', 'spa-slow', 'spa-last'].map(newArticle) as [
      string,
      string,
      string,
    ];
    await session.server.comment(first, { name: 'First', body: 'On the first article.' });
    await session.server.comment(slow, { name: 'Slow', body: 'One.' });
    await session.server.comment(slow, { name: 'Slow', body: 'Two.' });
    for (const body of ['A.', 'B.', 'C.']) {
      await session.server.comment(last, { name: 'Last', body });
    }
    const page = await openThread(session.context, session.local.url, first);
    await expect(toggle(page, 1)).toBeVisible();

    // The slow article’s thread takes a second; the reader moves on before they come.
    const failed = page.waitForEvent('requestfailed', (request) => request.url().includes(slow));
    await page.route(`**/articles/${slow}**`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await route.continue().catch(() => {});
    });
    const element = page.locator('talkback-thread');
    // The thread is asked for when the widget next looks (a task later): the reader moves on
    // once the slow article's request is out, so there is an answer to drop.
    const slowAsked = page.waitForRequest((request) => request.url().includes(slow));
    await element.evaluate((node, id) => node.setAttribute('article', id), slow);
    await slowAsked;
    await element.evaluate((node, id) => node.setAttribute('article', id), last);
    await expect(toggle(page, 3)).toBeVisible();
    expect((await failed).failure()?.errorText).toBe('net::ERR_ABORTED');
    await page.waitForTimeout(1200);
    await expect(thread(page).locator('.toggle')).toHaveText(['View Comments (3)']);
    await toggle(page, 3).click();
    await expect(thread(page).locator('li.comment .body')).toHaveText(['A.', 'B.', 'C.']);
  });

  it('starts again when removed and added back, and refresh() loads the thread again', async () => {
    const article = newArticle('spa-refresh');
    const other = newArticle('spa-other');
    await session.server.comment(article, { body: 'First.' });
    await session.server.comment(other, { body: 'Elsewhere.' });
    await session.server.comment(other, { body: 'Elsewhere too.' });
    const page = await openThread(session.context, session.local.url, article);
    await expect(toggle(page, 1)).toBeVisible();

    await page.evaluate((id) => {
      const element = document.querySelector('talkback-thread') as HTMLElement;
      element.remove();
      element.setAttribute('article', id);
      document.body.append(element);
    }, other);
    await expect(toggle(page, 2)).toBeVisible();
    await expect(thread(page).locator('.talkback')).toHaveCount(1);

    await session.server.comment(other, { body: 'Meanwhile.' });
    await page.evaluate(() =>
      (document.querySelector('talkback-thread') as ThreadElement).refresh(),
    );
    await expect(toggle(page, 3)).toBeVisible();
  });

  describe('permalinks', () => {
    /** Five comments and a reply to the first, loaded two at a time: the reply is on page 3. */
    const seed = async (name: string) => {
      const article = newArticle(name);
      const ids: string[] = [];
      for (const n of [1, 2, 3, 4, 5]) {
        ids.push(
          (await session.server.comment(article, { name: `R${n}`, body: `Comment ${n}.` })).id,
        );
      }
      const reply = await session.server.comment(article, {
        name: 'Replier',
        body: 'A late reply.',
        parentId: ids[0],
      });
      return { article, ids, reply: reply.id };
    };
    const focusedId = (page: Page) =>
      page.evaluate(
        () => document.querySelector('talkback-thread')?.shadowRoot?.activeElement?.id ?? null,
      );

    it('opens the thread at #comment-<id>, loading pages until the comment is in', async () => {
      const { article, ids, reply } = await seed('deep');
      const page = await session.context.newPage();
      await page.route(new URL('/story.html', session.local.url).href, (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><div style="height:3000px">The article.</div>
            <talkback-thread article="${article}" page-size="2"></talkback-thread>
            <script src="/talkback.js"></script>`,
        }),
      );
      await page.goto(new URL(`/story.html#comment-${reply}`, session.local.url).href);
      await expect(thread(page).locator(`#comment-${reply}.target`)).toHaveCount(1);
      const box = await thread(page).locator(`#comment-${reply}`).boundingBox();
      expect(box?.y).toBeGreaterThanOrEqual(0);
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(700);
      expect(await focusedId(page)).toBe(`comment-${reply}`);

      await page.evaluate((id) => {
        location.hash = `#comment-${id}`;
      }, ids[3]);
      await expect(thread(page).locator(`#comment-${ids[3]}.target`)).toHaveCount(1);
      await expect(thread(page).locator('.target')).toHaveCount(1);
      expect(await focusedId(page)).toBe(`comment-${ids[3]}`);
    });

    // The thread well below the fold, the comment on the first page: the script in each place
    // an article page may put it.
    it.each([
      ['in the head with defer', '<head><script defer src="/talkback.js"></script></head>', ''],
      ['at the end of the body', '', '<script src="/talkback.js"></script>'],
      ['as a module', '', '<script type="module" src="/talkback.js"></script>'],
    ])(
      'scrolls to and focuses a comment of the first page, the script %s',
      async (_where, head, end) => {
        const { article, ids } = await seed('first-page');
        const page = await session.context.newPage();
        await page.route(new URL('/story.html', session.local.url).href, (route) =>
          route.fulfill({
            contentType: 'text/html; charset=utf-8',
            body: `<!doctype html><html>${head}<body><div style="height:3000px">The article.</div>
            <talkback-thread article="${article}"></talkback-thread>${end}</body></html>`,
          }),
        );
        await page.goto(new URL(`/story.html#comment-${ids[1]}`, session.local.url).href);
        await expect(thread(page).locator(`#comment-${ids[1]}.target`)).toHaveCount(1);
        await expect(thread(page).locator(`#comment-${ids[1]}`)).toBeFocused();
        const box = await thread(page).locator(`#comment-${ids[1]}`).boundingBox();
        expect(box?.y).toBeGreaterThanOrEqual(0);
        expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(700);
      },
    );

    it('copies a comment’s permalink with Link, or shows it selected when it cannot', async () => {
      const { article, ids } = await seed('link');
      await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: session.local.url,
      });
      const page = await openThread(session.context, session.local.url, article);
      await toggle(page, 6).click();
      const permalink = new URL(`/fixture.html#comment-${ids[1]}`, session.local.url).href;
      await thread(page).locator(`#talkback-link-${ids[1]}`).click();
      await expect(thread(page).locator('.panel').getByRole('status')).toHaveText('Link copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(permalink);

      await page.evaluate(() => {
        navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));
      });
      await thread(page).locator(`#talkback-link-${ids[1]}`).click();
      const field = thread(page).getByRole('textbox', { name: 'Link' });
      await expect(field).toBeFocused();
      expect(await field.inputValue()).toBe(permalink);
      expect(
        await field.evaluate((input: HTMLInputElement) => [
          input.selectionStart,
          input.selectionEnd,
        ]),
      ).toEqual([0, permalink.length]);
    });
  });
});
