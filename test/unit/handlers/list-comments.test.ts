import { encodeCursor } from '../../../lambda/domain/cursor';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { createHandler } from '../../../lambda/handlers/list-comments';
import { httpEvent } from '../../support/events';
import { FakeCommentStore, fixedId, hasher, NOW, publicFields } from '../fakes';
import { answer, commentHandlerDeps, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

const ARTICLE = 'russia-north-korea-ties';

function get(query: Record<string, string> = {}, articleId = ARTICLE) {
  return httpEvent('GET', `/articles/${articleId}/comments`, {
    pathParameters: { articleId },
    query,
  });
}

function setup(comments = new FakeCommentStore()) {
  return { comments, handler: createHandler(commentHandlerDeps(comments)) };
}

describe('GET /articles/{articleId}/comments', () => {
  it('answers 200 with the count, the page and a cursor for the next', async () => {
    const { handler, comments } = setup(
      new FakeCommentStore([
        { commentCount: 3, comments: [publicFields(), publicFields()], nextAfter: 'COMMENT#x' },
      ]),
    );
    const result = answer(await handler(get({ limit: '2' })));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toMatchObject({ articleId: ARTICLE, commentCount: 3 });
    expect(result.body.comments).toHaveLength(2);
    expect(typeof result.body.nextCursor).toBe('string');
    expect(comments.queries).toEqual([{ articleId: ARTICLE, order: 'oldest', limit: 2 }]);
  });

  it('asks for 50 oldest first by default', async () => {
    const { handler, comments } = setup();
    const result = answer(await handler(get()));
    expect(result.body).toStrictEqual({
      articleId: ARTICLE,
      commentCount: 0,
      comments: [],
      nextCursor: null,
    });
    expect(comments.queries).toEqual([{ articleId: ARTICLE, order: 'oldest', limit: 50 }]);
  });

  it('follows a cursor issued for the same list', async () => {
    const { handler, comments } = setup();
    const cursor = encodeCursor(
      { articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 9 },
      hasher,
    );
    const result = answer(await handler(get({ order: 'newest', cursor })));
    expect(result.status).toBe(200);
    expect(result.body.commentCount).toBe(9);
    expect(comments.queries).toEqual([
      { articleId: ARTICLE, order: 'newest', limit: 50, after: 'COMMENT#x' },
    ]);
  });

  it('publishes only the Comment shape of each stored row', async () => {
    const row = { ...publicFields({ commentId: fixedId(NOW) }), email: 'row@example.com' };
    const { handler } = setup(new FakeCommentStore([{ comments: [row], nextAfter: null }]));
    const result = answer(await handler(get()));
    expect(result.text).not.toContain('row@example.com');
    expect(Object.keys((result.body.comments as object[])[0] ?? {}).sort()).toEqual(
      ['articleId', 'author', 'body', 'createdAt', 'editedAt', 'id', 'parentId', 'pinned'].sort(),
    );
  });

  it('answers 400 listing a bad article id, limit and order together', async () => {
    const { handler, comments } = setup();
    const result = answer(await handler(get({ limit: '0', order: 'up' }, 'no spaces')));
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body).sort()).toEqual(['articleId', 'limit', 'order']);
    expect(comments.queries).toEqual([]);
  });

  it.each([
    ['malformed', 'garbage'],
    [
      'for another article',
      encodeCursor(
        { articleId: 'other', order: 'oldest', after: 'COMMENT#x', commentCount: 1 },
        hasher,
      ),
    ],
  ])('answers 400 for a cursor that is %s', async (_case, cursor) => {
    const { handler, comments } = setup();
    const result = answer(await handler(get({ cursor })));
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body.errors).toEqual([
      { field: 'cursor', message: 'is not a valid cursor for this list' },
    ]);
    expect(comments.queries).toEqual([]);
  });

  it('answers 503 with Retry-After when the database is busy', async () => {
    const comments = new FakeCommentStore();
    comments.page = async () => {
      throw new ServiceBusyError('TimeoutError');
    };
    const result = answer(await setup(comments).handler(get()));
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
  });
});
