/**
 * <talkback-thread article="slug" api="https://..." page-size="50">: reactions, the comment
 * list and the reply form for one article, inside an open shadow root so the page's styles and
 * the widget's stay apart. Every piece of API data is put in the DOM as text.
 *
 * Single-page apps: changing `article` (or `api`, `page-size`) shows the new thread, `refresh()`
 * loads the current one again, and removing the element stops it. A signed-in reader's token is
 * the `reader-token` attribute, or `setReaderToken(token)` (null signs out): the form follows it
 * without loading the thread again (docs/readers.md). Each view has its own API
 * client on its own AbortController, so an answer for an article no longer shown is dropped.
 */
import { type Api, createApi, type Reactions, type Thread } from '../shared/api';
import { h } from '../shared/dom';
import { ownHere, ownVote, visitorId } from '../shared/storage';
import { commentList, permalinkTarget } from './comment-list';
import { direction, languageOf, loadStrings } from './locale';
import { linkChunk, prefetch, withChunk, writeChunk } from './on-demand';
import { reactionBar } from './reactions';
import { linkTarget } from './rich-text';
import { base, defaultApi } from './script';
import { strings, useStrings } from './strings';
import { followTheme } from './theme';

/**
 * The stylesheet (talkback.css) and the language files sit next to the script (`base`). A <link>
 * to the sheet is allowed under a strict Content-Security-Policy (`style-src` of the script's
 * host) without 'unsafe-inline', and keeps the styles out of the script's bytes.
 */
export function threadElement() {
  return class TalkbackThread extends HTMLElement {
    static observedAttributes = ['article', 'api', 'page-size', 'reader-token'];
    #view?: AbortController;
    #styled?: Promise<unknown>;
    /** The form's, once drawn: shows it for the reader the token now names. */
    #reader?: (token?: string) => void;

    /** The site's token for its signed-in reader, sent with each comment; null signs out. */
    setReaderToken(token: string | null) {
      if (token) this.setAttribute('reader-token', token);
      else this.removeAttribute('reader-token');
    }

    connectedCallback() {
      this.refresh();
    }

    disconnectedCallback() {
      this.#view?.abort();
      this.#view = undefined;
    }

    attributeChangedCallback(name: string) {
      if (name === 'reader-token') this.#reader?.(this.#token());
      else if (this.#view) this.refresh();
    }

    #token = () => this.getAttribute('reader-token') || undefined;

    /** Loads the thread again from the API, dropping anything still loading for the last view. */
    refresh() {
      this.#view?.abort();
      const view = new AbortController();
      this.#view = view;
      let root = this.shadowRoot;
      if (!root) {
        root = this.attachShadow({ mode: 'open' });
        const sheet = h('link', { rel: 'stylesheet', href: new URL('talkback.css', base).href });
        this.#styled = new Promise((done) => {
          sheet.onload = sheet.onerror = done;
        });
        root.append(sheet);
      }
      const article = this.getAttribute('article') ?? '';
      const api = createApi(this.getAttribute('api') || defaultApi, view.signal);
      const pageSize = Number(this.getAttribute('page-size')) || undefined;
      const status = h('p', { class: 'status', role: 'status' });
      const box = h('div', { class: 'talkback' }, status);
      root.querySelector('.talkback')?.remove();
      root.append(box);
      followTheme(this, box, view.signal);
      linkTarget.value = this.getAttribute('link-target') ?? '';
      // Hidden until the stylesheet is in (or failed): no flash of unstyled text.
      box.hidden = true;
      this.#styled?.then(() => {
        box.hidden = false;
      });
      const load = () => {
        const visitor = visitorId();
        // The form's chunk is asked for now, beside the thread, not once the thread is drawn: it
        // is in by the time the reader reaches the form. A browser that wrote here needs it to
        // draw the thread (its own comments), so the thread waits for it there only.
        const write = writeChunk().catch(() => undefined);
        // One request a view: the thread, the same answer for every reader (a CDN keeps it);
        // the language file, when not English, comes alongside (once per page).
        Promise.all([
          api.thread(article, { limit: pageSize }),
          loadStrings(languageOf(this), base),
          ownHere(article) ? write : undefined,
        ]).then(
          ([thread, text, own]) => {
            if (view.signal.aborted) return;
            useStrings(text);
            box.lang = text.lang;
            box.dir = direction(text.lang);
            status.remove();
            const [elements, list] = parts(
              {
                api,
                article,
                pageSize,
                visitor,
                view,
                own,
                token_: this.#token,
                reader_: (follow) => {
                  this.#reader = follow;
                },
              },
              thread,
              reactionsOf(thread, ownVote(article)),
            );
            box.append(...elements);
            // A permalink scrolls once the thread is in the page and shown (its styles in).
            this.#styled?.then(() => {
              if (!view.signal.aborted) list.reveal_();
            });
          },
          () => {
            if (!view.signal.aborted) status.textContent = strings.loadFailed;
          },
        );
      };
      whenNear(this, load, view.signal);
    }
  };
}

