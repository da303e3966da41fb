/// <reference lib="dom" />
/**
 * Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, the real
 * local server in its own process, and fixture pages that embed the built widget.
 */
import { readdirSync, statSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import type { Comment, Created, Reactions } from '../support/contract';
import { type LocalProcess, startLocalProcess } from '../support/local-process';

export const WEB = join(__dirname, '..', '..', 'web');
export const WIDGET_FILE = join(WEB, 'dist', 'talkback.js');
export const OUTPUT_DIR = join(__dirname, '..', '..', 'test-output');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The sources web/build.ts bundles: every file in web/'s script folders, by path under web/. */
export function webSources(): string[] {
  return ['widget', 'count', 'shared', 'console'].flatMap((folder) =>
    readdirSync(join(WEB, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(WEB, join(entry.parentPath, entry.name))),
  );
}

/** The tests exercise web/dist/talkback.js, so it must be built from the current sources. */
function assertWidgetBuilt(): void {
  let built: number;
  try {
    built = statSync(WIDGET_FILE).mtimeMs;
  } catch {
    throw new Error('web/dist/talkback.js is missing: run `npm run build:web` (npm test does)');
  }
  const stale = webSources().filter((file) => statSync(join(WEB, file)).mtimeMs > built);
  if (stale.length > 0) {
    throw new Error(
      `web/dist/talkback.js is older than ${stale.join(', ')}: run npm run build:web`,
    );
  }
}

export function launchChromium(): Promise<Browser> {
  assertWidgetBuilt();
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const GENEROUS = 100_000;

/**
 * The local server in its own process, in memory, with settings for driving it from one
 * address: comments publish at once and rate limits do not get in the way, unless a test says
 * otherwise.
 */
export function startServer(settings: Record<string, unknown> = {}): Promise<LocalProcess> {
  return startLocalProcess({
    env: {
      TALKBACK_SETTINGS: JSON.stringify({
        moderation: { policy: 'none' },
        rateLimits: {
          commentsPerMinute: GENEROUS,
          commentsPerHour: GENEROUS,
          reactionsPerMinute: GENEROUS,
          reactionsPerHour: GENEROUS,
        },
        ...settings,
      }),
    },
  });
}

let articles = 0;
/** A fresh article id per test, so tests sharing a server never see each other's data. */
export const newArticle = (name: string) => `${name}-${process.pid}-${++articles}`;

/**
 * Opens a page at /fixture.html on the local server (same origin as the API) holding one widget for
 * `article`, with any extra attributes and markup.
 */
export async function openThread(
  context: BrowserContext,
  url: string,
  article: string,
  options: { attributes?: string; before?: string; after?: string; htmlAttributes?: string } = {},
): Promise<Page> {
  const page = await context.newPage();
  const fixture = new URL('/fixture.html', url).href;
  await page.route(fixture, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html ${options.htmlAttributes ?? 'lang="en"'}><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>Fixture</title></head>
        <body>${options.before ?? ''}
        <talkback-thread article="${article}" ${options.attributes ?? ''}></talkback-thread>
        ${options.after ?? ''}<script src="/talkback.js"></script></body></html>`,
    }),
  );
  await page.goto(fixture);
  return page;
}

/** A page of a site on its own origin, with the response headers it sends. */
export interface SitePage {
  body: string;
  headers?: OutgoingHttpHeaders;
}

/**
 * A news site on its own origin, as a real server: Chromium keeps pages that have no address
 * away from loopback APIs, and a Content-Security-Policy must come as a real response header.
 * Stop it with close().
 */
export async function serveSite(
  files: Record<string, SitePage>,
): Promise<{ url: string; close(): void }> {
  const site = createServer((request, response) => {
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, {
      'content-type': request.url?.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8',
      ...file?.headers,
    });
    response.end(file?.body ?? '');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    close: () => site.close(),
  };
}

/** The widget's shadow root, through Playwright's shadow-piercing locators. */
export const thread = (page: Page) => page.locator('talkback-thread');

/** Talks to the local server from Node, as another reader would. */
export function serverClient(url: string) {
  const call = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    comment: async (
      article: string,
      fields: { name?: string; email?: string; body: string; website?: string; parentId?: string },
    ): Promise<Comment> =>
      (
        await call<Created>(`/articles/${article}/comments`, 'POST', {
          name: 'Reader',
          email: 'seeded@example.org',
          ...fields,
        })
      ).comment,
    comments: (article: string) =>
      call<{ commentCount: number; comments: Comment[] }>(
        `/articles/${article}/comments?limit=100`,
      ),
    /**
     * Votes as another reader, then waits until the article's thread shows the vote: the thread
     * carries the tallied counts, which follow a vote a moment later (the table stream's tally),
     * so a page opened next shows it even when the machine is slow.
     */
    react: async (article: string, visitorId: string, reaction: string) => {
      const answer = await call<Reactions>(`/articles/${article}/reactions`, 'PUT', {
        visitorId,
        reaction,
      });
      const wanted = answer.counts[reaction] ?? 0;
      const shown = async () => {
        const view = await call<{ reactions: { key: string; count: number }[] }>(
          `/articles/${article}`,
        );
        return view.reactions.find((entry) => entry.key === reaction)?.count ?? 0;
      };
      for (let waited = 0; (await shown()) < wanted; waited += 50) {
        if (waited > 30_000) throw new Error(`the thread of ${article} never showed the vote`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return answer;
    },
    reactions: (article: string, visitorId: string) =>
      call<Reactions>(`/articles/${article}/reactions?visitorId=${visitorId}`),
  };
}

/** The visitor id the widget keeps in this page's localStorage. */
export const storedVisitorId = (page: Page) =>
  page.evaluate(() => localStorage.getItem('talkback.visitorId'));

/**
 * Everything the page shows or holds: the HTML of the document and of every shadow root in it,
 * plus the current value of every form field (values are not in the HTML).
 */
export function pageContents(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      parts.push(root instanceof Document ? root.documentElement.outerHTML : root.innerHTML);
      for (const element of root.querySelectorAll('*')) {
        if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
          parts.push(element.value);
        }
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return parts.join('\n');
  });
}

/** The comment form and list as a reader uses them, by role and label. */
export function widget(page: Page) {
  const root = thread(page);
  const field = (label: string) => root.getByRole('textbox', { name: label, exact: true });
  const comments = root.locator('li.comment');
  return {
    root,
    field,
    comments,
    toggle: root.getByRole('button', { name: /Comments \(\d+\)$/ }),
    formStatus: root.locator('section.reply').getByRole('status'),
    /** The comment by `name` (and, when given, with this text): its own article, not replies. */
    commentBy: (name: string, body?: string) =>
      comments.filter({
        has: page.locator(
          `css=:scope > article:has(.meta .author:text-is(${JSON.stringify(name)}))${
            body === undefined ? '' : `:has(.body > p:text-is(${JSON.stringify(body)}))`
          }`,
        ),
      }),
    async fill(fields: Record<string, string>) {
      for (const [label, value] of Object.entries(fields)) await field(label).fill(value);
    },
    /** Clicks Post Comment and waits for the server's answer. */
    async post() {
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().includes('/comments'),
        ),
        root.getByRole('button', { name: 'Post Comment' }).click(),
      ]);
      return response;
    },
  };
}

/** The operators' routes of the local server, with its admin token. */
export function adminClient(local: LocalProcess) {
  const call = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, local.url), {
      method,
      headers: {
        authorization: `Bearer ${local.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  type AdminComment = Comment & { status: string; email: string | null };
  return {
    /** Any operators' route: its path, method and JSON body. */
    call,
    comments: (status: 'pending' | 'published' | 'spam') =>
      call<{ comments: AdminComment[] }>(`/admin/comments?status=${status}&limit=100`),
    moderate: (id: string, status: 'published' | 'spam') =>
      call<{ comment: AdminComment }>(`/admin/comments/${id}`, 'PATCH', { status }),
  };
}

/** The widget's record of this browser's own comments (edit tokens, pending copies). */
export const storedOwnComments = (page: Page) =>
  page.evaluate(
    () =>
      JSON.parse(localStorage.getItem('talkback.own') ?? '[]') as {
        id: string;
        article: string;
        createdAt: string;
        token?: string;
        pending?: { id: string; body: string };
        deleted?: true;
      }[],
  );

/** What a hook set up; reaching for it before then (or after its set-up failed) says so. */
function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`${what} is not set up: use it in tests and hooks, after set-up succeeded`);
  }
  return value;
}

/** A local server shared by the tests of one describe block. */
export interface ServerSession {
  readonly local: LocalProcess;
  /** serverClient for it: another reader, from Node. */
  readonly server: ReturnType<typeof serverClient>;
  /** adminClient for it: an operator. */
  readonly admin: ReturnType<typeof adminClient>;
}

/**
 * Starts a local server with `settings` (over startServer's defaults) before the tests of the
 * calling describe block and stops it after them. The getters give what the hooks set up.
 */
export function useServer(settings: Record<string, unknown> = {}): ServerSession {
  let local: LocalProcess | undefined;
  beforeAll(async () => {
    local = await startServer(settings);
  });
  afterAll(async () => {
    // Nothing to stop if it never started: the beforeAll error is the one to read.
    await local?.stop();
  });
  const started = () => ready(local, 'the local server');
  return {
    get local() {
      return started();
    },
    get server() {
      return serverClient(started().url);
    },
    get admin() {
      return adminClient(started());
    },
  };
}

export interface BrowserSession extends ServerSession {
  readonly browser: Browser;
  /** The current test's own context (cookies, localStorage), closed after it. */
  readonly context: BrowserContext;
}

/**
 * The lifecycle of a browser test file, registered in the calling describe block: a local server
 * (useServer) and Chromium for all its tests, and a fresh context for each test. Tests open their
 * own pages in it, so routes and listeners can go on before the first load.
 */
export function useBrowserSession(
  options: { settings?: Record<string, unknown>; context?: BrowserContextOptions } = {},
): BrowserSession {
  const serverSession = useServer(options.settings);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await ready(browser, 'Chromium').newContext(options.context);
  });
  afterEach(async () => {
    // Jest runs afterEach even when set-up failed and the test never ran.
    await context?.close();
    context = undefined;
  });
  return {
    get local() {
      return serverSession.local;
    },
    get server() {
      return serverSession.server;
    },
    get admin() {
      return serverSession.admin;
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    get context() {
      return ready(context, 'the browser context');
    },
  };
}
