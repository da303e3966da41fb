/**
 * Opaque, signed list cursors. A cursor names the article and order it was issued for, so it
 * cannot be replayed against another article, and it is signed, so it cannot be edited to
 * start anywhere else in the table.
 */
import { type KeyedHasher, readSignedJson, signJson } from './keyed-hash';

export type ListOrder = 'oldest' | 'newest' | 'top';

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
  return signJson([state.articleId, state.order, state.after, state.commentCount], PURPOSE, hasher);
}

/** Returns the state, or undefined for anything tampered, foreign or malformed. */
export function decodeCursor(
  cursor: string,
  expected: { articleId: string; order: ListOrder },
  hasher: KeyedHasher,
): CursorState | undefined {
  const parsed = readSignedJson(cursor, PURPOSE, hasher);
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [articleId, order, after, commentCount] = parsed as unknown[];
  if (articleId !== expected.articleId || order !== expected.order) return undefined;
  if (typeof after !== 'string' || typeof commentCount !== 'number') return undefined;
  return { articleId, order: expected.order, after, commentCount };
}
