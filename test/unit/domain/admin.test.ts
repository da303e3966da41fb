import {
  COUNT_CAP,
  changeArticle,
  eraseEmail,
  erasureCount,
  listForModeration,
  MAX_PINNED,
  moderate,
  pinComment,
  postAsStaff,
  queueCounts,
  removeComment,
  unpinComment,
} from '../../../lambda/domain/admin';
import { toPublicComment } from '../../../lambda/domain/comment';
import { guestCommenterId } from '../../../lambda/domain/commenters';
import {
  BadAdminCursorError,
  CommentNotFoundError,
  NotPublishedError,
} from '../../../lambda/domain/errors';
import { createKeyedHasher } from '../../../lambda/domain/keyed-hash';
import { FakeCommenterStore } from '../commenter-fakes';
import {
  commentRecord,
  FakeCommentStore,
  FakeModerationStore,
  fixedId,
  hasher,
  NOW,
} from '../fakes';

const POSITION = { status: 'pending', createdAt: '2026-11-26T21:19:00.000Z', PK: 'A', SK: 'B' };

/** The decision the fake store records is 2026-11-26T21:20:00Z; undo takes 6 + 5 seconds. */
let nowMs = Date.parse('2026-11-26T21:20:03.000Z');

function deps(store: FakeModerationStore, commenters = new FakeCommenterStore()) {
  return { store, commenters, hasher, clock: () => nowMs, undoSeconds: 6 };
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
          holdReasons: [],
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
          (
            await listForModeration(
              { ...deps(store), hasher: other },
              { status: 'pending', limit: 1 },
            )
          ).nextCursor ?? ''
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
      holdReasons: [],
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

describe('moderate: the ground of a removal (DSA Art. 17)', () => {
  const id = fixedId(NOW);
  const withGrounds = (store: FakeModerationStore) => ({ ...deps(store), defaultGround: 'spam' });

  it('records the ground a moderator gives for removing a published comment', async () => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'published' });
    store.records.set(id, record);
    await moderate(withGrounds(store), id, 'spam', 'abuse');
    expect(store.statusChanges).toEqual([{ current: record, status: 'spam', ground: 'abuse' }]);
  });

  it("gives the deployment's first ground when a removal names none", async () => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'published' });
    store.records.set(id, record);
    await moderate(withGrounds(store), id, 'pending');
    expect(store.statusChanges).toEqual([{ current: record, status: 'pending', ground: 'spam' }]);
  });

  it("records one for a comment the readers' reports took out of view", async () => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'pending', holdReasons: ['reported'] });
    store.records.set(id, record);
    await moderate(withGrounds(store), id, 'spam', 'illegal');
    expect(store.statusChanges).toEqual([{ current: record, status: 'spam', ground: 'illegal' }]);
  });

  it.each([
    ['an approval', commentRecord({ status: 'pending' }), 'published'],
    ['spam on a comment never published', commentRecord({ status: 'pending' }), 'spam'],
  ] as const)('records none for %s', async (_case, record, status) => {
    const store = new FakeModerationStore();
    store.records.set(id, record);
    await moderate(withGrounds(store), id, status, 'abuse');
    expect(store.statusChanges).toEqual([{ current: record, status }]);
  });
});

