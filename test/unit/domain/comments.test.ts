import { BadCursorError, createComment, listComments } from '../../../lambda/domain/comments';
import { decodeCursor, encodeCursor } from '../../../lambda/domain/cursor';
import { ParentNotFoundError } from '../../../lambda/domain/errors';
import { ulidTime } from '../../../lambda/domain/ids';
import { FakeCommentStore, fixedClock, fixedId, hasher, NOW, publicFields } from '../fakes';

const ARTICLE = 'russia-north-korea-ties';
const input = {
  name: 'Ada',
  email: 'ada@example.com',
  website: null,
  body: 'Hello.',
  parentId: null,
};

describe('createComment', () => {
  it('stores a published record built from the clock and the id generator', async () => {
    const store = new FakeCommentStore();
    await createComment({ store, clock: fixedClock, newId: fixedId }, ARTICLE, input);
    expect(store.inserted).toStrictEqual([
      {
        commentId: fixedId(NOW),
        articleId: ARTICLE,
        parentId: null,
        authorName: 'Ada',
        authorWebsite: null,
        email: 'ada@example.com',
        body: 'Hello.',
        status: 'published',
        createdAt: '2026-11-26T21:19:00.000Z',
        editedAt: null,
      },
    ]);
  });

  it('gives an id whose time is the creation time', async () => {
    const store = new FakeCommentStore();
    const { comment } = await createComment(
      { store, clock: fixedClock, newId: fixedId },
      ARTICLE,
      input,
    );
    expect(ulidTime(comment.id)).toBe(Date.parse(comment.createdAt));
  });

  it('answers with the public comment and status published, without the email', async () => {
    const store = new FakeCommentStore();
    const created = await createComment({ store, clock: fixedClock, newId: fixedId }, ARTICLE, {
      ...input,
      website: 'https://ada.example',
      parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
    });
    expect(created).toStrictEqual({
      comment: {
        id: fixedId(NOW),
        articleId: ARTICLE,
        parentId: '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
        author: { name: 'Ada', website: 'https://ada.example' },
        body: 'Hello.',
        createdAt: '2026-11-26T21:19:00.000Z',
        editedAt: null,
      },
      status: 'published',
    });
    expect(JSON.stringify(created)).not.toContain('ada@example.com');
  });

  it('passes on a store failure', async () => {
    const store = new FakeCommentStore();
    store.insertError = new ParentNotFoundError();
    await expect(
      createComment({ store, clock: fixedClock, newId: fixedId }, ARTICLE, input),
    ).rejects.toBeInstanceOf(ParentNotFoundError);
  });
});

describe('listComments', () => {
  const first = publicFields({ commentId: fixedId(NOW), body: 'first' });
  const second = publicFields({ commentId: fixedId(NOW + 1), body: 'second' });

  it('takes the count from the first page and issues a cursor carrying it', async () => {
    const store = new FakeCommentStore([
      { commentCount: 7, comments: [first, second], nextAfter: 'COMMENT#x' },
    ]);
    const list = await listComments(
      { store, hasher },
      { articleId: ARTICLE, order: 'oldest', limit: 2 },
    );
    expect(store.queries).toEqual([
      { articleId: ARTICLE, order: 'oldest', limit: 2, after: undefined },
    ]);
    expect(list.articleId).toBe(ARTICLE);
    expect(list.commentCount).toBe(7);
    expect(list.comments.map((comment) => comment.body)).toEqual(['first', 'second']);
    expect(list.comments[0]).toStrictEqual({
      id: first.commentId,
      articleId: first.articleId,
      parentId: null,
      author: { name: 'Ada', website: 'https://ada.example' },
      body: 'first',
      createdAt: first.createdAt,
      editedAt: null,
    });
    expect(
      decodeCursor(list.nextCursor ?? '', { articleId: ARTICLE, order: 'oldest' }, hasher),
    ).toEqual({ articleId: ARTICLE, order: 'oldest', after: 'COMMENT#x', commentCount: 7 });
  });

  it('continues after the cursor and keeps the count it carries', async () => {
    const store = new FakeCommentStore([{ comments: [second], nextAfter: null }]);
    const cursor = encodeCursor(
      { articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 7 },
      hasher,
    );
    const list = await listComments(
      { store, hasher },
      { articleId: ARTICLE, order: 'newest', limit: 2, cursor },
    );
    expect(store.queries).toEqual([
      { articleId: ARTICLE, order: 'newest', limit: 2, after: 'COMMENT#x' },
    ]);
    expect(list.commentCount).toBe(7);
    expect(list.nextCursor).toBeNull();
  });

  it('gives a count of 0 for an article without comments', async () => {
    const store = new FakeCommentStore([{ commentCount: 0, comments: [], nextAfter: null }]);
    expect(
      await listComments({ store, hasher }, { articleId: ARTICLE, order: 'oldest', limit: 50 }),
    ).toStrictEqual({ articleId: ARTICLE, commentCount: 0, comments: [], nextCursor: null });
  });

  it.each([
    ['malformed', () => 'not-a-cursor'],
    [
      'for another article',
      () =>
        encodeCursor(
          { articleId: 'other', order: 'oldest', after: 'COMMENT#x', commentCount: 1 },
          hasher,
        ),
    ],
    [
      'for the other order',
      () =>
        encodeCursor(
          { articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 1 },
          hasher,
        ),
    ],
  ])('throws BadCursorError for a cursor %s, without reading', async (_case, makeCursor) => {
    const store = new FakeCommentStore();
    await expect(
      listComments(
        { store, hasher },
        { articleId: ARTICLE, order: 'oldest', limit: 2, cursor: makeCursor() },
      ),
    ).rejects.toBeInstanceOf(BadCursorError);
    expect(store.queries).toEqual([]);
  });
});
