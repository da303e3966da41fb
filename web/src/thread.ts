/**
 * <talkback-thread article="slug" api="https://..." page-size="50">: reactions, the comment
 * list and the reply form for one article, inside an open shadow root so the page's styles and
 * the widget's stay apart. Every piece of API data is put in the DOM as text.
 *
 * The visitor's own comments (from this browser's edit tokens) offer Edit and Delete while the
 * edit window lasts; those awaiting moderation are shown to their author alone.
 */
import {
  type Api,
  ApiError,
  type Comment,
  type CommentPage,
  type Config,
  type Created,
  createApi,
  type Order,
} from './api';
import { h, safeHttpUrl, uniqueId } from './dom';
import { replyForm } from './form';
import { reactionBar } from './reactions';
import { type OwnComment, ownCommentsOf, rememberOwn, updateOwn, visitorId } from './storage';
import { strings } from './strings';
import css from './styles.css';
import { checkBody } from './validate';

interface Listed {
  comment: Comment;
  pending: boolean;
}

/** What an own comment shows besides itself: its editor, a delete question, a message. */
interface OwnUi {
  mode?: 'edit' | 'confirm';
  draft?: string;
  error?: string;
  notice?: string;
}

/** The API's default when GET /config does not say (the contract: 15 minutes, configurable). */
const EDIT_WINDOW_MINUTES = 15;

/** Updates the page's count snippets for this article, so they agree with the thread. */
function showCount(article: string, count: number) {
  for (const span of document.querySelectorAll(`[data-talkback-count="${CSS.escape(article)}"]`)) {
    span.textContent = String(count);
  }
}

