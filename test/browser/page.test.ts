/**
 * The demo article page and embedding: the comment-count snippet, where the widget finds its
 * API, the look (screenshots in test-output/ for a person to check), narrow screens, the dark
 * scheme and theming.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { pollUntil } from '../support/poll';
import {
  newArticle,
  OUTPUT_DIR,
  openThread,
  thread,
  useBrowserSession,
  WIDGET_FILE,
} from './browser';

const CHUNKS = join(dirname(WIDGET_FILE), 'chunks');

const DEMO_ARTICLE = 'lighthouse-keepers-who-never-left';

describe('the demo page and embedding', () => {
  const session = useBrowserSession({ context: { viewport: { width: 1280, height: 900 } } });

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    // A lived-in thread for the demo article: comments, a reply, reactions.
    const ruth = await session.server.comment(DEMO_ARTICLE, {
      name: 'Ruth Okafor',
      website: 'https://gullpoint.example',
      body: 'Eleven winters on the Saturday key and I still learn something from the logbooks every week.\n\nPlease come up and see them before the vote.',
    });
    await session.server.comment(DEMO_ARTICLE, {
      name: 'Tom Averill',
      body: 'My grandfather was the 1961 keeper who wrote down the trawler’s tune. It was “The Water Is Wide”.',
      parentId: ruth.id,
    });
    await session.server.comment('gannets-return-early', { body: 'Counted forty on Sunday.' });
    for (const [n, reaction] of ['in-love', 'in-love', 'in-love', 'happy', 'excited'].entries()) {
      await session.server.react(
        DEMO_ARTICLE,
        `demo-reader-${String(n).padStart(8, '0')}`,
        reaction,
      );
    }
  });

  const countRequests = (page: Page) => {
    const requests: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/counts') requests.push(request);
    });
    return requests;
  };
  const idsOf = (request: Request) =>
    (new URL(request.url()).searchParams.get('articles') ?? '').split(',');
  const background = (page: Page, selector: string) =>
    thread(page)
      .locator(selector)
      .first()
      .evaluate((element) => getComputedStyle(element).backgroundColor);

  it('fills every comment-count snippet on the demo page from one GET /counts', async () => {
    const page = await session.context.newPage();
    const requests = countRequests(page);
    await page.goto(session.local.url);
    await expect(page.locator(`[data-talkback-count="${DEMO_ARTICLE}"]`)).toHaveText('2');
    await expect(page.locator('[data-talkback-count="gannets-return-early"]')).toHaveText('1');
    await expect(page.locator('[data-talkback-count="harbour-board-cottage-vote"]')).toHaveText(
      '0',
    );
    await expect(thread(page).getByRole('button', { name: 'View Comments (2)' })).toBeVisible();
    expect(requests).toHaveLength(1);
    expect(idsOf(requests[0] as Request).sort()).toEqual([
      'gannets-return-early',
      'harbour-board-cottage-vote',
      DEMO_ARTICLE,
    ]);
  });

  /** An index page on the local server that loads only count.js, never the widget. */
  const openIndex = async (markup: string) => {
    const page = await session.context.newPage();
    const requests = countRequests(page);
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.route(new URL('/index.html', session.local.url).href, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html>${markup}<script src="/count.js"></script>`,
      }),
    );
    await page.goto(new URL('/index.html', session.local.url).href);
    return { page, requests, scripts };
  };

  it('count.js asks for at most 100 articles per call, each once, and leaves bad ids alone', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => newArticle(`index-${n}`));
    await session.server.comment(ids[120] as string, { body: 'One comment here.' });
    const spans = [...ids, ids[0]]
      .map((id) => `<li><span data-talkback-count="${id}">–</span></li>`)
      .join('');
    const { page, requests, scripts } = await openIndex(
      `<ul>${spans}<li><span id="bad" data-talkback-count="not an id!">–</span></li></ul>`,
    );
    await expect(page.locator(`[data-talkback-count="${ids[120]}"]`)).toHaveText('1');
    await expect(page.locator(`[data-talkback-count="${ids[149]}"]`)).toHaveText('0');
    await expect(page.locator(`[data-talkback-count="${ids[0]}"]`)).toHaveText(['0', '0']);
    await expect(page.locator('#bad')).toHaveText('–');
    expect(requests.map((request) => idsOf(request).length).sort()).toEqual([100, 50]);
    expect(new Set(requests.flatMap(idsOf)).size).toBe(150);
    expect(scripts).toEqual(['/count.js']);
  });

  it('count.js shows reaction totals where asked, and Talkback.counts.refresh() fills later snippets', async () => {
    const article = newArticle('index-reactions');
    await session.server.comment(article, { body: 'Only one comment.' });
    for (const n of [1, 2, 3]) {
      await session.server.react(article, `index-reader-${String(n).padStart(12, '0')}`, 'happy');
    }
    const { page, requests } = await openIndex(
      `<span id="comments" data-talkback-count="${article}">–</span>
       <span id="reactions" data-talkback-count="${article}" data-talkback-count-kind="reactions">–</span>`,
    );
    await expect(page.locator('#comments')).toHaveText('1');
    await expect(page.locator('#reactions')).toHaveText('3');
    expect(requests).toHaveLength(1);

    // A single-page app renders more of its list, then asks for the new snippets to be filled.
    const later = newArticle('index-later');
    await session.server.comment(later, { body: 'First.' });
    await session.server.comment(later, { body: 'Second.' });
    await page.evaluate((id) => {
      const span = document.createElement('span');
      span.id = 'later';
      span.dataset.talkbackCount = id;
      document.body.append(span);
      return (
        window as unknown as { Talkback: { counts: { refresh(): Promise<void> } } }
      ).Talkback.counts.refresh();
    }, later);
    await expect(page.locator('#later')).toHaveText('2');
    expect(requests).toHaveLength(2);
  });

  it('uses the origin it was loaded from as the API unless the element names one', async () => {
    const article = newArticle('embedded');
    await session.server.comment(article, { body: 'From another site.' });
    // A news site on its own origin (a real server: Chromium keeps pages that have no address
    // away from loopback APIs). It embeds the Talkback server's script, or hosts a copy itself.
    const files: Record<string, string> = {
      '/story.html': `<!doctype html><talkback-thread article="${article}"></talkback-thread>
        <script src="${new URL('/talkback.js', session.local.url).href}"></script>`,
      '/self-hosted.html': `<!doctype html><talkback-thread article="${article}" api="${session.local.url}"></talkback-thread>
        <script src="/assets/talkback.js"></script>`,
      '/assets/talkback.js': readFileSync(WIDGET_FILE, 'utf8'),
      // A copy is the whole web/dist folder: talkback.js loads its chunks from beside itself.
      ...Object.fromEntries(
        readdirSync(CHUNKS).map((file) => [
          `/assets/chunks/${file}`,
          readFileSync(join(CHUNKS, file), 'utf8'),
        ]),
      ),
    };
    const site = createServer((request, response) => {
      const body = files[request.url ?? ''];
      response.writeHead(body ? 200 : 404, {
        'content-type': request.url?.endsWith('.js')
          ? 'text/javascript'
          : 'text/html; charset=utf-8',
      });
      response.end(body ?? '');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    try {
      const page = await session.context.newPage();
      const apiCalls: string[] = [];
      page.on('request', (request) => {
        // The view's one API request is the thread.
        const url = new URL(request.url());
        if (url.pathname === `/articles/${article}`) apiCalls.push(url.origin);
      });
      await page.goto(`${siteUrl}/story.html`);
      await expect(thread(page).getByRole('button', { name: 'View Comments (1)' })).toBeVisible();
      await page.goto(`${siteUrl}/self-hosted.html`);
      await expect(thread(page).getByRole('button', { name: 'View Comments (1)' })).toBeVisible();
      const origin = new URL(session.local.url).origin;
      expect(apiCalls).toEqual([origin, origin]);
    } finally {
      site.close();
    }
  });

  it('lays out as an article footer: reactions, then comments, then the reply form', async () => {
    const page = await session.context.newPage();
    await page.goto(session.local.url);
    await thread(page)
      .getByRole('button', { name: /^In Love/ })
      .click();
    await thread(page).getByRole('button', { name: 'View Comments (2)' }).click();
    await expect(thread(page).locator('ol.replies li.comment')).toHaveCount(1);
    await page.screenshot({ path: join(OUTPUT_DIR, 'demo-page.png'), fullPage: true });

    const top = async (name: string) =>
      (await thread(page).getByRole('heading', { name }).boundingBox())?.y ?? Number.NaN;
    const toggleTop = (await thread(page).locator('.toggle').boundingBox())?.y ?? Number.NaN;
    const article = (await page.locator('main > article').boundingBox()) ?? { y: 0, height: 0 };
    expect(article.y + article.height).toBeLessThan(await top("What's Your Reaction?"));
    expect(await top("What's Your Reaction?")).toBeLessThan(toggleTop);
    expect(toggleTop).toBeLessThan(await top('Leave a Reply'));
    await expect(
      thread(page).getByText(
        'Your email address will not be published. Required fields are marked *',
      ),
    ).toBeVisible();
  });

  it('fits a 360 px phone screen without sideways scrolling', async () => {
    const article = newArticle('narrow');
    await session.server.comment(article, {
      name: 'Long',
      body: `An unbroken ${'w'.repeat(300)} word.`,
    });
    const page = await openThread(session.context, session.local.url, article);
    await page.setViewportSize({ width: 360, height: 740 });
    await thread(page).getByRole('button', { name: 'View Comments (1)' }).click();
    await thread(page).getByRole('button', { name: 'Reply to Long' }).click();
    await expect(thread(page).locator('.replying')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    const demo = await session.context.newPage();
    await demo.setViewportSize({ width: 360, height: 740 });
    await demo.goto(session.local.url);
    await thread(demo).getByRole('button', { name: 'View Comments (2)' }).click();
    await expect(thread(demo).locator('li.comment')).toHaveCount(2);
    expect(await demo.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    // Every field a person uses (the honeypot is off-screen on purpose: spam-and-limits.test).
    const fields = thread(demo).locator('input:not([name="homepage"]), textarea, button.reaction');
    for (const box of await fields.all()) {
      const { x, width } = (await box.boundingBox()) ?? { x: -1, width: 0 };
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + width).toBeLessThanOrEqual(360);
    }
    await demo.screenshot({ path: join(OUTPUT_DIR, 'demo-page-360.png'), fullPage: true });
  });

  it('follows the dark colour scheme, and takes its accent from --talkback-accent', async () => {
    const page = await session.context.newPage();
    await page.goto(session.local.url);
    await expect(thread(page).getByRole('button', { name: 'Post Comment' })).toBeVisible();
    expect(await background(page, '.submit')).toBe('rgb(179, 38, 30)');

    await page.emulateMedia({ colorScheme: 'dark' });
    // The widget follows the change from a media-query listener: it may take a frame. Throws
    // with the last colour read if the dark accent never comes.
    await pollUntil(
      () => background(page, '.submit'),
      (colour) => colour === 'rgb(255, 138, 128)',
      { what: 'the dark accent' },
    );
    await thread(page).getByRole('button', { name: 'View Comments (2)' }).click();
    await page.screenshot({ path: join(OUTPUT_DIR, 'demo-page-dark.png'), fullPage: true });

    const themed = await openThread(session.context, session.local.url, newArticle('themed'), {
      before: '<style>body { --talkback-accent: rgb(0, 102, 51); }</style>',
    });
    await thread(themed)
      .getByRole('button', { name: /^Happy/ })
      .click();
    await expect(thread(themed).getByRole('button', { name: /^Happy/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(await background(themed, '.submit')).toBe('rgb(0, 102, 51)');
    expect(await background(themed, '.reaction[aria-pressed="true"]')).toBe('rgb(0, 102, 51)');
  });
});
