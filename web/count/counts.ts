/**
 * The comment-count snippet for index pages: every `<span data-talkback-count="slug">` on the
 * page gets that article's published comment count, from one GET /counts call per 100 articles.
 */
import type { Api } from '../shared/api';

const ARTICLE_ID = /^[A-Za-z0-9\-_.~]{1,128}$/;
const BATCH = 100;

export async function fillCounts(api: Api, root: ParentNode = document): Promise<void> {
  const spans = Array.from(root.querySelectorAll<HTMLElement>('[data-talkback-count]'));
  const ids = [...new Set(spans.map((span) => span.dataset.talkbackCount ?? ''))].filter((id) =>
    ARTICLE_ID.test(id),
  );
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += BATCH)
    batches.push(ids.slice(start, start + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      // A failed batch leaves its spans as the page wrote them (a placeholder such as "–").
      const { articles } = await api
        .counts(batch)
        .catch(() => ({ articles: {} }) as Awaited<ReturnType<Api['counts']>>);
      for (const span of spans) {
        const counts = articles[span.dataset.talkbackCount ?? ''];
        if (counts) span.textContent = String(counts.commentCount);
      }
    }),
  );
}

/** Sets one article's snippets to `count`, so they agree with a thread on the same page. */
export function showCount(article: string, count: number): void {
  for (const span of document.querySelectorAll(`[data-talkback-count="${CSS.escape(article)}"]`)) {
    span.textContent = String(count);
  }
}
