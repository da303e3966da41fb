/**
 * <talkback-thread article="slug" api="https://..." page-size="50">: reactions, the comment
 * list and the reply form for one article, inside an open shadow root so the page's styles and
 * the widget's stay apart. Every piece of API data is put in the DOM as text.
 */
import { type Api, type Comment, type CommentPage, createApi, type Order } from './api';
import { h, safeHttpUrl, uniqueId } from './dom';
import { replyForm } from './form';
import { reactionBar } from './reactions';
import { visitorId } from './storage';
import { strings } from './strings';
import css from './styles.css';

interface Listed {
  comment: Comment;
  pending: boolean;
}

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
          const list = commentList(api, article, pageSize, page);
          const form = replyForm(api, article, config.limits, (created) =>
            list.add(created.comment, created.status === 'pending'),
          );
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

function commentList(api: Api, article: string, pageSize: number | undefined, first: CommentPage) {
  let count = first.commentCount;
  let cursor = first.nextCursor;
  let order: Order = 'oldest';
  let open = false;
  let listed: Listed[] = first.comments.map((comment) => ({ comment, pending: false }));
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
        h('p', { class: 'body' }, comment.body),
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
      ),
      replies.length > 0 &&
        h(
          'ol',
          { class: 'replies' },
          ...replies.map((reply) => item(reply, children.get(reply.comment.id) ?? [], children)),
        ),
    );
  };

  const render = () => {
    const ids = new Set(listed.map((entry) => entry.comment.id));
    const children = new Map<string, Listed[]>();
    const roots: Listed[] = [];
    for (const entry of listed) {
      const parentId = entry.comment.parentId;
      // A reply whose parent is not loaded (yet) stands on its own until the parent arrives.
      if (parentId && ids.has(parentId))
        children.set(parentId, [...(children.get(parentId) ?? []), entry]);
      else roots.push(entry);
    }
    thread.replaceChildren(
      ...roots.map((entry) => item(entry, children.get(entry.comment.id) ?? [], children)),
    );
    empty.hidden = listed.length > 0;
    more.hidden = cursor === null;
    setOpen(open);
    counter.textContent = strings.viewComments(count);
    showCount(article, count);
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
    add(comment: Comment, pending: boolean) {
      const entry = { comment, pending };
      listed = order === 'newest' && !comment.parentId ? [entry, ...listed] : [...listed, entry];
      if (!pending) count++;
      open = true;
      render();
      thread
        .querySelector(`#talkback-comment-${CSS.escape(comment.id)}`)
        ?.scrollIntoView({ block: 'nearest' });
    },
  };
  render();
  return list;
}
