/** Holds each reply until its parent is settled, for the importer (importer.ts). */
import type { SkippedComment, SourceComment } from './source';

/**
 * Replies wait here until their parent has been read. A comment that is resolved is remembered
 * by its source id (its Talkback id and article) until the thread ends; one that was skipped is
 * remembered as such, and takes the replies to it along.
 */
export class ThreadResolver {
  private readonly resolved = new Map<string, { id: string; articleId: string } | null>();
  private readonly waiting = new Map<string, SourceComment[]>();
  /** Replies still to come to a remembered comment, where the source said how many. */
  private readonly repliesLeft = new Map<string, number>();

  constructor(
    private readonly ready: (comment: SourceComment, parentId: string | null) => boolean,
    private readonly skip: (skipped: SkippedComment) => void,
  ) {}

  add(comment: SourceComment): void {
    const parent = comment.parentSourceId;
    if (parent === null) {
      this.release(comment, null);
      return;
    }
    // Its parent was deleted on the site it comes from: nothing to wait for.
    if (comment.parentGone && comment.parentId) {
      this.release(comment, comment.parentId);
      return;
    }
    const known = this.resolved.get(parent);
    if (known === undefined) {
      const list = this.waiting.get(parent) ?? [];
      list.push(comment);
      this.waiting.set(parent, list);
      return;
    }
    if (known === null) {
      this.skipped({ sourceId: comment.sourceId, reason: 'reply to a comment left out' });
    } else if (known.articleId !== comment.articleId) {
      this.skipped({
        sourceId: comment.sourceId,
        reason: 'reply on another article than its parent',
      });
    } else {
      this.release(comment, known.id);
    }
    this.answered(parent);
  }

  /** One of the parent's replies is settled: after its last, the parent is forgotten. */
  private answered(parent: string): void {
    const left = this.repliesLeft.get(parent);
    if (left === undefined) return;
    if (left > 1) {
      this.repliesLeft.set(parent, left - 1);
      return;
    }
    this.repliesLeft.delete(parent);
    this.resolved.delete(parent);
  }

  /** A comment left out: its replies, read or to come, are left out too. */
  skipped(skipped: SkippedComment): void {
    this.skip(skipped);
    this.resolved.set(skipped.sourceId, null);
    this.wake(skipped.sourceId);
  }

  private release(comment: SourceComment, parentId: string | null): void {
    const accepted = this.ready(comment, parentId);
    // A comment the source says nobody answers is not remembered: memory follows the threads
    // still open, not every comment read.
    if (comment.replies === 0 && !this.waiting.has(comment.sourceId)) return;
    this.resolved.set(
      comment.sourceId,
      accepted ? { id: comment.id, articleId: comment.articleId } : null,
    );
    if (comment.replies !== undefined) this.repliesLeft.set(comment.sourceId, comment.replies);
    this.wake(comment.sourceId);
  }

  private wake(sourceId: string): void {
    const replies = this.waiting.get(sourceId);
    if (!replies) return;
    this.waiting.delete(sourceId);
    for (const reply of replies) this.add(reply);
  }

  /** How many comments are remembered for replies to come (for tests of the bound). */
  get remembered(): number {
    return this.resolved.size;
  }

  /**
   * Replies whose parent never came: sent with their parent's Talkback id when the source knows
   * it (the API looks for the parent in Talkback), else left out. Then what was remembered is
   * forgotten.
   */
  end(): void {
    const waitingIds = new Set([...this.waiting.values()].flat().map((reply) => reply.sourceId));
    for (const [parent, replies] of [...this.waiting]) {
      // A reply waiting for another waiting reply goes when that one is settled, after it.
      if (waitingIds.has(parent)) continue;
      this.waiting.delete(parent);
      for (const reply of replies) {
        if (reply.parentId) this.release(reply, reply.parentId);
        else this.skipped({ sourceId: reply.sourceId, reason: 'its parent is not in the file' });
      }
    }
    // Only a cycle of replies can be left.
    for (const reply of [...this.waiting.values()].flat()) {
      this.skip({ sourceId: reply.sourceId, reason: 'its parent is not in the file' });
    }
    this.waiting.clear();
    this.resolved.clear();
    this.repliesLeft.clear();
  }
}
