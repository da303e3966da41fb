import type { Comment } from '../shared/api';
import { OWN_KEY, read, write } from './core';

/**
 * One of the visitor's own comments: its edit token while the edit window lasts, and, while it
 * awaits moderation, the comment itself (public fields only), so its author still sees it after
 * a reload. Nobody else does: it is in no public list until a moderator publishes it.
 */
export interface OwnComment {
  id: string;
  article: string;
  createdAt: string;
  token?: string;
  pending?: Comment;
  /**
   * What this browser last wrote of a published comment (posted or edited), or that it deleted
   * it, and when (epoch ms): shown over a thread a cache served from before, until the thread
   * shows it (own-comments.ts).
   */
  written?: Comment;
  deleted?: true;
  at?: number;
}

/** How long a comment awaiting moderation is shown to its author, at most. */
const PENDING_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * How long a write is kept over what the thread shows: far longer than any cache serves a
 * thread from before it (max-age=5, stale-while-revalidate=30, docs/api.md).
 */
const WRITE_MS = 10 * 60 * 1000;

/** Whether an entry still has something to keep. */
const kept = (own: OwnComment, now = Date.now()) =>
  own.token || own.pending || ((own.written || own.deleted) && now < (own.at ?? 0) + WRITE_MS);

function ownComments(): OwnComment[] {
  try {
    const value = JSON.parse(read(OWN_KEY) ?? '[]');
    return Array.isArray(value)
      ? value.filter(
          (own) =>
            own &&
            typeof own.id === 'string' &&
            typeof own.article === 'string' &&
            typeof own.createdAt === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function saveOwn(list: OwnComment[]): void {
  write(OWN_KEY, list.length > 0 ? JSON.stringify(list) : null);
}

/**
 * This article's own comments, after forgetting every token whose window (from the comment's
 * createdAt) has closed and every entry left with nothing to keep.
 */
export function ownCommentsOf(article: string, windowMs: number): OwnComment[] {
  const now = Date.now();
  const keep: OwnComment[] = [];
  for (const own of ownComments()) {
    const created = Date.parse(own.createdAt);
    const entry = { ...own };
    if (!(now < created + windowMs)) delete entry.token;
    if (!(now < created + PENDING_MS)) delete entry.pending;
    if (kept(entry, now)) keep.push(entry);
  }
  saveOwn(keep);
  return keep.filter((own) => own.article === article);
}

export function rememberOwn(own: OwnComment): void {
  saveOwn([...ownComments().filter((entry) => entry.id !== own.id), own]);
}

/** Changes one entry; an entry left with nothing to keep is forgotten. */
export function updateOwn(id: string, change: Partial<OwnComment>): void {
  saveOwn(
    ownComments()
      .map((own) => (own.id === id ? { ...own, ...change } : own))
      .filter((own) => kept(own)),
  );
}
