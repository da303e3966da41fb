/**
 * The moderation console as the browser tests drive it: signing in with the admin token, the
 * article filter, the rows, and seeding and reading comments through the operators' API.
 */
import type { Page } from 'playwright-core';
import type { BrowserSession } from './browser';

export type Status = 'pending' | 'published' | 'spam';
export interface AdminComment {
  id: string;
  status: Status;
  pinned: boolean;
  email: string | null;
  author: { name: string; staff: boolean };
  body: string;
}

export function consolePage(session: BrowserSession) {
  /** The operators' API from Node, for seeding and checking. */
  const admin = <T>(path: string, method = 'GET', body?: unknown) =>
    session.admin.call<T>(path, method, body);

  return {
    admin,
    statusesOf: async (article: string, status: Status) =>
      (
        await admin<{ comments: AdminComment[] }>(
          `/admin/comments?status=${status}&articleId=${article}&limit=100`,
        )
      ).comments,

    async seed(article: string, bodies: string[], email = 'reader@example.org') {
      const ids: string[] = [];
      for (const body of bodies) {
        ids.push((await session.server.comment(article, { name: 'Reader', email, body })).id);
      }
      return ids;
    },

    async signIn(page?: Page): Promise<Page> {
      const tab = page ?? (await session.context.newPage());
      if (!page) await tab.goto(new URL('/admin/', session.local.url).href);
      await tab.getByLabel('Admin token').fill(session.local.adminToken);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('tab', { name: /^Pending \(\d+\)$/ }).waitFor();
      return tab;
    },

    async filterTo(page: Page, article: string): Promise<void> {
      await page.getByLabel('Article', { exact: true }).fill(article);
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('button', { name: 'All articles' }).waitFor();
    },

    rows: (page: Page) => page.locator('#queue li.row'),
  };
}
