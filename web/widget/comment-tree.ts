import type { Order } from '../shared/api';
import type { Listed } from './thread-state';

/**
 * The thread as shown: the published comments loaded so far and the author's own awaiting
 * moderation, each of those where its time puts it in the order (after the pinned comments; at
 * the end when the order puts it after all loaded), as top-level comments and the replies of each.
 */
export function commentTree(listed: Listed[], pending: Listed[], order: Order) {
  const shown = [...listed];
  for (const entry of pending) {
    // Before the first unpinned comment that the order puts after it.
    const at = shown.findIndex(
      ({ comment }) =>
        !comment.pinned && comment.createdAt > entry.comment.createdAt !== (order === 'newest'),
    );
    shown.splice(at < 0 ? shown.length : at, 0, entry);
  }
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
  return { shown, roots, children };
}
