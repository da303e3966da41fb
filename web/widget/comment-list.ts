/**
 * The comment list: behind the View Comments toggle, the Editor's Picks and its first page, then
 * paging and order (paging.ts), each comment (comment-item.ts), likes (likes.ts), reports
 * (report.ts), the visitor's own comments (own-comments.ts, own-actions.ts), and the page's count
 * snippets kept in step with it.
 */

import { showCount } from '../count/counts';
import type { Api, Comment, CommentPage, Config, Created } from '../shared/api';
import { h } from '../shared/dom';
import { commentItem, type ItemContext, pickItem } from './comment-item';
import { commentTree } from './comment-tree';
import { dateFormatter } from './dates';
import { focusIn, listPanel, showPanel } from './list-panel';
import {
  likesChunk,
  linkChunk,
  pagingChunk,
  prefetch,
  reportChunk,
  withChunk,
  writeChunk,
} from './on-demand';
import type { OwnActions } from './own-actions';
import type { Pager } from './paging';
import type { ReportForms } from './report';
import { strings } from './strings';
import type { ListContext, ListState, OwnUi } from './thread-state';

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
  own: typeof import('./write') | undefined,
  /** The signed-in reader's token, if any. */
  token: () => string | undefined,
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
      // Like and Link are one click away now.
      prefetch(likesChunk);
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
    token_: token,
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
  const item = itemContext(list, (comment) => result.onReply(comment));
  const render = renderer(list, item);
  const picks = first.featured ?? [];
  if (picks[0]) {
    panel.thread_.before(
      h(
        'section',
        { class: 'picks' },
        h('h3', {}, strings.editorsPicks),
        h('ol', { class: 'picks-list' }, ...picks.map((comment) => pickItem(comment, item.dates_))),
      ),
    );
  }
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
      withChunk(writeChunk, panel.status, ({ ownComments, showPosted }) => {
        list.own_ ??= ownComments(article, windowMs);
        showPosted(list, created);
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
  let reports: ReportForms | undefined;
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
    like_: (comment) => withChunk(likesChunk, list.panel.status, ({ like }) => like(list, comment)),
    report_: ({ id }) =>
      withChunk(reportChunk, list.panel.status, ({ reportForms }) => {
        reports ??= reportForms(list);
        reports.open_(id);
      }),
    // Only drawn in report mode, which report_ sets once the chunk is in.
    reportForm_: (comment) => (reports as ReportForms).form_(comment),
  };
}

/** Draws the thread from the list's state; the own comments' module times it to draw again. */
function renderer(list: ListContext, item: ItemContext) {
  const { state, panel } = list;
  const render = (focus?: string) => {
    const shown = list.own_?.shown_(state) ?? state.listed_;
    const { roots, children } = commentTree(shown);
    panel.thread_.replaceChildren(...roots.map((entry) => commentItem(entry, children, item)));
    panel.empty_.hidden = shown.length > 0;
    panel.more_.hidden = state.cursor === null;
    showPanel(panel, state.open, state.count);
    panel.counter_.textContent = strings.viewComments(state.count);
    showCount(list.article, state.count);
    if (state.target)
      panel.thread_.querySelector(`#comment-${state.target}`)?.classList.add('target');
    if (focus) focusIn(panel.thread_, focus);
    list.own_?.schedule_(state, render);
  };
  return render;
}
