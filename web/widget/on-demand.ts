/**
 * The parts of the widget a reader who only reads never needs, each a chunk (web/widget-build.ts)
 * imported on the first interaction that needs it, or prefetched when one is likely: the form as
 * the footer comes near; editing with the thread in a browser that wrote on the article. Chunks
 * come from next to talkback.js (so under a strict policy `script-src` of its host covers them),
 * by the content-hashed names the build writes in here. A chunk that fails to load (offline, a
 * blocked URL) says so where its part would be, with a Retry.
 *
 * A new feature (likes, reports) joins as a module of its own, one line here and a `withChunk`
 * call where its first interaction is; web/widget-build.ts gives it a budget. (Sign-in's form
 * is part of write's.)
 */

import { h } from '../shared/dom';
import * as core from './core';
import { base } from './script';
import { strings } from './strings';

/** Each chunk's file under talkback.js's folder, by its module's name: written by the build. */
declare const TALKBACK_CHUNKS: Record<string, string>;

/** A chunk as imported: its module's exports, and how it takes the first view's (core.ts). */
type Chunk<T> = T & { bind(first: typeof core): void };

/**
 * The chunk's import, shared by every caller. The browser remembers a module that failed to load
 * by its URL and would fail every later import() of it at once, so after a failure the next call
 * asks for it again under a URL of its own (`?retry=1`, `?retry=2`: a query the CDN and the local
 * server ignore).
 */
function onDemand<T>(name: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  let failures = 0;
  return () => {
    const url = new URL(TALKBACK_CHUNKS[name] as string, base);
    if (failures > 0) url.search = `retry=${failures}`;
    loading ??= (import(url.href) as Promise<Chunk<T>>).then(
      (chunk) => {
        chunk.bind(core);
        return chunk;
      },
      (error: unknown) => {
        loading = undefined;
        failures++;
        throw error;
      },
    );
    return loading;
  };
}

/** "Leave a Reply" (the form, its checks, the notify box), and editing and deleting one's own. */
export const writeChunk = onDemand<typeof import('./write')>('write');
/** Load more, and the list in another order. */
export const pagingChunk = onDemand<typeof import('./paging')>('paging');
/** Permalinks (#comment-<id>) and the Link button. */
export const linkChunk = onDemand<typeof import('./deep-link')>('deep-link');

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
