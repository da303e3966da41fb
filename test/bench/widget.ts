/**
 * The widget's cost to a reader (issue 25): its bytes as the build measures them (web/dist after
 * a fresh `npm run build:web`), then, in Chromium against `npm start`'s server (the real handlers
 * on DynamoDB Local), one view of an article whose footer is far below the fold, scrolled into
 * view: the requests and bytes before the reaction buttons are drawn, and the time from the
 * footer coming into view to the buttons drawn. The floor is the same page with a stub script of
 * about 1 KB that draws the same markup (captured from the widget) with no API call. One run each,
 * in a fresh browser context (nothing cached); loopback has no latency, so the times are the
 * scripts' and the server's work. Printed, never asserted: timings swing on a shared machine.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Request } from 'playwright-core';
import { BUDGETS, measureWidget } from '../../web/widget-build';
import { launchChromium, serverClient } from '../browser/browser';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { type BenchResult, result } from './results';

const ROOT = join(__dirname, '..', '..');
const ARTICLE = 'bench-widget';
const VIEWPORT = { width: 1280, height: 800 };
/** Far below the fold: further than the widget's 800px look-ahead. */
const ARTICLE_HEIGHT = 3000;

/** The page's figures, measured in the page (performance.now(), one clock). */
interface Drawn {
  timeOrigin: number;
  inView: number;
  drawn: number;
  /** When the reply form was drawn (the widget only). */
  form?: number;
  /** The thread's markup but the form's place, once drawn: what the stub draws. */
  markup: string;
  timings: { name: string; startTime: number; responseEnd: number }[];
}

interface View extends Drawn {
  /** Every request but the page itself, with its gzipped body and when it ended (epoch ms). */
  requests: { url: string; started: number; ended: number; gzip: number; raw: number }[];
}

