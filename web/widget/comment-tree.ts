import type { Listed } from './thread-state';

/**
 * The thread as shown (the published comments loaded so far, with the author's own awaiting
 * moderation where own-comments.ts placed them) as top-level comments and the replies of each.
 */
export function commentTree(shown: Listed[]) {
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
  return { roots, children };
}