export function threadElement(defaultApi: string) {
  return class TalkbackThread extends HTMLElement {
    #started = false;

    connectedCallback() {
      if (this.#started) return;
      this.#started = true;
      const root = this.attachShadow({ mode: 'open' });
      root.append(h('style', {}, css));
      const article = this.getAttribute('article') ?? '';
      const api = createApi(this.getAttribute('api') || defaultApi);
      const pageSize = Number(this.getAttribute('page-size')) || undefined;
      const status = h('p', { class: 'status', role: 'status' });
      const box = h('div', { class: 'talkback' }, status);
      root.append(box);
      const visitor = visitorId();
      Promise.all([
        api.config(),
        api.reactions(article, visitor),
        api.comments(article, { limit: pageSize, order: 'oldest' }),
      ]).then(
        ([config, reactions, page]) => {
          status.remove();
          const list = commentList(api, article, pageSize, page, config);
          const form = replyForm(api, article, config.limits, list.add);
          list.onReply = form.replyTo;
          box.append(
            reactionBar(api, article, visitor, config, reactions),
            list.element,
            form.element,
          );
        },
        () => {
          status.textContent = strings.loadFailed;
        },
      );
    }
  };
}

function commentList(
  api: Api,
  article: string,
  pageSize: number | undefined,
  first: CommentPage,
  config: Config,
) {
  let count = first.commentCount;
  let cursor = first.nextCursor;
  let order: Order = 'oldest';
  let open = false;
  let listed: Listed[] = first.comments.map((comment) => ({ comment, pending: false }));
  const windowMs = (config.moderation?.editWindowMinutes || EDIT_WINDOW_MINUTES) * 60_000;
  let own = new Map<string, OwnComment>();
  // The author's comments awaiting moderation: in no public list, kept in this browser only.
  let pending: Listed[] = [];
  const ui = new Map<string, OwnUi>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const dates = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  const panelId = uniqueId('comments');
  const toggle = h('button', {
    type: 'button',
    class: 'toggle',
    'aria-expanded': 'false',
    'aria-controls': panelId,
    onclick: () => setOpen(!open),
  });
  const counter = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
  const thread = h('ol', { class: 'thread' });
  const empty = h('p', { class: 'empty' }, strings.noComments);
  const status = h('p', { class: 'status', role: 'status' });
  const more = h(
    'button',
    { type: 'button', class: 'more', onclick: () => load(false) },
    strings.loadMore,
  );
  const sort = h(
    'select',
    {
      onchange: () => {
        order = sort.value as Order;
        load(true);
      },
    },
    h('option', { value: 'oldest' }, strings.oldest),
    h('option', { value: 'newest' }, strings.newest),
  );
  const panel = h(
    'div',
    { id: panelId, class: 'panel', hidden: true },
    h('p', { class: 'order' }, h('label', {}, `${strings.order} `, sort)),
    thread,
    empty,
    more,
    status,
  );

  const setOpen = (value: boolean) => {
    open = value;
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = (open ? strings.hideComments : strings.viewComments)(count);
  };

  const item = (
    entry: Listed,
    replies: Listed[],
    children: Map<string, Listed[]>,
  ): HTMLLIElement => {
    const { comment } = entry;
    const state = ui.get(comment.id) ?? {};
    const mine = editable(comment.id);
    const link = safeHttpUrl(comment.author.website);
    const author = link
      ? h(
          'a',
          { href: link, rel: 'nofollow ugc noopener', target: '_blank', class: 'author' },
          comment.author.name,
        )
      : h('strong', { class: 'author' }, comment.author.name);
    return h(
      'li',
      { class: 'comment', id: `talkback-comment-${comment.id}`, tabindex: '-1' },
      h(
        'article',
        { 'aria-label': comment.author.name },
        h(
          'p',
          { class: 'meta' },
          author,
          ' ',
          h('time', { datetime: comment.createdAt }, dates.format(new Date(comment.createdAt))),
          comment.editedAt && h('span', { class: 'edited' }, ` (${strings.edited})`),
        ),
        entry.pending && h('p', { class: 'awaiting' }, strings.awaitingModeration),
        state.mode === 'edit' ? editor(entry, state) : h('p', { class: 'body' }, comment.body),
        state.notice && h('p', { class: 'notice' }, state.notice),
        state.mode === 'confirm'
          ? h(
              'p',
              { class: 'tools confirm' },
              `${strings.confirmDelete} `,
              button(`talkback-yes-${comment.id}`, strings.yes, () => remove(entry)),
              button(`talkback-no-${comment.id}`, strings.no, () =>
                change(comment.id, {}, `talkback-delete-${comment.id}`),
              ),
              state.error && h('span', { class: 'error' }, state.error),
            )
          : h(
              'p',
              { class: 'tools' },
              !entry.pending &&
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link reply-link',
                    id: `talkback-reply-${comment.id}`,
                    'aria-label': strings.replyTo(comment.author.name),
                    onclick: () => list.onReply(comment),
                  },
                  strings.reply,
                ),
              mine &&
                state.mode !== 'edit' &&
                button(`talkback-edit-${comment.id}`, strings.edit, () =>
                  change(
                    comment.id,
                    { mode: 'edit', draft: comment.body },
                    `talkback-editor-${comment.id}`,
                  ),
                ),
              mine &&
                state.mode !== 'edit' &&
                button(`talkback-delete-${comment.id}`, strings.delete, () =>
                  change(comment.id, { mode: 'confirm' }, `talkback-no-${comment.id}`),
                ),
            ),
      ),
      replies.length > 0 &&
        h(
          'ol',
          { class: 'replies' },
          ...replies.map((reply) => item(reply, children.get(reply.comment.id) ?? [], children)),
        ),
    );
  };

  const render = (focus?: string) => {
    const published = new Set(listed.map((entry) => entry.comment.id));
    pending = pending.filter((entry) => !published.has(entry.comment.id));
    const shown =
      order === 'newest' ? [...pending].reverse().concat(listed) : listed.concat(pending);
    const ids = new Set(shown.map((entry) => entry.comment.id));
    const children = new Map<string, Listed[]>();
    const roots: Listed[] = [];
    for (const entry of shown) {
      const parentId = entry.comment.parentId;
      // A reply whose parent is not loaded (yet) stands on its own until the parent arrives.
      if (parentId && ids.has(parentId))
        children.set(parentId, [...(children.get(parentId) ?? []), entry]);
      else roots.push(entry);
    }
    thread.replaceChildren(
      ...roots.map((entry) => item(entry, children.get(entry.comment.id) ?? [], children)),
    );
    empty.hidden = shown.length > 0;
    more.hidden = cursor === null;
    setOpen(open);
    counter.textContent = strings.viewComments(count);
    showCount(article, count);
    if (focus) thread.querySelector<HTMLElement>(`#${CSS.escape(focus)}`)?.focus();
    // The links go when the window closes, without waiting for the next click.
    clearTimeout(timer);
    const closes = [...own.values()]
      .filter((entry) => entry.token)
      .map((entry) => Date.parse(entry.createdAt) + windowMs);
    if (closes.length > 0) {
      timer = setTimeout(
        () => {
          refreshOwn();
          render();
        },
        Math.max(0, Math.min(...closes) - Date.now()) + 100,
      );
    }
  };

  /** Reads this article's own comments again, forgetting tokens whose window has closed. */
  const refreshOwn = () => {
    own = new Map(ownCommentsOf(article, windowMs).map((entry) => [entry.id, entry]));
    const known = new Set([...listed, ...pending].map((entry) => entry.comment.id));
    for (const entry of own.values()) {
      if (entry.pending && !known.has(entry.id)) {
        pending.push({ comment: entry.pending, pending: true });
      }
    }
    // Published since: the author's copy is no longer needed.
    for (const entry of listed) {
      if (own.get(entry.comment.id)?.pending) updateOwn(entry.comment.id, { pending: undefined });
    }
  };

  const editable = (id: string) => {
    const entry = own.get(id);
    return !!entry?.token && Date.now() < Date.parse(entry.createdAt) + windowMs;
  };

  const button = (id: string, label: string, onclick: () => void) =>
    h('button', { type: 'button', class: 'link', id, onclick }, label);

  const change = (id: string, state: OwnUi, focus?: string) => {
    ui.set(id, state);
    render(focus);
  };

  /** A 401 or 403: the token is wrong or its window has closed, so it is no use any more. */
  const refused = (id: string, error: unknown) => {
    if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) {
      return false;
    }
    updateOwn(id, { token: undefined });
    own.delete(id);
    change(id, { notice: strings.cannotEdit }, `talkback-comment-${id}`);
    return true;
  };

  const replace = (comment: Comment) => {
    for (const entry of [...listed, ...pending]) {
      if (entry.comment.id === comment.id) entry.comment = comment;
    }
    if (own.get(comment.id)?.pending) updateOwn(comment.id, { pending: comment });
  };

  const editor = (entry: Listed, state: OwnUi) => {
    const { id } = entry.comment;
    const errorId = `talkback-edit-error-${id}`;
    const text = h('textarea', {
      id: `talkback-editor-${id}`,
      rows: '4',
      oninput: () => {
        state.draft = text.value;
      },
    });
    text.value = state.draft ?? entry.comment.body;
    if (state.error) {
      text.setAttribute('aria-invalid', 'true');
      text.setAttribute('aria-describedby', errorId);
    }
    const save = h('button', { type: 'submit', class: 'submit' }, strings.save);
    return h(
      'form',
      {
        class: 'editor',
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          const body = text.value.trim();
          const token = own.get(id)?.token;
          const problem = checkBody(body, config.limits, { body });
          if (problem || !token) {
            if (!token) refused(id, new ApiError(401, '', []));
            else
              change(
                id,
                { ...state, error: strings.fieldError(strings.comment, problem ?? '') },
                text.id,
              );
            return;
          }
          save.disabled = true;
          save.textContent = strings.saving;
          try {
            replace((await api.edit(id, token, body)).comment);
            change(id, {}, `talkback-comment-${id}`);
          } catch (error) {
            if (refused(id, error)) return;
            const field = error instanceof ApiError && error.errors.find((e) => e.field === 'body');
            change(
              id,
              {
                ...state,
                error: field
                  ? strings.fieldError(strings.comment, field.message)
                  : (error instanceof ApiError && error.detail) || strings.failed,
              },
              text.id,
            );
          }
        },
      },
      h('label', { for: text.id, class: 'visually-hidden' }, strings.editLabel),
      text,
      state.error && h('span', { class: 'error', id: errorId }, state.error),
      h(
        'p',
        { class: 'tools' },
        save,
        button(`talkback-cancel-${id}`, strings.cancel, () =>
          change(id, {}, `talkback-edit-${id}`),
        ),
      ),
    );
  };

  const remove = async (entry: Listed) => {
    const { id } = entry.comment;
    const token = own.get(id)?.token;
    try {
      if (!token) throw new ApiError(401, '', []);
      await api.remove(id, token);
    } catch (error) {
      // Already gone (a moderator was quicker) is as good as deleted.
      if (!(error instanceof ApiError && error.status === 404)) {
        if (!refused(id, error)) {
          change(id, { mode: 'confirm', error: strings.failed }, `talkback-yes-${id}`);
        }
        return;
      }
    }
    updateOwn(id, { token: undefined, pending: undefined });
    own.delete(id);
    ui.delete(id);
    if (listed.includes(entry)) count = Math.max(0, count - 1);
    listed = listed.filter((other) => other !== entry);
    pending = pending.filter((other) => other !== entry);
    status.textContent = strings.deleted;
    render();
    toggle.focus();
  };

  const load = async (restart: boolean) => {
    more.disabled = true;
    try {
      const page = await api.comments(article, {
        limit: pageSize,
        order,
        cursor: restart ? null : cursor,
      });
      const known = new Set(restart ? [] : listed.map((entry) => entry.comment.id));
      const added = page.comments.filter((comment) => !known.has(comment.id));
      listed = [
        ...(restart ? [] : listed),
        ...added.map((comment) => ({ comment, pending: false })),
      ];
      count = page.commentCount;
      cursor = page.nextCursor;
      status.textContent = '';
      refreshOwn();
      render();
      if (!restart && cursor === null && added[0]) {
        thread.querySelector<HTMLElement>(`#talkback-comment-${CSS.escape(added[0].id)}`)?.focus();
      }
    } catch {
      status.textContent = strings.loadFailed;
    } finally {
      more.disabled = false;
    }
  };

  const list = {
    element: h('section', { class: 'comments' }, toggle, counter, panel),
    onReply: (_comment: Comment) => {},
    add({ comment, status: posted, editToken }: Created) {
      const held = posted === 'pending';
      if (editToken || held) {
        const entry: OwnComment = { id: comment.id, article, createdAt: comment.createdAt };
        if (editToken) entry.token = editToken;
        if (held) entry.pending = comment;
        rememberOwn(entry);
        own.set(comment.id, entry);
      }
      const entry = { comment, pending: held };
      if (held) pending.push(entry);
      else {
        listed = order === 'newest' && !comment.parentId ? [entry, ...listed] : [...listed, entry];
        count++;
      }
      open = true;
      render();
      thread
        .querySelector(`#talkback-comment-${CSS.escape(comment.id)}`)
        ?.scrollIntoView({ block: 'nearest' });
    },
  };
  refreshOwn();
  render();
  return list;
}