describe('moderate, back within the undo window', () => {
  const id = fixedId(NOW);

  it('undoes the decision: the store restores what it changed, pin included', async () => {
    const store = new FakeModerationStore();
    store.records.set(id, commentRecord({ status: 'published', pinned: true }));
    await moderate(deps(store), id, 'spam');
    nowMs = Date.parse(store.decisionAt) + 11_000;
    const comment = await moderate(deps(store), id, 'published');
    expect(store.undos).toEqual([
      {
        current: expect.objectContaining({ status: 'spam', pinned: false }),
        decision: {
          from: 'published',
          to: 'spam',
          at: store.decisionAt,
          unpinned: true,
          grantedAuthor: false,
        },
      },
    ]);
    expect(store.statusChanges).toHaveLength(1);
    expect(comment).toMatchObject({ status: 'published', pinned: true });
  });

  it.each([
    ['after the window', 11_001, 'published'],
    ['to another status', 1_000, 'pending'],
  ] as const)('is a new decision %s', async (_case, after, to) => {
    const store = new FakeModerationStore();
    store.records.set(id, commentRecord({ status: 'published', pinned: true }));
    await moderate(deps(store), id, 'spam');
    nowMs = Date.parse(store.decisionAt) + after;
    const comment = await moderate(deps(store), id, to);
    expect(store.undos).toEqual([]);
    expect(store.statusChanges.map((change) => change.status)).toEqual(['spam', to]);
    expect(comment.pinned).toBe(false);
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

describe('reported comments', () => {
  /** The operators' side of reports, recording each decision. */
  const decisionsOf = () => {
    const decided: { commentId: string; decision: string; at: string }[] = [];
    return {
      decided,
      reports: {
        openReports: async () => [],
        decide: async (commentId: string, decision: string, at: string) => {
          decided.push({ commentId, decision, at });
        },
      },
    };
  };
  const AT = new Date(Date.parse('2026-11-26T21:20:03.000Z')).toISOString();

  it('lists only comments with open reports, under a cursor of their own', async () => {
    const record = commentRecord({ status: 'published', reportCount: 1 });
    const store = new FakeModerationStore([{ comments: [record], next: POSITION }]);
    const { reports } = decisionsOf();
    const list = await listForModeration(
      { ...deps(store), reports },
      { status: 'published', limit: 1, reported: true },
    );
    expect(store.listCalls).toEqual([
      { status: 'published', limit: 1, after: undefined, reported: true },
    ]);
    // The plain list's cursor is not the reported list's, nor the other way round.
    expect(list.nextCursor).toEqual(expect.any(String));
    await expect(
      listForModeration(deps(store), {
        status: 'published',
        limit: 1,
        cursor: list.nextCursor ?? '',
      }),
    ).rejects.toBeInstanceOf(BadAdminCursorError);
  });

  it('keeps a reported published comment on approval, and decides its reports', async () => {
    nowMs = Date.parse(AT);
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'published', reportCount: 2 });
    store.records.set(record.commentId, record);
    const { decided, reports } = decisionsOf();
    const kept = await moderate({ ...deps(store), reports }, record.commentId, 'published');
    expect(kept.status).toBe('published');
    expect(store.statusChanges).toEqual([]);
    expect(store.reportsCleared).toEqual([record]);
    expect(decided).toEqual([{ commentId: record.commentId, decision: 'published', at: AT }]);
  });

  it('changes nothing when approving a published comment without reports', async () => {
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'published' });
    store.records.set(record.commentId, record);
    const { decided, reports } = decisionsOf();
    await moderate({ ...deps(store), reports }, record.commentId, 'published');
    expect(store.reportsCleared).toEqual([]);
    expect(decided).toEqual([]);
  });

  it('records the decision removed on the reports of a deleted comment', async () => {
    nowMs = Date.parse(AT);
    const store = new FakeModerationStore();
    const record = commentRecord({ status: 'pending', reportCount: 3 });
    store.records.set(record.commentId, record);
    const { decided, reports } = decisionsOf();
    await removeComment({ ...deps(store), reports }, record.commentId);
    expect(store.removed).toEqual([record]);
    expect(decided).toEqual([{ commentId: record.commentId, decision: 'removed', at: AT }]);
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

  it('removes the note of the commenter’s record too, keeping its state', async () => {
    const store = new FakeModerationStore();
    const commenters = new FakeCommenterStore();
    const commenterId = guestCommenterId(hasher, 'ada@example.com');
    commenters.records.set(commenterId, {
      state: 'banned',
      note: 'Lives on Elm Street; posts daily.',
      setBy: 'operator',
      setAt: '2026-11-20T00:00:00.000Z',
      history: [],
    });
    await eraseEmail(deps(store, commenters), '  Ada@Example.COM ');
    expect(commenters.records.get(commenterId)).toEqual({
      state: 'banned',
      setBy: 'operator',
      setAt: '2026-11-20T00:00:00.000Z',
      history: [],
    });
  });
});

describe('the console’s additions', () => {
  it('marks which authors have published before, asking the store once per page', async () => {
    const known = commentRecord({ status: 'pending', emailHash: 'known-hash' });
    const stranger = commentRecord({ status: 'pending', emailHash: 'new-hash' });
    const erased = commentRecord({ status: 'pending', email: null, emailHash: null });
    const store = new FakeModerationStore([{ comments: [known, stranger, erased] }]);
    store.publishedHashes.add('known-hash');
    const list = await listForModeration(deps(store), { status: 'pending', limit: 10 });
    expect(list.comments.map((comment) => comment.authorPublishedBefore)).toEqual([
      true,
      false,
      false,
    ]);
    expect(store.authorQueries).toEqual([['known-hash', 'new-hash']]);
  });

  it('filters by article, and a cursor works only for the article it was issued for', async () => {
    const store = new FakeModerationStore([{ comments: [], next: POSITION }]);
    const first = await listForModeration(deps(store), {
      status: 'pending',
      limit: 1,
      articleId: 'one',
    });
    expect(store.listCalls[0]).toEqual({
      status: 'pending',
      limit: 1,
      after: undefined,
      articleId: 'one',
    });
    await expect(
      listForModeration(deps(store), {
        status: 'pending',
        limit: 1,
        articleId: 'two',
        cursor: first.nextCursor ?? '',
      }),
    ).rejects.toBeInstanceOf(BadAdminCursorError);
  });

  it('counts every tab with a cap, and names the tabs that reached it', async () => {
    const store = new FakeModerationStore();
    store.counts.pending = { count: 3, capped: false };
    store.counts.published = { count: COUNT_CAP, capped: true };
    expect(await queueCounts(deps(store), { articleId: 'one' })).toEqual({
      counts: { pending: 3, published: COUNT_CAP, spam: 0 },
      capped: ['published'],
    });
    expect(store.countCalls).toEqual(
      ['pending', 'published', 'spam'].map((status) => ({
        status,
        articleId: 'one',
        cap: COUNT_CAP,
      })),
    );
  });

  it('counts an erasure by the same keyed hash of the normalised email, changing nothing', async () => {
    const store = new FakeModerationStore();
    store.erased = 4;
    expect(await erasureCount(deps(store), ' Ada@Example.com ')).toEqual({ comments: 4 });
    expect(store.erasureCounts).toEqual([hasher.hash('email', 'ada@example.com')]);
    expect(store.erasures).toEqual([]);
  });

  it('pins a published comment with the maximum, and refuses any other', async () => {
    const store = new FakeModerationStore();
    const id = fixedId(NOW);
    store.records.set(id, commentRecord({ status: 'published' }));
    expect((await pinComment(deps(store), id)).pinned).toBe(true);
    expect(store.pins.map((pin) => pin.max)).toEqual([MAX_PINNED]);
    // Pinning again changes nothing.
    await pinComment(deps(store), id);
    expect(store.pins).toHaveLength(1);
    store.records.set(id, commentRecord({ status: 'pending' }));
    await expect(pinComment(deps(store), id)).rejects.toBeInstanceOf(NotPublishedError);
  });

  it('unpins only a pinned comment', async () => {
    const store = new FakeModerationStore();
    const id = fixedId(NOW);
    store.records.set(id, commentRecord({ pinned: false }));
    expect((await unpinComment(deps(store), id)).pinned).toBe(false);
    expect(store.unpins).toEqual([]);
    store.records.set(id, commentRecord({ pinned: true }));
    await unpinComment(deps(store), id);
    expect(store.unpins).toHaveLength(1);
  });

  it('closes and reopens an article, answering its state', async () => {
    const store = new FakeModerationStore();
    expect(await changeArticle(deps(store), 'one', { open: false })).toMatchObject({
      open: false,
      closed: true,
    });
    expect(await changeArticle(deps(store), 'one', { open: true })).toMatchObject({
      open: true,
      closed: false,
    });
    expect(store.articleChanges).toEqual([
      { articleId: 'one', change: { closed: true } },
      { articleId: 'one', change: { closed: false } },
    ]);
  });

  it('posts as staff: published, marked, no email, no rate limit, allowed on a closed article', async () => {
    const comments = new FakeCommentStore();
    const comment = await postAsStaff(
      { store: comments, clock: () => NOW, newId: fixedId },
      { articleId: 'one', name: 'The editors', body: 'Thanks.', parentId: null },
    );
    expect(comment.author).toEqual({
      name: 'The editors',
      website: null,
      staff: true,
      verified: false,
      badges: [],
    });
    expect(comments.inserted).toEqual([
      expect.objectContaining({
        status: 'published',
        staff: true,
        email: null,
        emailHash: null,
        editTokenHash: null,
      }),
    ]);
    expect(comments.insertOptions).toEqual([{ ifKnownAuthor: false, charges: [], ifOpen: false }]);
  });
});
