/**
 * Loading the comment list: the next page (Load more), or the first again in a new order. A chunk
 * of its own, loaded by the first Load more or change of order (or a permalink on a later page).
 */
import type { Comment, CommentPage } from '../shared/api';
import { commentPage } from './api-writes';
import { focusIn, strings } from './core';
import type { ListContext, ListState } from './thread-state';

export type Pager = ReturnType<typeof pager>;

export function pager(list: ListContext, pageSize: number | undefined) {
  const { api, article, state, panel } = list;
  // Only the last request's answer is drawn: an order chosen and changed back at once sends two,
  // and the first may be answered last.
  let latest = 0;
  return async (restart: boolean) => {
    const asked = ++latest;
    panel.more_.disabled = true;
    try {
      const page = await commentPage(api, article, {
        limit: pageSize,
        order: state.order,
        cursor: restart ? null : state.cursor,
      });
      if (asked !== latest) return;
      const added = merge(state, page, restart);
      panel.status.textContent = '';
      list.own_?.refresh(state);
      list.render_();
      // Load more hides with the last page, so focus goes to the first comment that page brought.
      if (!restart && state.cursor === null && added[0]) {
        focusIn(panel.thread_, `comment-${added[0].id}`);
      }
    } catch {
      if (asked === latest) panel.status.textContent = strings.loadFailed;
    } finally {
      if (asked === latest) panel.more_.disabled = false;
    }
  };
}

/** Takes in a page (the first again, on `restart`); returns the comments it had not shown. */
function merge(state: ListState, page: CommentPage, restart: boolean): Comment[] {
  const known = new Set(restart ? [] : state.listed_.map((entry) => entry.comment.id));
  const added = page.comments.filter((comment) => !known.has(comment.id));
  state.listed_ = [
    ...(restart ? [] : state.listed_),
    ...added.map((comment) => ({ comment, pending: false })),
  ];
  state.count = page.commentCount;
  state.cursor = page.nextCursor;
  return added;
}
