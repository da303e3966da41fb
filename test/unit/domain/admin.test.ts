import {
  BadAdminCursorError,
  eraseEmail,
  listForModeration,
  moderate,
  removeComment,
} from '../../../lambda/domain/admin';
import { toPublicComment } from '../../../lambda/domain/comment';
import { CommentNotFoundError } from '../../../lambda/domain/errors';
import { createKeyedHasher } from '../../../lambda/domain/keyed-hash';
import { commentRecord, FakeModerationStore, fixedId, hasher, NOW } from '../fakes';

const POSITION = { status: 'pending', createdAt: '2026-11-26T21:19:00.000Z', PK: 'A', SK: 'B' };

function deps(store: FakeModerationStore) {
  return { store, hasher };
}

describe('listForModeration', () => {
  it('lists admin comments, with status and email, and no cursor at the end', async () => {
    const record = commentRecord({ status: 'pending' });
    const store = new FakeModerationStore([{ comments: [record] }]);
    const list = await listForModeration(deps(store), { status: 'pending', limit: 10 });
    expect(store.listCalls).toEqual([{ status: 'pending', limit: 10, after: undefined }]);
    expect(list).toStrictEqual({
      comments: [
        {
          ...toPublicComment(record),
          status: 'pending',
          email: 'ada@example.com',
          authorPublishedBefore: false,
        },
      ],
      nextCursor: null,
    });
  });

  it('issues a signed cursor that continues where the page ended', async () => {
    const store = new FakeModerationStore([{ comments: [commentRecord()], next: POSITION }]);
    const first = await listForModeration(deps(store), { status: 'published', limit: 1 });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toContain('createdAt');
    await listForModeration(deps(store), {
      status: 'published',
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect(store.listCalls[1]).toEqual({ status: 'published', limit: 1, after: POSITION });
  });

  async function cursorFor(status: 'pending' | 'published' | 'spam') {
    const store = new FakeModerationStore([{ comments: [], next: POSITION }]);
    return (await listForModeration(deps(store), { status, limit: 1 })).nextCursor ?? '';
  }

  function tamper(cursor: string): string {
    const [payload, signature] = cursor.split('.');
    const position = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    position[2].SK = 'COMMENT#elsewhere';
    return `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${signature}`;
  }

  it.each([
    ['malformed', async () => 'not-a-cursor'],
    ['with a changed position', async () => tamper(await cursorFor('pending'))],
    ['with an extra part', async () => `${await cursorFor('pending')}.x`],
    ['without its signature', async () => (await cursorFor('pending')).split('.')[0] ?? ''],
    ['for another status', async () => cursorFor('spam')],
    [
      'signed with another secret',
      async () => {
        const other = createKeyedHasher('another-secret-0123456789-abcdefghijk');
        const store = new FakeModerationStore([{ comments: [], next: POSITION }]);
        return (
          (await listForModeration({ store, hasher: other }, { status: 'pending', limit: 1 }))
            .nextCursor ?? ''
        );
      },
    ],
  ])('throws BadAdminCursorError for a cursor %s, without reading', async (_case, make) => {
    const cursor = await make();
    const store = new FakeModerationStore();
    await expect(
      listForModeration(deps(store), { status: 'pending', limit: 1, cursor }),
    ).rejects.toBeInstanceOf(BadAdminCursorError);
    expect(store.listCalls).toEqual([]);
  });
});

describe('moderate', () => {
  const id = fixedId(NOW);

  it.each([
    ['pending', 'published'],
    ['pending', 'spam'],
    ['published', 'spam'],
    ['spam', 'published'],
  ] as const)('moves a %s comment to %s and answers the admin comment', async (from, to) => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: from });
    store.records.set(id, record);
    const comment = await moderate(deps(store), id, to);
    expect(store.statusChanges).toEqual([{ current: record, status: to }]);
    expect(comment).toStrictEqual({
      ...toPublicComment(record),
      status: to,
      email: 'ada@example.com',
      authorPublishedBefore: false,
    });
  });

  it('writes nothing when the comment already has the status', async () => {
    const store = new FakeModerationStore();
    store.records.set(id, commentRecord({ status: 'published' }));
    const comment = await moderate(deps(store), id, 'published');
    expect(store.statusChanges).toEqual([]);
    expect(comment.status).toBe('published');
  });

  it('throws CommentNotFoundError for an unknown comment', async () => {
    const store = new FakeModerationStore();
    await expect(moderate(deps(store), id, 'published')).rejects.toBeInstanceOf(
      CommentNotFoundError,
    );
    expect(store.statusChanges).toEqual([]);
  });
});

describe('removeComment', () => {
  it('removes the comment as read', async () => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'pending' });
    store.records.set(record.commentId, record);
    await removeComment(deps(store), record.commentId);
    expect(store.removed).toEqual([record]);
  });

  it('throws CommentNotFoundError for an unknown comment', async () => {
    const store = new FakeModerationStore();
    await expect(removeComment(deps(store), fixedId(NOW))).rejects.toBeInstanceOf(
      CommentNotFoundError,
    );
    expect(store.removed).toEqual([]);
  });
});

describe('eraseEmail', () => {
  it('erases by the keyed hash of the normalised email and reports the count', async () => {
    const store = new FakeModerationStore();
    store.erased = 3;
    expect(await eraseEmail(deps(store), '  Ada@Example.COM ')).toEqual({ erased: 3 });
    expect(store.erasures).toEqual([hasher.hash('email', 'ada@example.com')]);
  });

  it('uses the same hash the comment was stored under', async () => {
    const store = new FakeModerationStore();
    await eraseEmail(deps(store), 'ada@example.com');
    expect(store.erasures).toEqual([commentRecord().emailHash]);
    expect(store.erasures[0]).not.toContain('ada');
  });
});
