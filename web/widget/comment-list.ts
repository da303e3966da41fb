/**
 * The comment list: behind the View Comments toggle, its first page, then paging and order
 * (paging.ts), each comment (comment-item.ts), the visitor's own comments (own-comments.ts,
 * own-actions.ts), and the page's count snippets kept in step with it.
 */

import { showCount } from '../count/counts';
import type { Api, Comment, CommentPage, Config, Created } from '../shared/api';
import { commentEditor } from './comment-editor';
import { commentItem, type ItemContext } from './comment-item';
import { commentTree } from './comment-tree';
import { dateFormatter } from './dates';
import { copyLink, permalinkTarget, revealer } from './deep-link';
import { focusIn, listPanel, showPanel } from './list-panel';
import { ownActions } from './own-actions';
import { ownComments } from './own-comments';
import { pager } from './paging';
import { strings } from './strings';
import type { ListContext, ListState, OwnUi } from './thread-state';

/** The API's default when GET /config does not say (the contract: 15 minutes, configurable). */
const EDIT_WINDOW_MINUTES = 15;

export interface CommentList {
  element: HTMLElement;
  /** Set by the thread: Reply on a comment hands it to the form. */
  onReply: (comment: Comment) => void;
  /** Shows a comment the form posted. */
  add(created: Created): void;
}

export function commentList(
  api: Api,
  article: string,
  pageSize: number | undefined,
  first: CommentPage,
  config: Config,
  signal: AbortSignal,
): CommentList {
  const windowMs = (config.moderation?.editWindowMinutes || EDIT_WINDOW_MINUTES) * 60_000;
  const state: ListState = {
    count: first.commentCount,
    cursor: first.nextCursor,
    order: 'oldest',
    open: false,
    listed_: first.comments.map((comment) => ({ comment, pending: false })),
    pending: [],
  };
  const panel = listPanel({
    toggle: () => {
      state.open = !state.open;
      showPanel(panel, state.open, state.count);
    },
    more_: () => load(false),
    sort: (order) => {
      state.order = order;
      load(true);
    },
  });
  const list: ListContext = {
    api,
    article,
    config,
    state,
    panel,
    own_: ownComments(article, windowMs),
    ui: new Map<string, OwnUi>(),
    render_: (focus) => render(focus),
    change_: (id, ui, focus) => {
      list.ui.set(id, ui);
      render(focus);
    },
  };
  const load = pager(list, pageSize);
  const render = renderer(
    list,
    itemContext(list, (comment) => result.onReply(comment)),
  );
  const result: CommentList = {
    element: panel.element,
    onReply: () => {},
    add: (created) => add(list, created),
  };
  list.own_.refresh(state.listed_, state.pending);
  render();
  // A permalink (#comment-<id>) opens the thread at that comment, now and on every hash change.
  const reveal = revealer(list, load);
  reveal(permalinkTarget());
  addEventListener('hashchange', () => reveal(permalinkTarget()), { signal });
  return result;
}

function itemContext(list: ListContext, reply: (comment: Comment) => void): ItemContext {
  const { editing_: editing, remove } = ownActions(list);
  return {
    dates_: dateFormatter(strings.lang),
    ui: (id) => list.ui.get(id) ?? {},
    editable_: list.own_.editable_,
    reply,
    change_: list.change_,
    remove,
    editor_: (entry, ui) => commentEditor(entry, ui, editing),
    link: (id, button) => copyLink(list, id, button),
  };
}

/** Draws the thread from the list's state; timed to draw again when an edit window closes. */
function renderer(list: ListContext, item: ItemContext) {
  const { state, panel, own_: own } = list;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const render = (focus?: string) => {
    const published = new Set(state.listed_.map((entry) => entry.comment.id));
    state.pending = state.pending.filter((entry) => !published.has(entry.comment.id));
    const { shown, roots, children } = commentTree(state.listed_, state.pending, state.order);
    panel.thread_.replaceChildren(...roots.map((entry) => commentItem(entry, children, item)));
    panel.empty_.hidden = shown.length > 0;
    panel.more_.hidden = state.cursor === null;
    showPanel(panel, state.open, state.count);
    panel.counter_.textContent = strings.viewComments(state.count);
    showCount(list.article, state.count);
    if (state.target)
      panel.thread_.querySelector(`#comment-${state.target}`)?.classList.add('target');
    if (focus) focusIn(panel.thread_, focus);
    // The links go when the window closes, without waiting for the next click.
    clearTimeout(timer);
    const closes = own.nextClose_();
    if (closes === null) return;
    const redraw = () => {
      own.refresh(state.listed_, state.pending);
      render();
    };
    timer = setTimeout(redraw, Math.max(0, closes - Date.now()) + 100);
  };
  return render;
}

/**
 * A comment the form posted: remembered if it is the visitor's to edit, shown, and focused (so
 * scrolled to): the form's disabled button, or the Reply it came from, no longer holds focus.
 */
function add(list: ListContext, created: Created): void {
  const { state } = list;
  const { comment } = created;
  list.own_.remember_(created);
  const entry = { comment, pending: created.status === 'pending' };
  if (entry.pending) state.pending.push(entry);
  else {
    const first = state.order === 'newest' && !comment.parentId;
    state.listed_ = first ? [entry, ...state.listed_] : [...state.listed_, entry];
    state.count++;
  }
  state.open = true;
  list.render_();
  list.panel.thread_.querySelector<HTMLElement>(`#comment-${CSS.escape(comment.id)}`)?.focus();
}