/**
 * Runs `load` once the element is about to scroll into view (a generous margin, so the footer
 * is ready when the reader gets there), or at once where IntersectionObserver is missing. A
 * reader who leaves before the footer comes near costs no request. A permalink loads at once.
 */
function whenNear(element: Element, load: () => void, signal: AbortSignal): void {
  // A permalink (#comment-<id>) is to be shown at once, wherever the thread is on the page.
  if (typeof IntersectionObserver === 'undefined' || permalinkTarget()) {
    if (permalinkTarget()) prefetch(linkChunk);
    load();
    return;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      load();
    },
    { rootMargin: '800px 0px' },
  );
  observer.observe(element);
  // A view replaced or removed before it came near never loads.
  signal.addEventListener('abort', () => observer.disconnect());
}

/** The thread's reactions, with the visitor's own vote as this browser remembers it. */
function reactionsOf(thread: Thread, mine: string | null): Reactions {
  const counts: Record<string, number> = {};
  for (const { key, count } of thread.reactions) counts[key] = count;
  // A remembered vote the tally has not counted yet still shows as counted.
  if (mine !== null && (counts[mine] ?? 0) === 0) counts[mine] = 1;
  return { counts, total: Math.max(thread.reactionTotal, mine === null ? 0 : 1), mine };
}

interface ThreadView {
  api: Api;
  article: string;
  pageSize: number | undefined;
  visitor: string;
  view: AbortController;
  own: typeof import('./write') | undefined;
  /** The signed-in reader's token, and where the form says how to follow its changes. */
  token_(): string | undefined;
  reader_(follow: (token?: string) => void): void;
}

/**
 * The thread's three parts, in page order, once the first answers are in. The thread is the
 * configuration (reactions, limits, edit window) and the first page alike. On an article a
 * moderator closed, a note stands where the form would, and no comment offers Reply.
 */
function parts(view: ThreadView, thread: Thread, reactions: Reactions) {
  const { api, article, pageSize, visitor, own } = view;
  const list = commentList(api, article, pageSize, thread, thread, view.view.signal, own);
  const bar = reactionBar(api, article, visitor, thread, reactions);
  if (!thread.open) {
    list.element.classList.add('closed');
    return [[bar, list.element, h('p', { class: 'note' }, strings.closed)], list] as const;
  }
  // The form comes in the write chunk, asked for as the footer came near.
  const slot = h('section', { class: 'reply' });
  withChunk(writeChunk, slot, ({ replyForm }) => {
    const form = replyForm(api, article, thread, list.add, view.token_());
    view.reader_(form.reader_);
    list.onReply = form.replyTo;
    slot.replaceWith(form.element);
  });
  return [[bar, list.element, slot], list] as const;
}
