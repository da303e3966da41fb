/** One article's view, when the queue is filtered to it: its state, and closing or reopening it. */
import { byId } from './dom';
import { failed } from './failure';
import { call, state } from './state';
import { toast } from './undo';

/** No article's state or Close button: none is filtered to, or the filter was refused. */
export function clearArticle(): void {
  byId('toggle-closed').hidden = true;
  byId('article-state').textContent = '';
}

export async function refreshArticle(): Promise<void> {
  const articleId = state.articleId;
  const toggle = byId<HTMLButtonElement>('toggle-closed');
  const shown = byId('article-state');
  byId('clear-filter').hidden = articleId === undefined;
  if (articleId === undefined) {
    clearArticle();
    return;
  }
  const article = (await call('GET', `/admin/articles/${encodeURIComponent(articleId)}`)) as {
    closed: boolean;
    commentCount: number;
  };
  shown.textContent = `${article.commentCount} published · ${article.closed ? 'closed to new comments' : 'open to comments'}`;
  toggle.hidden = false;
  toggle.textContent = article.closed ? 'Reopen to comments' : 'Close to new comments';
  toggle.onclick = () => void setClosed(!article.closed);
}

async function setClosed(closed: boolean): Promise<void> {
  const articleId = state.articleId;
  if (articleId === undefined) return;
  try {
    await call('PATCH', `/admin/articles/${encodeURIComponent(articleId)}`, { closed });
    toast({
      label: closed ? `Closed ${articleId} to new comments.` : `Reopened ${articleId}.`,
      undo: () => setClosed(!closed),
    });
    await refreshArticle();
  } catch (caught) {
    failed(caught);
  }
}
