/**
 * <talkback-thread article="slug" api="https://..." page-size="50">: reactions, the comment
 * list and the reply form for one article, inside an open shadow root so the page's styles and
 * the widget's stay apart. Every piece of API data is put in the DOM as text.
 */
import { type Api, type CommentPage, type Config, createApi, type Reactions } from '../shared/api';
import { h } from '../shared/dom';
import { visitorId } from '../shared/storage';
import { commentList } from './comment-list';
import { reactionBar } from './reactions';
import { replyForm } from './reply-form';
import { strings } from './strings';
import css from './styles.css';

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
          box.append(...parts({ api, article, pageSize, visitor }, config, reactions, page));
        },
        () => {
          status.textContent = strings.loadFailed;
        },
      );
    }
  };
}

interface Thread {
  api: Api;
  article: string;
  pageSize: number | undefined;
  visitor: string;
}

/** The thread's three parts, in page order, once the first answers are in. */
function parts(thread: Thread, config: Config, reactions: Reactions, page: CommentPage) {
  const { api, article, pageSize, visitor } = thread;
  const list = commentList(api, article, pageSize, page, config);
  const form = replyForm(api, article, config.limits, list.add);
  list.onReply = form.replyTo;
  return [reactionBar(api, article, visitor, config, reactions), list.element, form.element];
}
