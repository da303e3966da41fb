/**
 * The view in the page's address (`?article=…&status=…`, `status=reported` for the Reported tab), so a reload or a shared link opens the
 * same queue. Nothing else goes there: no credential, no selection.
 */
import { byId } from './dom';
import type { Status } from './queue';
import { state } from './state';

const TABS: readonly string[] = ['pending', 'spam', 'published'];

/** The tab and article filter the address names, into the state and the filter's field. */
export function readAddress(): void {
  const params = new URLSearchParams(location.search);
  const status = params.get('status');
  if (status && TABS.includes(status)) state.status = status as Status;
  // The Reported tab: the pending comments with open reports.
  if (status === 'reported') {
    state.status = 'pending';
    state.reported = true;
  }
  const article = params.get('article')?.trim();
  if (article) {
    state.articleId = article;
    byId<HTMLInputElement>('article-filter').value = article;
  }
}

/** The state's tab and filter, into the address (replacing it: the Back button leaves the page). */
export function writeAddress(): void {
  const params = new URLSearchParams({
    ...(state.articleId ? { article: state.articleId } : {}),
    ...(state.reported
      ? { status: 'reported' }
      : state.status === 'pending'
        ? {}
        : { status: state.status }),
  });
  const search = params.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}
