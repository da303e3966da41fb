/**
 * The comment-count snippet for index pages: every `<span data-talkback-count="slug">` on the
 * page gets that article's published comment count, or, with
 * `data-talkback-count-kind="reactions"`, its reaction total, from one GET /counts call per 100
 * articles (each article asked for once).
 */
import type { Api } from '../shared/api';

/** GET /counts for some articles: their published comment count and reaction total. */
export type Counts = (
  ids: string[],
) => Promise<{ articles: Record<string, { commentCount: number; reactionTotal: number }> }>;

/** The count call on an API client (only this script makes it). */
export const countsOf =
  (api: Api): Counts =>
  (ids) =>
    api.call_(`/counts?articles=${ids.map(encodeURIComponent).join(',')}`);

const ARTICLE_ID = /^[A-Za-z0-9\-_.~]{1,128}$/;
const BATCH = 100;

export async function fillCounts(counts: Counts, root: ParentNode = document): Promise<void> {
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
      const { articles } = await counts(batch).catch(
        () => ({ articles: {} }) as Awaited<ReturnType<Counts>>,
      );
      for (const span of spans) {
        const article = articles[span.dataset.talkbackCount ?? ''];
        if (article) {
          span.textContent = String(
            span.dataset.talkbackCountKind === 'reactions'
              ? article.reactionTotal
              : article.commentCount,
          );
        }
      }
    }),
  );
}

/** Sets one article's comment-count snippets to `count`, so they agree with a thread on the page. */
export function showCount(article: string, count: number): void {
  for (const span of document.querySelectorAll(
    `[data-talkback-count="${CSS.escape(article)}"]:not([data-talkback-count-kind=reactions])`,
  )) {
    span.textContent = String(count);
  }
}

/**
 * Fills the page's snippets once it is parsed, and offers `Talkback.counts.refresh(root?)` for
 * snippets a single-page app adds later (or to bring the numbers up to date).
 */
export function startCounts(counts: Counts, global: Record<string, unknown>): void {
  const refresh = (root?: ParentNode) => fillCounts(counts, root);
  global.counts = { refresh };
  if (document.readyState === 'loading')
    document.addEventListener('DOMContentLoaded', () => refresh());
  else refresh();
}
