import type { Order } from '../shared/api';
import type { Listed } from './thread-state';

/**
 * The thread as shown: the published comments loaded so far and the author's own awaiting
 * moderation (at the end, or at the start when newest come first), as top-level comments and
 * the replies of each.
 */
export function commentTree(listed: Listed[], pending: Listed[], order: Order) {
  const shown = order === 'newest' ? [...pending].reverse().concat(listed) : listed.concat(pending);
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
