/** An in-memory commenter store (domain/commenter-records.ts) that records what it was asked. */
import type { CommentRecord } from '../../lambda/domain/comment';
import type {
  CommenterActivity,
  CommenterStore,
  StoredCommenter,
} from '../../lambda/domain/commenter-records';
import { CommenterChangedError } from '../../lambda/domain/errors';

export class FakeCommenterStore implements CommenterStore {
  readonly records = new Map<string, StoredCommenter>();
  /** Comments by commenterId, oldest first. */
  readonly comments = new Map<string, CommentRecord[]>();
  /** commenterIds by email hash, as the comments of that email name them. */
  readonly idsByEmailHash = new Map<string, string[]>();
  readonly saved: { commenterId: string; next: StoredCommenter; previousSetAt: string | null }[] =
    [];
  readonly forgotten: string[] = [];

  async record(commenterId: string): Promise<StoredCommenter | undefined> {
    const record = this.records.get(commenterId);
    return record ? structuredClone(record) : undefined;
  }

  async activity(commenterId: string, recent: number): Promise<CommenterActivity> {
    const comments = this.comments.get(commenterId) ?? [];
    const counts = { published: 0, pending: 0, spam: 0 };
    for (const comment of comments) counts[comment.status] += 1;
    return {
      counts,
      firstSeen: comments[0]?.createdAt ?? null,
      recent: comments.slice(-recent).reverse(),
    };
  }

  async save(commenterId: string, next: StoredCommenter, previousSetAt: string | null) {
    if ((this.records.get(commenterId)?.setAt ?? null) !== previousSetAt) {
      throw new CommenterChangedError();
    }
    this.saved.push({ commenterId, next, previousSetAt });
    this.records.set(commenterId, structuredClone(next));
  }

  async idsOfEmail(emailHash: string): Promise<string[]> {
    return this.idsByEmailHash.get(emailHash) ?? [];
  }

  async forgetNote(commenterId: string): Promise<void> {
    this.forgotten.push(commenterId);
    const record = this.records.get(commenterId);
    if (record) delete record.note;
  }
}
