/**
 * The queue: one tab of comments (of one article, when filtered), its counts, and its rows. The
 * Reported tab is the pending comments with readers' open reports.
 */
import { h } from '../shared/dom';
import { writeAddress } from './address';
import { clearArticle, refreshArticle } from './article-view';
import { byId } from './dom';
import { failed } from './failure';
import { type Ground, knowGrounds } from './grounds';
import { type AdminComment, renderRow, type Status } from './queue';
import { call, state } from './state';

const PAGE = 50;
export const STATUSES: Status[] = ['pending', 'spam', 'published'];
const LABELS: Record<Status, string> = { pending: 'Pending', spam: 'Spam', published: 'Published' };

export function showConsole(): void {
  byId('sign-in').hidden = true;
  byId('console').hidden = false;
  byId('sign-out').hidden = false;
  void load();
}

export function query(extra: Record<string, string> = {}): string {
  const articleId = state.articleId;
  const params = new URLSearchParams({ ...extra, ...(articleId ? { articleId } : {}) });
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function load(append = false): Promise<void> {
  byId('filter-error').textContent = '';
  state.refusedFilter = false;
  if (!append) writeAddress();
  try {
    const page = (await call(
      'GET',
      `/admin/comments${query({
        status: state.status,
        ...(state.reported ? { reported: 'true' } : {}),
        limit: String(PAGE),
        ...(append && state.nextCursor ? { cursor: state.nextCursor } : {}),
      })}`,
    )) as { comments: AdminComment[]; nextCursor: string | null };
    state.comments = append ? [...state.comments, ...page.comments] : page.comments;
    state.nextCursor = page.nextCursor;
    if (!append) {
      state.current = 0;
      state.selected.clear();
    }
    render();
    await Promise.all([refreshCounts(), refreshArticle({ keepForm: true })]);
  } catch (caught) {
    if ((caught as { status?: number }).status === 400) refused(caught as Error);
    else failed(caught);
  }
}

/**
 * A query the API refused (an article id it cannot be): nothing of the last view stays, and
 * the page says what was refused and why instead of calling the queue empty.
 */
function refused(caught: Error): void {
  state.comments = [];
  state.nextCursor = null;
  state.refusedFilter = true;
  render();
  showCounts(undefined);
  clearArticle();
  const why = caught.message.replace(/^The request is not valid: /, '');
  byId('filter-error').textContent =
    `The article filter “${state.articleId ?? ''}” was refused: ${why}`;
}

/** The rows shown: the loaded comments but those on their way out (a decision, a delete). */
export function visible(): AdminComment[] {
  return state.comments.filter(
    (comment) => !state.deferred.has(comment.id) && !state.deciding.has(comment.id),
  );
}

/** Shows the rows after `change`, the cursor on the comment it was on (or where it was). */
export function renderKeepingCursor(change: () => void): void {
  const at = visible()[state.current]?.id;
  change();
  const index = visible().findIndex((comment) => comment.id === at);
  if (index >= 0) state.current = index;
  render();
}

/** What the tab shown is called: a status's label, or Reported. */
const shownLabel = (): string => (state.reported ? 'Reported' : LABELS[state.status]);

export function render(): void {
  for (const tab of STATUSES) {
    byId(`tab-${tab}`).setAttribute(
      'aria-selected',
      String(tab === state.status && !state.reported),
    );
  }
  byId('tab-reported').setAttribute('aria-selected', String(state.reported));
  const shown = visible();
  state.current = Math.min(state.current, Math.max(0, shown.length - 1));
  const queue = byId('queue');
  if (shown.length === 0) {
    queue.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        state.refusedFilter
          ? 'No comments shown: the article filter was refused.'
          : `No ${shownLabel().toLowerCase()} comments.`,
      ),
    );
  } else {
    const rows = shown.map((comment, index) => {
      const row = renderRow(comment, state.selected.has(comment.id), state.rowActions);
      if (index === state.current) row.classList.add('current');
      return row;
    });
    queue.replaceChildren(
      h('ol', { class: 'rows', 'aria-label': `${shownLabel()} comments` }, ...rows),
    );
  }
  byId('more').hidden = state.nextCursor === null;
}

/** After a decision or its undo: the tabs' counts, and the filtered article's published count. */
export async function refreshAfterDecision(): Promise<void> {
  await Promise.all([refreshCounts(), refreshArticle({ keepForm: true })]);
}

export async function refreshCounts(): Promise<void> {
  const { counts, capped, grounds } = (await call('GET', `/admin/counts${query()}`)) as {
    counts: Record<Status, number>;
    capped: Status[];
    grounds?: Ground[];
  };
  knowGrounds(grounds);
  showCounts({ counts, capped });
}

/** The tabs' labels, with their counts when known. */
function showCounts(known: { counts: Record<Status, number>; capped: Status[] } | undefined): void {
  for (const tab of STATUSES) {
    const count = known && `${known.counts[tab]}${known.capped.includes(tab) ? '+' : ''}`;
    byId(`tab-${tab}`).textContent = count ? `${LABELS[tab]} (${count})` : LABELS[tab];
  }
}
