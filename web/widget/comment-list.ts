/**
 * The comment list: behind the View Comments toggle, its first page, then paging and order
 * (paging.ts), each comment (comment-item.ts), the visitor's own comments (own-comments.ts,
 * own-actions.ts), and the page's count snippets kept in step with it.
 */

import { showCount } from '../count/counts';
import type { Api, Comment, CommentPage, Config, Created } from '../shared/api';
import { commentItem, type ItemContext } from './comment-item';
import { commentTree } from './comment-tree';
import { dateFormatter } from './dates';
import { focusIn, listPanel, showPanel } from './list-panel';
import { linkChunk, pagingChunk, prefetch, withChunk, writeChunk } from './on-demand';
import type { OwnActions } from './own-actions';
import type { Pager } from './paging';
import { strings } from './strings';
import type { ListContext, Listed, ListState, OwnUi } from './thread-state';

/** The comment id in the page's hash, if it is a permalink. */
export const permalinkTarget = () => /^#comment-([\w-]+)$/.exec(location.hash)?.[1];

/** The API's default when GET /config does not say (the contract: 15 minutes, configurable). */
const EDIT_WINDOW_MINUTES = 15;

export interface CommentList {
  element: HTMLElement;
  /** Set by the thread: Reply on a comment hands it to the form. */
  onReply: (comment: Comment) => void;
  /** Shows a comment the form posted. */
  add(created: Created): void;
  /** Opens the thread at the page's permalink, if any: once the thread is on show. */
  reveal_(): void;
}

export function commentList(
  api: Api,
  article: string,
  pageSize: number | undefined,
  first: CommentPage,
  config: Config,
  signal: AbortSignal,
  /** The write chunk, when this browser keeps something of its own on the article. */
  own?: typeof import('./write'),
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
      // Link is one click away now.
      prefetch(linkChunk);
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
    own_: own?.ownComments(article, windowMs),
    ui: new Map<string, OwnUi>(),
    render_: (focus) => render(focus),
    change_: (id, ui, focus) => {
      list.ui.set(id, ui);
      render(focus);
    },
  };
  let pages: Pager | undefined;
  // Load more and Sort by load their chunk first.
  const load = (restart: boolean) =>
    withChunk(pagingChunk, panel.status, ({ pager }) => {
      pages ??= pager(list, pageSize);
      return pages(restart);
    });
  const render = renderer(
    list,
    itemContext(list, (comment) => result.onReply(comment)),
  );
  // A permalink (#comment-<id>) opens the thread at that comment, and so does every hash change.
  const reveal = () => {
    const id = permalinkTarget();
    if (id) withChunk(linkChunk, panel.status, ({ revealer }) => revealer(list, load)(id));
  };
  const result: CommentList = {
    element: panel.element,
    onReply: () => {},
    // What the visitor posts is theirs to edit: their comments' module comes first.
    add: (created) =>
      withChunk(writeChunk, panel.status, ({ ownComments }) => {
        list.own_ ??= ownComments(article, windowMs);
        add(list, created);
      }),
    reveal_: reveal,
  };
  list.own_?.refresh(state);
  render();
  addEventListener('hashchange', reveal, { signal });
  return result;
}

function itemContext(list: ListContext, reply: (comment: Comment) => void): ItemContext {
  let actions: OwnActions | undefined;
  // Edit and Delete load the write chunk first (already in, in a browser that wrote here).
  const own = (use: (actions: OwnActions) => void) =>
    withChunk(writeChunk, list.panel.status, ({ ownActions }) => {
      actions ??= ownActions(list);
      use(actions);
    });
  return {
    dates_: dateFormatter(strings.lang),
    ui: (id) => list.ui.get(id) ?? {},
    editable_: (id) => !!list.own_?.editable_(id),
    reply,
    change_: list.change_,
    edit_: ({ id, body }) =>
      own(() => list.change_(id, { mode: 'edit', draft_: body }, `talkback-editor-${id}`)),
    confirm_: (id) => own(() => list.change_(id, { mode: 'confirm' }, `talkback-no-${id}`)),
    // Only drawn in edit or confirm mode, which edit_ and confirm_ set once the chunk is in.
    editor_: (entry, ui) => (actions as OwnActions).editor_(entry, ui),
    confirmTools_: (entry, ui) => (actions as OwnActions).confirmTools_(entry, ui),
    link: (id, button) =>
      withChunk(linkChunk, list.panel.status, ({ copyLink }) => copyLink(list, id, button)),
  };
}

/** Draws the thread from the list's state; timed to draw again when an edit window closes. */
function renderer(list: ListContext, item: ItemContext) {
  const { state, panel } = list;
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
    const closes = list.own_?.nextClose_();
    if (!closes) return;
    const redraw = () => {
      list.own_?.refresh(state);
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
  list.own_?.remember_(created);
  const entry: Listed = { comment, pending: created.status === 'pending', copy_: true };
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
