/**
 * Permalinks: every comment is `#comment-<id>` on the article's page. Opening one (or changing
 * the hash to one) pages through the thread until the comment is in, then opens the list,
 * highlights the comment, scrolls to it and focuses it, so a screen reader starts there too.
 * A chunk of its own, loaded by a permalink or the first Link (prefetched when the list opens).
 */
import { h, strings } from './core';
import type { ListContext } from './thread-state';

/** How many further pages a permalink may load before giving up: a bound on requests. */
const MAX_PAGES = 20;

export function revealer(list: ListContext, load: (restart: boolean) => Promise<void>) {
  const { state } = list;
  const known = (id: string) =>
    [...state.listed_, ...state.pending].some((entry) => entry.comment.id === id);
  return async (id: string) => {
    for (let pages = 0; !known(id) && state.cursor && pages < MAX_PAGES; pages++) {
      const cursor = state.cursor;
      await load(false);
      // A page that failed to load leaves the cursor where it was: no point asking again.
      if (state.cursor === cursor) return;
    }
    if (!known(id)) return;
    state.open = true;
    state.target = id;
    list.render_(`comment-${id}`);
    list.panel.thread_.querySelector(`#comment-${id}`)?.scrollIntoView({ block: 'center' });
  };
}

/**
 * Link: copies the comment's permalink and says so; where the clipboard is out of reach (no
 * permission, an insecure page), the link is shown in a selected field to copy by hand.
 */
export function copyLink(list: ListContext, id: string, button: HTMLButtonElement): void {
  const url = `${location.href.replace(/#.*/, '')}#comment-${id}`;
  const status = list.panel.status;
  (async () => navigator.clipboard.writeText(url))().then(
    () => {
      status.textContent = strings.linkCopied;
    },
    () => {
      const field = h('input', { readonly: true, class: 'permalink', 'aria-label': strings.link });
      field.value = url;
      button.after(field);
      field.select();
      field.focus();
    },
  );
}
