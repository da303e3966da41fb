/**
 * Opaque, signed list cursors. A cursor names the article and order it was issued for, so it
 * cannot be replayed against another article, and it is signed, so it cannot be edited to
 * start anywhere else in the table.
 */
import type { KeyedHasher } from './keyed-hash';

export type ListOrder = 'oldest' | 'newest';

export interface CursorState {
  articleId: string;
  order: ListOrder;
  /** Sort key of the last comment on the previous page. */
  after: string;
  /** The comment count read with the first page. */
  commentCount: number;
}

const PURPOSE = 'cursor';

export function encodeCursor(state: CursorState, hasher: KeyedHasher): string {
  const payload = Buffer.from(
    JSON.stringify([state.articleId, state.order, state.after, state.commentCount]),
  ).toString('base64url');
  return `${payload}.${hasher.hash(PURPOSE, payload)}`;
}

/** Returns the state, or undefined for anything tampered, foreign or malformed. */
export function decodeCursor(
  cursor: string,
  expected: { articleId: string; order: ListOrder },
  hasher: KeyedHasher,
): CursorState | undefined {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!hasher.verify(PURPOSE, payload, signature)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [articleId, order, after, commentCount] = parsed as unknown[];
  if (articleId !== expected.articleId || order !== expected.order) return undefined;
  if (typeof after !== 'string' || typeof commentCount !== 'number') return undefined;
  return { articleId, order: expected.order, after, commentCount };
}
