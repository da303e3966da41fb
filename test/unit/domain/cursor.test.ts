import { type CursorState, decodeCursor, encodeCursor } from '../../../lambda/domain/cursor';
import { createKeyedHasher } from '../../../lambda/domain/keyed-hash';
import { hasher } from '../fakes';

const state: CursorState = {
  articleId: 'russia-north-korea-ties',
  order: 'oldest',
  after: 'COMMENT#2026-11-26T21:19:00.000Z#01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
  commentCount: 42,
};
const expected = { articleId: state.articleId, order: state.order };

function payloadOf(cursor: string): unknown {
  return JSON.parse(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

function resign(payload: unknown): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${hasher.hash('cursor', encoded)}`;
}

describe('cursor', () => {
  it('round-trips its state', () => {
    expect(decodeCursor(encodeCursor(state, hasher), expected, hasher)).toEqual(state);
  });

  it('is URL-safe', () => {
    expect(encodeCursor(state, hasher)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('rejects a tampered payload', () => {
    const cursor = encodeCursor(state, hasher);
    const [, signature] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify([state.articleId, state.order, 'COMMENT#0', state.commentCount]),
    ).toString('base64url');
    expect(decodeCursor(`${forged}.${signature}`, expected, hasher)).toBeUndefined();
  });

  it('rejects a tampered signature', () => {
    const cursor = encodeCursor(state, hasher);
    const flipped = cursor.endsWith('A') ? `${cursor.slice(0, -1)}B` : `${cursor.slice(0, -1)}A`;
    expect(decodeCursor(flipped, expected, hasher)).toBeUndefined();
  });

  it('rejects a cursor signed under another secret', () => {
    const other = createKeyedHasher('another-secret-0123456789-0123456789');
    expect(decodeCursor(encodeCursor(state, other), expected, hasher)).toBeUndefined();
  });

  it('rejects a cursor issued for another article', () => {
    const cursor = encodeCursor(state, hasher);
    expect(
      decodeCursor(cursor, { articleId: 'another-article', order: 'oldest' }, hasher),
    ).toBeUndefined();
  });

  it('rejects a cursor issued for the other order', () => {
    const cursor = encodeCursor(state, hasher);
    expect(decodeCursor(cursor, { ...expected, order: 'newest' }, hasher)).toBeUndefined();
  });

  it('carries the article and order it was issued for', () => {
    expect(payloadOf(encodeCursor(state, hasher))).toEqual([
      state.articleId,
      state.order,
      state.after,
      state.commentCount,
    ]);
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['empty signature', 'abc.'],
    ['empty payload', '.abc'],
    ['three parts', 'a.b.c'],
    ['garbage', '%%%.***'],
  ])('rejects a malformed cursor (%s)', (_case, cursor) => {
    expect(decodeCursor(cursor, expected, hasher)).toBeUndefined();
  });

  it.each([
    ['not JSON', null],
    ['an object', { articleId: state.articleId }],
    ['three elements', [state.articleId, state.order, state.after]],
    ['a numeric sort key', [state.articleId, state.order, 7, 1]],
    ['a string count', [state.articleId, state.order, state.after, '1']],
  ])('rejects a correctly signed payload that is %s', (_case, payload) => {
    const cursor =
      payload === null
        ? (() => {
            const encoded = Buffer.from('{not json').toString('base64url');
            return `${encoded}.${hasher.hash('cursor', encoded)}`;
          })()
        : resign(payload);
    expect(decodeCursor(cursor, expected, hasher)).toBeUndefined();
  });
});
