/**
 * What one article view costs the API: the script and exactly one request (the thread), and
 * only once the footer is about to scroll into view; a reader who leaves first costs nothing.
 */
import type { BrowserContext } from 'playwright-core';
import { newArticle, openThread, thread, useBrowserSession } from './browser';

/**
 * Every request the browser makes to the local server, as its path and query, but the script's
 * chunks (web/dist/chunks/: the script itself, its size held by the build's budgets).
 */
function recordRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/fixture.html' && !url.pathname.startsWith('/chunks/')) {
      seen.push(`${url.pathname}${url.search}`);
    }
  });
  return seen;
}

const TALL_ARTICLE = '<main style="height: 6000px">A long article.</main>';

describe('requests of an article view', () => {
  const session = useBrowserSession({ context: { viewport: { width: 1280, height: 800 } } });

  it('makes the script request and exactly one API request, the thread', async () => {
    const article = newArticle('one-request');
    await session.server.comment(article, { body: 'Shown from the thread.' });
    const requests = recordRequests(session.context);
    const page = await openThread(session.context, session.local.url, article);
    // In the DOM from the thread's first page (the list shows once opened).
    await thread(page).getByText('Shown from the thread.').waitFor({ state: 'attached' });
    await thread(page).locator('button.reaction').first().waitFor();
    expect(requests).toEqual(['/talkback.js', '/talkback.css', `/articles/${article}`]);
  });

  it('asks nothing of a page closed before the footer is near, and loads as it comes near', async () => {
    const article = newArticle('lazy');
    const requests = recordRequests(session.context);
    const page = await openThread(session.context, session.local.url, article, {
      before: TALL_ARTICLE,
    });
    await page.waitForFunction(() => customElements.get('talkback-thread') !== undefined);
    await page.waitForTimeout(300);
    expect(requests).toEqual(['/talkback.js', '/talkback.css']);

    const loaded = page.waitForRequest((request) =>
      new URL(request.url()).pathname.startsWith(`/articles/${article}`),
    );
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await loaded;
    expect(requests).toEqual(['/talkback.js', '/talkback.css', `/articles/${article}`]);

    const closedEarly = await openThread(session.context, session.local.url, newArticle('left'), {
      before: TALL_ARTICLE,
    });
    await closedEarly.waitForFunction(() => customElements.get('talkback-thread') !== undefined);
    await closedEarly.close();
    expect(requests.filter((path) => path.startsWith('/articles/'))).toEqual([
      `/articles/${article}`,
    ]);
  });

  it('loads at once where IntersectionObserver is missing', async () => {
    const article = newArticle('no-observer');
    await session.context.addInitScript(() => {
      Reflect.deleteProperty(window, 'IntersectionObserver');
    });
    const requests = recordRequests(session.context);
    // Waited for from before the page opens: loading at once, it may ask while it opens.
    const asked = session.context.waitForEvent(
      'request',
      (request) => new URL(request.url()).pathname === `/articles/${article}`,
    );
    await openThread(session.context, session.local.url, article, { before: TALL_ARTICLE });
    await asked;
    expect(requests).toEqual(['/talkback.js', '/talkback.css', `/articles/${article}`]);
  });

  it("shows the visitor's own vote on the next view from what the browser stored, asking nothing more", async () => {
    const article = newArticle('own-vote');
    const page = await openThread(session.context, session.local.url, article);
    const happy = thread(page).locator('button[data-reaction="happy"]');
    const voted = page.waitForResponse((response) => response.request().method() === 'PUT');
    await happy.click();
    await voted;
    await page.close();

    const requests = recordRequests(session.context);
    const again = await openThread(session.context, session.local.url, article);
    const shown = thread(again).locator('button[data-reaction="happy"]');
    await shown.waitFor();
    await expect(shown.getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(shown.locator('.count').textContent()).resolves.toBe('1');
    expect(requests).toEqual(['/talkback.js', '/talkback.css', `/articles/${article}`]);
  });
});
