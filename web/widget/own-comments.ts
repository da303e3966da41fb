/**
 * The visitor's own comments on this article, from this browser's edit tokens: which may still
 * be edited or deleted, and the copies of those awaiting moderation, shown to their author alone.
 * In the write chunk, which the thread waits for only in a browser that keeps something of its
 * own on the article (storage.ts `ownHere`); otherwise first used once the visitor posts.
 */
import type { Comment, Created } from '../shared/api';
import { type OwnComment, ownCommentsOf, rememberOwn, updateOwn } from './own-storage';
import type { ListState } from './thread-state';

export type OwnComments = ReturnType<typeof ownComments>;

export function ownComments(article: string, windowMs: number) {
  let own = new Map<string, OwnComment>();
  return {
    /**
     * Reads them again, forgetting tokens whose window has closed; adds to `pending` the copies
     * it does not show yet, and drops the copies of those `listed` shows published.
     */
    refresh(state: ListState): void {
      const { listed_: listed, pending } = state;
      own = new Map(ownCommentsOf(article, windowMs).map((entry) => [entry.id, entry]));
      const known = new Set([...listed, ...pending].map((entry) => entry.comment.id));
      for (const entry of own.values()) {
        if (entry.pending && !known.has(entry.id)) {
          pending.push({ comment: entry.pending, pending: true });
        }
      }
      // Published since: the author's copy is no longer needed.
      for (const entry of listed) {
        if (own.get(entry.comment.id)?.pending) updateOwn(entry.comment.id, { pending: undefined });
      }
      showWrites(state, own);
    },
    editable_(id: string): boolean {
      const entry = own.get(id);
      return !!entry?.token && Date.now() < Date.parse(entry.createdAt) + windowMs;
    },
    token: (id: string): string | undefined => own.get(id)?.token,
    /** When the first edit window still open closes (epoch ms), or null when none is open. */
    nextClose_(): number | null {
      const closes = [...own.values()]
        .filter((entry) => entry.token)
        .map((entry) => Date.parse(entry.createdAt) + windowMs);
      return closes.length > 0 ? Math.min(...closes) : null;
    },
    /** Keeps what the API gave for a comment just posted: its token, its copy if held. */
    remember_({ comment, status, editToken }: Created): void {
      if (!editToken && status !== 'pending') return;
      const entry: OwnComment = { id: comment.id, article, createdAt: comment.createdAt };
      if (editToken) entry.token = editToken;
      if (status === 'pending') entry.pending = comment;
      else Object.assign(entry, { written: comment, at: Date.now() });
      rememberOwn(entry);
      own.set(comment.id, entry);
    },
    /** An edited comment: a copy awaiting moderation keeps the new text. */
    edited(comment: Comment): void {
      updateOwn(
        comment.id,
        own.get(comment.id)?.pending ? { pending: comment } : { written: comment, at: Date.now() },
      );
    },
    /** The token is no use any more (refused, or its window closed). */
    dropToken_(id: string): void {
      updateOwn(id, { token: undefined });
      own.delete(id);
    },
    /** Deleted: nothing of it is kept but that it is gone, over a thread from before. */
    forget(id: string): void {
      updateOwn(id, {
        token: undefined,
        pending: undefined,
        written: undefined,
        deleted: true,
        at: Date.now(),
      });
      own.delete(id);
    },
  };
}

/**
 * What this browser wrote or deleted that the thread does not show yet (a cache served it from
 * before the write): a comment it edited, in the thread's copy's place; one it posted, at the end
 * when the thread is all loaded (else it is on a later page); one it deleted, gone; the count to
 * match. A write the thread shows is forgotten; a deletion lapses after storage's WRITE_MS.
 */
function showWrites(state: ListState, own: Map<string, OwnComment>): void {
  for (const entry of own.values()) {
    const index = state.listed_.findIndex((listed) => listed.comment.id === entry.id);
    const shown = state.listed_[index];
    if (entry.deleted && shown) {
      state.listed_.splice(index, 1);
      state.count = Math.max(0, state.count - 1);
    } else if (entry.written && shown && !shown.copy_) {
      if (shown.comment.editedAt === entry.written.editedAt) {
        updateOwn(entry.id, { written: undefined });
      } else state.listed_[index] = { comment: entry.written, pending: false, copy_: true };
    } else if (entry.written && !shown && state.cursor === null) {
      state.listed_.push({ comment: entry.written, pending: false, copy_: true });
      state.count++;
    }
  }
}
