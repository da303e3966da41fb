/** Operators' moderation: the queue, status changes, deletion and erasure. */
import { type AdminComment, type CommentStatus, toAdminComment } from './comment';
import { BadAdminCursorError, CommentNotFoundError } from './errors';
import { type KeyedHasher, readSignedJson, signJson } from './keyed-hash';
import { normaliseEmail } from './moderation';
import type { ModerationStore } from './ports';

export interface AdminDeps {
  store: ModerationStore;
  hasher: KeyedHasher;
}

const CURSOR_PURPOSE = 'admin-cursor';

/** The index position, signed so that a cursor cannot be forged to start elsewhere. */
function encode(position: Record<string, unknown>, status: string, hasher: KeyedHasher): string {
  return signJson([status, position], CURSOR_PURPOSE, hasher);
}

function decode(cursor: string, status: string, hasher: KeyedHasher): Record<string, unknown> {
  const parsed = readSignedJson(cursor, CURSOR_PURPOSE, hasher);
  if (!Array.isArray(parsed) || parsed[0] !== status) throw new BadAdminCursorError();
  return parsed[1] as Record<string, unknown>;
}

export async function listForModeration(
  deps: AdminDeps,
  request: { status: CommentStatus; limit: number; cursor?: string },
): Promise<{ comments: AdminComment[]; nextCursor: string | null }> {
  const after =
    request.cursor === undefined ? undefined : decode(request.cursor, request.status, deps.hasher);
  const page = await deps.store.listByStatus(request.status, request.limit, after);
  return {
    comments: page.comments.map(toAdminComment),
    nextCursor: page.next ? encode(page.next, request.status, deps.hasher) : null,
  };
}

export async function moderate(
  deps: AdminDeps,
  commentId: string,
  status: 'published' | 'spam',
): Promise<AdminComment> {
  const current = await deps.store.findById(commentId);
  if (!current) throw new CommentNotFoundError();
  if (current.status !== status) await deps.store.setStatus(current, status);
  return toAdminComment({ ...current, status });
}

export async function removeComment(deps: AdminDeps, commentId: string): Promise<void> {
  const current = await deps.store.findById(commentId);
  if (!current) throw new CommentNotFoundError();
  await deps.store.remove(current);
}

export async function eraseEmail(deps: AdminDeps, email: string): Promise<{ erased: number }> {
  const emailHash = deps.hasher.hash('email', normaliseEmail(email));
  return { erased: await deps.store.erase(emailHash) };
}
