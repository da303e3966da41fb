/**
 * One article's view, when the queue is filtered to it: its state, closing or reopening it, and
 * its own settings (moderation, who may comment, its closing time; docs/moderation.md).
 */
import type { ArticleState } from '../shared/admin-api';
import { byId } from './dom';
import { failed } from './failure';
import { call, state } from './state';
import { toast } from './undo';

/** What PATCH /admin/articles/{articleId} takes besides `open`: null is the deployment's. */
type Settings = Pick<ArticleState, 'moderation' | 'commenting' | 'closeAt'>;

/** No article's state, Close button or settings: none is filtered to, or the filter was refused. */
export function clearArticle(): void {
  byId('toggle-closed').hidden = true;
  byId('article-settings').hidden = true;
  byId('article-state').textContent = '';
}

/** An ISO time as a datetime-local field shows it: the moderator's own clock, to the minute. */
function localInput(iso: string | null): string {
  if (iso === null) return '';
  const time = new Date(iso);
  return new Date(time.getTime() - time.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
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
  const article = (await call(
    'GET',
    `/admin/articles/${encodeURIComponent(articleId)}`,
  )) as ArticleState;
  const until =
    article.closesAt === null ? '' : ` until ${new Date(article.closesAt).toLocaleString()}`;
  shown.textContent = `${article.commentCount} published · ${article.open ? `open to comments${until}` : 'closed to new comments'}`;
  toggle.hidden = false;
  toggle.textContent = article.open ? 'Close to new comments' : 'Reopen to comments';
  toggle.onclick = () =>
    void change(
      articleId,
      { open: !article.open },
      article.open ? `Closed ${articleId} to new comments.` : `Reopened ${articleId}.`,
      { open: article.open },
    );
  const form = byId<HTMLFormElement>('article-settings');
  form.hidden = false;
  byId<HTMLSelectElement>('article-moderation').value = article.moderation ?? '';
  byId<HTMLInputElement>('article-commenting').value = article.commenting ?? '';
  byId<HTMLInputElement>('article-close-at').value = localInput(article.closeAt);
  const before: Settings = {
    moderation: article.moderation,
    commenting: article.commenting,
    closeAt: article.closeAt,
  };
  form.onsubmit = (event) => {
    event.preventDefault();
    void change(articleId, settingsInForm(), `Saved the settings of ${articleId}.`, before);
  };
}

/** The form's settings; an empty field gives the setting back to the deployment. */
function settingsInForm(): Settings {
  const closeAt = byId<HTMLInputElement>('article-close-at').value;
  const commenting = byId<HTMLInputElement>('article-commenting').value.trim();
  return {
    moderation: (byId<HTMLSelectElement>('article-moderation').value ||
      null) as Settings['moderation'],
    commenting: (commenting || null) as Settings['commenting'],
    closeAt: closeAt === '' ? null : new Date(closeAt).toISOString(),
  };
}

/** One PATCH, undone by another with what was there before. */
async function change(
  articleId: string,
  body: Partial<Settings> & { open?: boolean },
  label: string,
  before: Partial<Settings> & { open?: boolean },
): Promise<void> {
  try {
    await call('PATCH', `/admin/articles/${encodeURIComponent(articleId)}`, body);
    toast({ label, undo: () => change(articleId, before, `Undid: ${label}`, body) });
    await refreshArticle();
  } catch (caught) {
    failed(caught);
  }
}
