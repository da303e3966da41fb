/**
 * The parts of the widget a reader who only reads never needs, each in its own chunk
 * (web/build.ts: esbuild code splitting), imported on the first interaction that needs it and
 * prefetched when one is likely (the form as soon as the thread is drawn; editing when the
 * thread holds a comment of this browser's). import() resolves against the importing chunk's
 * own URL, so every chunk comes from the script's host. A part that fails to load (offline, a
 * blocked URL) says so where it would have been, with a Retry.
 *
 * A new feature (sign-in, likes, reports) joins as one more line here and a `withChunk` call
 * where its first interaction is; web/build.ts gives its chunk a budget.
 */
import { h } from '../shared/dom';
import { strings } from './strings';

/** The chunk's import, shared by every caller; after a failure the next call asks again. */
function onDemand<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** "Leave a Reply": the form, its checks and the notify box. */
export const formChunk = onDemand(() => import('./reply-form'));
/** Editing and deleting the visitor's own comments. */
export const ownChunk = onDemand(() => import('./own-actions'));
/** Load more, and the list in another order. */
export const pagingChunk = onDemand(() => import('./paging'));
/** Permalinks (#comment-<id>) and the Link button. */
export const linkChunk = onDemand(() => import('./deep-link'));

/** Starts loading a chunk that will likely be wanted; a failure is met when it is. */
export function prefetch(chunk: () => Promise<unknown>): void {
  chunk().catch(() => {});
}

/**
 * Runs `use` with the chunk once it is in. If it cannot be had, `where` shows a short message
 * and a Retry button that tries again (and then runs `use`); `where` is cleared on success.
 */
export function withChunk<T>(
  chunk: () => Promise<T>,
  where: HTMLElement,
  use: (module: T) => void | Promise<void>,
): Promise<void> {
  return chunk().then(
    (module) => {
      if (where.dataset.failed) {
        where.replaceChildren();
        delete where.dataset.failed;
      }
      return use(module);
    },
    () => {
      const retry = h(
        'button',
        { type: 'button', class: 'link', onclick: () => withChunk(chunk, where, use) },
        strings.retry,
      );
      where.dataset.failed = 'true';
      where.replaceChildren(`${strings.partFailed} `, retry);
    },
  );
}