/** A news site on its own origin, as an embedding page is: `/widget.html`, `/stub.html`, `/stub.js`. */
async function serveSite(files: Record<string, { type: string; body: string }>) {
  const server: Server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
    response.end(file?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const page = (script: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Bench</title><script src="${script}" defer></script></head><body>
<main style="height:${ARTICLE_HEIGHT}px">An article.</main>
<talkback-thread article="${ARTICLE}"></talkback-thread></body></html>`;

/**
 * The floor: a custom element that links the same stylesheet into a shadow root and, when the
 * footer comes near (the same look-ahead), draws the markup it was given. No API call.
 */
const stubScript = (css: string, markup: string) =>
  `customElements.define('talkback-thread',class extends HTMLElement{connectedCallback(){` +
  `const r=this.attachShadow({mode:'open'}),l=document.createElement('link'),b=document.createElement('div');` +
  `l.rel='stylesheet';l.href=${JSON.stringify(css)};b.className='talkback';r.append(l,b);` +
  `const o=new IntersectionObserver(e=>{if(e.some(x=>x.isIntersecting)){o.disconnect();b.innerHTML=${JSON.stringify(markup)}}},{rootMargin:'800px 0px'});o.observe(this)}})`;

/**
 * In the page: scrolls the footer into view and notes (window.seen, performance.now()) when the
 * reaction buttons are drawn (in the thread and not hidden) and the form, as the shadow root
 * changes. A string, not a function: tsx would wrap a function's inner names in a helper the page
 * does not have.
 */
const WATCH = `{
  const element = document.querySelector('talkback-thread');
  const root = element.shadowRoot;
  const seen = { timeOrigin: performance.timeOrigin };
  window.seen = seen;
  const look = () => {
    const now = performance.now();
    const box = root.querySelector('.talkback');
    if (!seen.drawn && box && !box.hidden && box.querySelector('button.reaction')) {
      seen.drawn = now;
      seen.markup = Array.from(box.children)
        .filter((child) => !child.matches('section.reply, .status'))
        .map((child) => child.outerHTML)
        .join('');
    }
    if (!seen.form && root.querySelector('section.reply form')) seen.form = now;
  };
  new MutationObserver(look).observe(root, { subtree: true, childList: true, attributes: true });
  seen.inView = performance.now();
  element.scrollIntoView();
  look();
}`;

/** Opens `url` in a fresh context, scrolls the footer into view and times what follows. */
async function view(browser: Browser, url: string, withForm: boolean): Promise<View> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const tab = await context.newPage();
    const finished: Request[] = [];
    tab.on('requestfinished', (request) => finished.push(request));
    await tab.goto(url);
    await tab.waitForLoadState('networkidle');
    await tab.evaluate(WATCH);
    await tab.waitForFunction(
      (form) => {
        const seen = (window as unknown as { seen: Record<string, unknown> }).seen;
        return seen.drawn !== undefined && (!form || seen.form !== undefined);
      },
      withForm,
      { timeout: 30_000 },
    );
    await tab.waitForLoadState('networkidle');
    const drawn = await tab.evaluate(() => ({
      ...(window as unknown as { seen: Drawn }).seen,
      // When each request was asked for and answered, on the page's clock.
      timings: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map(
        ({ name, startTime, responseEnd }) => ({ name, startTime, responseEnd }),
      ),
    }));
    const requests = [];
    for (const request of finished) {
      if (request.url() === url) continue;
      const response = await request.response();
      const bytes = response ? await response.body() : Buffer.alloc(0);
      const { startTime, responseEnd } = request.timing();
      requests.push({
        url: request.url(),
        started: startTime,
        ended: startTime + Math.max(0, responseEnd),
        gzip: gzipSync(bytes, { level: 9 }).length,
        raw: bytes.length,
      });
    }
    return { ...drawn, requests };
  } finally {
    await context.close();
  }
}

/**
 * The requests asked for before the buttons were drawn, the bytes of those in by then, and of
 * those the chunks (asked for beside the thread, not needed to draw it).
 */
function beforeDrawn(seen: View) {
  const drawnAt = seen.timeOrigin + seen.drawn;
  const asked = seen.requests.filter((request) => request.started <= drawnAt);
  const arrived = asked.filter((request) => request.ended <= drawnAt);
  const sum = (requests: typeof arrived, size: 'gzip' | 'raw') =>
    requests.reduce((total, request) => total + request[size], 0);
  const chunks = arrived.filter((request) => new URL(request.url).pathname.startsWith('/chunks/'));
  const thread = asked.find((request) => new URL(request.url).pathname.startsWith('/articles/'));
  return {
    asked,
    gzip: sum(arrived, 'gzip'),
    raw: sum(arrived, 'raw'),
    chunksGzip: sum(chunks, 'gzip'),
    /** The thread request's own time (ms), when there is one. */
    threadMs: thread ? thread.ended - thread.started : null,
  };
}

const pathOf = (url: string) => new URL(url).pathname.replace(/-[A-Z0-9]{8}\.js$/, '-<hash>.js');

async function seed(local: LocalProcess): Promise<void> {
  const server = serverClient(local.url);
  for (const n of [1, 2, 3]) {
    await server.comment(ARTICLE, { name: `Reader ${n}`, body: `Comment ${n} on the article.` });
  }
  for (const [n, reaction] of ['happy', 'happy', 'in-love', 'excited'].entries()) {
    await server.react(ARTICLE, `bench-reader-${String(n).padStart(8, '0')}`, reaction);
  }
}

export async function widgetBench(log: (line: string) => void): Promise<BenchResult[]> {
  log('npm run build:web');
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'web/build.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const [first, ...chunks] = measureWidget();
  if (!first) throw new Error('web/dist/talkback.js was not built');
  const total = [first, ...chunks].reduce((sum, file) => sum + file.gzip, 0);
  const results: BenchResult[] = [
    result({
      group: 'widget',
      name: 'first view (talkback.js), gzipped',
      value: first.gzip,
      unit: 'bytes',
      target: `≤ ${BUDGETS.firstView.toLocaleString('en-US')}`,
      met: first.gzip <= BUDGETS.firstView,
      note: `${BUDGETS.firstView - first.gzip} bytes left; ${first.raw.toLocaleString('en-US')} raw`,
    }),
    result({
      group: 'widget',
      name: 'everything (talkback.js + chunks), gzipped',
      value: total,
      unit: 'bytes',
      target: `≤ ${BUDGETS.total.toLocaleString('en-US')}`,
      met: total <= BUDGETS.total,
      note: chunks.map((chunk) => `${pathOf(`http://x/${chunk.file}`)} ${chunk.gzip}`).join(', '),
    }),
  ];

  const local = await startLocalProcess();
  let browser: Browser | undefined;
  let site: Awaited<ReturnType<typeof serveSite>> | undefined;
  try {
    await seed(local);
    browser = await launchChromium();
    const files: Record<string, { type: string; body: string }> = {
      '/widget.html': { type: 'text/html; charset=utf-8', body: page(`${local.url}/talkback.js`) },
    };
    site = await serveSite(files);
    // A first view warms the server and the browser, and gives the markup the stub draws.
    const warm = await view(browser, `${site.url}/widget.html`, true);
    const stub = stubScript(`${local.url}/talkback.css`, warm.markup);
    files['/stub.html'] = { type: 'text/html; charset=utf-8', body: page('/stub.js') };
    files['/stub.js'] = { type: 'text/javascript', body: stub };
    log(`stub script: ${stub.length} bytes raw, ${gzipSync(stub, { level: 9 }).length} gzipped`);

    const widget = await view(browser, `${site.url}/widget.html`, true);
    const floor = await view(browser, `${site.url}/stub.html`, false);
    const [ours, theirs] = [beforeDrawn(widget), beforeDrawn(floor)];
    for (const [name, seen, before] of [
      ['widget', widget, ours],
      ['stub', floor, theirs],
    ] as const) {
      log(
        `${name}: asked before the buttons were drawn: ${before.asked.map((request) => pathOf(request.url)).join(', ')}`,
      );
      for (const timing of seen.timings.filter((entry) => entry.startTime >= seen.inView)) {
        log(
          `${name}: ${pathOf(timing.name)} asked ${(timing.startTime - seen.inView).toFixed(1)} ms after the footer came into view, in ${(timing.responseEnd - seen.inView).toFixed(1)} ms`,
        );
      }
      log(
        `${name}: footer in view to buttons drawn ${(seen.drawn - seen.inView).toFixed(1)} ms${
          before.threadMs === null
            ? ''
            : `, of which the thread request ${before.threadMs.toFixed(1)} ms`
        }`,
      );
    }
    const inView = (seen: Drawn) => seen.drawn - seen.inView;
    results.push(
      result({
        group: 'widget',
        name: 'requests before the reactions are drawn',
        value: ours.asked.length,
        unit: 'requests',
        floor: theirs.asked.length,
        note: ours.asked.map((request) => pathOf(request.url)).join(' '),
      }),
      result({
        group: 'widget',
        name: 'bytes before the reactions are drawn, gzipped',
        value: ours.gzip,
        unit: 'bytes',
        floor: theirs.gzip,
        note: `the write chunk ${ours.chunksGzip.toLocaleString('en-US')} of it (asked for beside the thread); ${ours.raw.toLocaleString('en-US')} raw (stub ${theirs.raw.toLocaleString('en-US')}); the stylesheet in both`,
      }),
      result({
        group: 'widget',
        name: 'footer in view → reaction buttons drawn',
        value: inView(widget),
        unit: 'ms',
        floor: inView(floor),
        noisy: true,
        note: `one run, loopback; the thread request ${ours.threadMs?.toFixed(0) ?? '-'} ms of it`,
      }),
      result({
        group: 'widget',
        name: '… of it, all but waiting for the thread request',
        value: inView(widget) - (ours.threadMs ?? 0),
        unit: 'ms',
        floor: inView(floor),
        noisy: true,
        note: 'the script noticing the footer, asking, and drawing the answer',
      }),
      result({
        group: 'widget',
        name: 'footer in view → reply form drawn',
        value: (widget.form ?? Number.NaN) - widget.inView,
        unit: 'ms',
        noisy: true,
        note: 'its chunk asked for beside the thread as the footer came near',
      }),
    );
  } finally {
    await browser?.close();
    await site?.close();
    await local.stop();
  }
  return results;
}
