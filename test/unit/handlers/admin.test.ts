import { commentArea, moderationArea } from '../../../lambda/areas';
import { CommentNotFoundError } from '../../../lambda/domain/errors';
import { createHandler as createChangeArticle } from '../../../lambda/handlers/admin-change-article';
import { createHandler as createDelete } from '../../../lambda/handlers/admin-delete-comment';
import { createHandler as createErase } from '../../../lambda/handlers/admin-erase';
import { createHandler as createErasureCount } from '../../../lambda/handlers/admin-erasure-count';
import { createHandler as createGetArticle } from '../../../lambda/handlers/admin-get-article';
import { createHandler as createList } from '../../../lambda/handlers/admin-list-comments';
import { createHandler as createModerate } from '../../../lambda/handlers/admin-moderate-comment';
import { createHandler as createPin } from '../../../lambda/handlers/admin-pin-comment';
import { createHandler as createCounts } from '../../../lambda/handlers/admin-queue-counts';
import { createHandler as createReply } from '../../../lambda/handlers/admin-reply';
import { createHandler as createUnpin } from '../../../lambda/handlers/admin-unpin-comment';
import type { HttpEvent } from '../../../lambda/http/request';
import type { HttpResult } from '../../../lambda/http/response';
import { httpEvent } from '../../support/events';
import { FakeCommenterStore } from '../commenter-fakes';
import {
  commentRecord,
  FakeCommentStore,
  FakeModerationStore,
  fixedClock,
  fixedId,
  hasher,
  NOW,
  publicComment,
} from '../fakes';
import { answer, asOperator, configuration, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

const COMMENT_ID = fixedId(NOW);
const EMAIL = 'ada.private@example.com';
const ARTICLE = 'russia-north-korea-ties';

function setup() {
  const moderation = new FakeModerationStore([
    { comments: [commentRecord({ status: 'pending', email: EMAIL })] },
  ]);
  moderation.records.set(COMMENT_ID, commentRecord({ status: 'pending', email: EMAIL }));
  moderation.erased = 2;
  const comments = new FakeCommentStore();
  const commenters = new FakeCommenterStore();
  const deps = {
    ...configuration,
    areas: {
      moderation: moderationArea(moderation, {
        commenters,
        hasher,
        clock: fixedClock,
        undoSeconds: 6,
      }),
      comments: commentArea({
        store: comments,
        hasher,
        settings: configuration.settings,
        clock: fixedClock,
        newId: fixedId,
      }),
    },
  };
  return {
    moderation,
    comments,
    list: createList(deps),
    moderate: createModerate(deps),
    remove: createDelete(deps),
    erase: createErase(deps),
    counts: createCounts(deps),
    erasureCount: createErasureCount(deps),
    getArticle: createGetArticle(deps),
    changeArticle: createChangeArticle(deps),
    pin: createPin(deps),
    unpin: createUnpin(deps),
    reply: createReply(deps),
  };
}

const events = {
  list: () => httpEvent('GET', '/admin/comments', { query: { status: 'pending' } }),
  moderate: () =>
    httpEvent('PATCH', `/admin/comments/${COMMENT_ID}`, {
      pathParameters: { commentId: COMMENT_ID },
      body: { status: 'published' },
    }),
  remove: () =>
    httpEvent('DELETE', `/admin/comments/${COMMENT_ID}`, {
      pathParameters: { commentId: COMMENT_ID },
    }),
  erase: () => httpEvent('POST', '/admin/erasures', { body: { email: EMAIL } }),
  counts: () => httpEvent('GET', '/admin/counts', { query: { articleId: ARTICLE } }),
  erasureCount: () => httpEvent('GET', '/admin/erasures', { query: { email: EMAIL } }),
  getArticle: () =>
    httpEvent('GET', `/admin/articles/${ARTICLE}`, { pathParameters: { articleId: ARTICLE } }),
  changeArticle: () =>
    httpEvent('PATCH', `/admin/articles/${ARTICLE}`, {
      pathParameters: { articleId: ARTICLE },
      body: { closed: true },
    }),
  pin: () =>
    httpEvent('PUT', `/admin/comments/${COMMENT_ID}/pin`, {
      pathParameters: { commentId: COMMENT_ID },
    }),
  unpin: () =>
    httpEvent('DELETE', `/admin/comments/${COMMENT_ID}/pin`, {
      pathParameters: { commentId: COMMENT_ID },
    }),
  reply: () =>
    httpEvent('POST', `/admin/articles/${ARTICLE}/comments`, {
      pathParameters: { articleId: ARTICLE },
      body: { name: 'The editors', body: 'Thanks for reading.' },
    }),
};

type Name = keyof typeof events;
const NAMES = Object.keys(events) as Name[];

function untouched(moderation: FakeModerationStore) {
  expect(moderation.listCalls).toEqual([]);
  expect(moderation.statusChanges).toEqual([]);
  expect(moderation.removed).toEqual([]);
  expect(moderation.erasures).toEqual([]);
  expect(moderation.countCalls).toEqual([]);
  expect(moderation.erasureCounts).toEqual([]);
  expect(moderation.articleChanges).toEqual([]);
  expect(moderation.pins).toEqual([]);
  expect(moderation.unpins).toEqual([]);
}

describe('admin handlers without operator credentials', () => {
  it.each(NAMES)('%s answers 401 and touches nothing', async (name) => {
    const handlers = setup();
    const handler = handlers[name] as (event: HttpEvent) => Promise<HttpResult>;
    const result = answer(await handler(events[name]()));
    expect(result.status).toBe(401);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(result.text).not.toContain(EMAIL);
    untouched(handlers.moderation);
  });

  it.each(NAMES)('%s answers 401 to an authorizer without iam', async (name) => {
    const handlers = setup();
    const handler = handlers[name] as (event: HttpEvent) => Promise<HttpResult>;
    const event = events[name]();
    const withJwt = {
      ...event,
      requestContext: { ...event.requestContext, authorizer: { jwt: { claims: {} } } },
    };
    expect((await handler(withJwt)).statusCode).toBe(401);
    untouched(handlers.moderation);
  });

  it.each(NAMES)('%s ignores a bearer token: only the authorizer counts', async (name) => {
    const handlers = setup();
    const handler = handlers[name] as (event: HttpEvent) => Promise<HttpResult>;
    const event = events[name]();
    event.headers = { ...event.headers, authorization: 'Bearer local-admin-token' };
    expect((await handler(event)).statusCode).toBe(401);
    untouched(handlers.moderation);
  });

  it('answers 401 before looking at the request', async () => {
    const { moderate } = setup();
    const event = httpEvent('PATCH', '/admin/comments/x', {
      pathParameters: { commentId: 'x' },
      body: '{not json',
    });
    expect((await moderate(event)).statusCode).toBe(401);
  });
});

describe('GET /admin/comments', () => {
  it('answers 200 with admin comments, including email and status', async () => {
    const { list, moderation } = setup();
    const result = answer(await list(asOperator(events.list())));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      comments: [
        {
          ...publicComment(),
          status: 'pending',
          email: EMAIL,
          authorPublishedBefore: false,
          holdReasons: [],
        },
      ],
      nextCursor: null,
    });
    expect(moderation.listCalls).toEqual([{ status: 'pending', limit: 50, after: undefined }]);
  });

  it('lists pending comments by default', async () => {
    const { list, moderation } = setup();
    await list(asOperator(httpEvent('GET', '/admin/comments')));
    expect(moderation.listCalls[0]?.status).toBe('pending');
  });

  it('answers 400 for a bad status, limit and cursor together', async () => {
    const { list, moderation } = setup();
    const event = httpEvent('GET', '/admin/comments', {
      query: { status: 'deleted', limit: '0', cursor: 'x'.repeat(3000) },
    });
    const result = answer(await list(asOperator(event)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['status', 'limit', 'cursor']);
    expect(moderation.listCalls).toEqual([]);
  });

  it('answers 400 for a forged cursor', async () => {
    const { list, moderation } = setup();
    const event = httpEvent('GET', '/admin/comments', { query: { cursor: 'abc.def' } });
    const result = answer(await list(asOperator(event)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['cursor']);
    expect(moderation.listCalls).toEqual([]);
  });
});

describe('GET /admin/comments?view=articles', () => {
  const articles = (query: Record<string, string>) =>
    asOperator(httpEvent('GET', '/admin/comments', { query: { view: 'articles', ...query } }));

  it('answers every article a page at a time, with a cursor that goes on where it stopped', async () => {
    const { list, moderation } = setup();
    const position = { PK: 'ARTICLE#b2', SK: 'COMMENT#!COUNT', articleList: 'ARTICLE' };
    moderation.articlePages.push(
      { articleIds: ['a1', 'b2'], next: position },
      { articleIds: ['c3'] },
    );
    const first = answer(await list(articles({ limit: '2' })));
    expect(first.status).toBe(200);
    const body = first.body as { articles: string[]; nextCursor: string };
    expect(body.articles).toEqual(['a1', 'b2']);
    const second = answer(await list(articles({ limit: '2', cursor: body.nextCursor })));
    expect(second.body).toStrictEqual({ articles: ['c3'], nextCursor: null });
    expect(moderation.articleListCalls).toEqual([
      { limit: 2, after: undefined },
      { limit: 2, after: position },
    ]);
    expect(moderation.listCalls).toEqual([]);
  });

  it('refuses a status or an article filter, which do not apply to it, naming them', async () => {
    const { list, moderation } = setup();
    const result = answer(await list(articles({ status: 'pending', articleId: ARTICLE })));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['status', 'articleId']);
    expect(moderation.articleListCalls).toEqual([]);
  });

  it('refuses a cursor of the comments list, and an unknown view', async () => {
    const { list, moderation } = setup();
    const page = answer(await list(asOperator(events.list())));
    expect(page.status).toBe(200);
    moderation.pages.push({ comments: [], next: { PK: 'x', SK: 'y' } });
    const queue = answer(await list(asOperator(events.list())));
    const cursor = (queue.body as { nextCursor: string }).nextCursor;
    expect(typeof cursor).toBe('string');
    expect(fieldsOf(answer(await list(articles({ cursor }))).body)).toEqual(['cursor']);
    const unknown = httpEvent('GET', '/admin/comments', { query: { view: 'authors' } });
    expect(fieldsOf(answer(await list(asOperator(unknown))).body)).toEqual(['view']);
    expect(moderation.articleListCalls).toEqual([]);
  });
});

describe('PATCH /admin/comments/{commentId}', () => {
  it('answers 200 with the admin comment in its new status', async () => {
    const { moderate, moderation } = setup();
    const result = answer(await moderate(asOperator(events.moderate())));
    expect(result.status).toBe(200);
    expect(result.body.comment).toMatchObject({
      id: COMMENT_ID,
      status: 'published',
      email: EMAIL,
    });
    expect(moderation.statusChanges.map((change) => change.status)).toEqual(['published']);
  });

  it.each([{ status: 'removed' }, { status: 'deleted' }, {}])(
    'answers 400 for %j',
    async (body) => {
      const { moderate, moderation } = setup();
      const event = httpEvent('PATCH', `/admin/comments/${COMMENT_ID}`, {
        pathParameters: { commentId: COMMENT_ID },
        body,
      });
      const result = answer(await moderate(asOperator(event)));
      expect(result.status).toBe(400);
      expect(fieldsOf(result.body)).toEqual(['status']);
      expect(moderation.statusChanges).toEqual([]);
    },
  );

  it('answers 400 naming ground when the ground is not one the deployment lists', async () => {
    const { moderate, moderation } = setup();
    const event = httpEvent('PATCH', `/admin/comments/${COMMENT_ID}`, {
      pathParameters: { commentId: COMMENT_ID },
      body: { status: 'spam', ground: 'rudeness' },
    });
    const result = answer(await moderate(asOperator(event)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['ground']);
    expect(moderation.statusChanges).toEqual([]);
  });

  it('takes a listed ground', async () => {
    const { moderate, moderation } = setup();
    const event = httpEvent('PATCH', `/admin/comments/${COMMENT_ID}`, {
      pathParameters: { commentId: COMMENT_ID },
      body: { status: 'spam', ground: 'off-topic' },
    });
    expect(answer(await moderate(asOperator(event))).status).toBe(200);
    expect(moderation.statusChanges.map((change) => change.status)).toEqual(['spam']);
  });

  it('answers 404 for an unknown comment', async () => {
    const { moderate, moderation } = setup();
    moderation.records.clear();
    const result = answer(await moderate(asOperator(events.moderate())));
    expect(result.status).toBe(404);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
  });
});

describe('DELETE /admin/comments/{commentId}', () => {
  it('answers 204 and removes the comment', async () => {
    const { remove, moderation } = setup();
    const result = await remove(asOperator(events.remove()));
    expect(result.statusCode).toBe(204);
    expect(moderation.removed.map((record) => record.commentId)).toEqual([COMMENT_ID]);
  });

  it('answers 404 when the comment went away meanwhile', async () => {
    const { remove, moderation } = setup();
    moderation.remove = async () => {
      throw new CommentNotFoundError();
    };
    expect((await remove(asOperator(events.remove()))).statusCode).toBe(404);
  });
});

describe('POST /admin/erasures', () => {
  it('answers 200 with the number erased, found by the keyed hash of the normalised email', async () => {
    const { erase, moderation } = setup();
    const event = httpEvent('POST', '/admin/erasures', {
      body: { email: ' Ada.Private@Example.com' },
    });
    const result = answer(await erase(asOperator(event)));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({ erased: 2 });
    expect(moderation.erasures).toEqual([hasher.hash('email', EMAIL)]);
  });

  it('answers 400 for an invalid email, erasing nothing', async () => {
    const { erase, moderation } = setup();
    const event = httpEvent('POST', '/admin/erasures', { body: { email: 'not an email' } });
    const result = answer(await erase(asOperator(event)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['email']);
    expect(moderation.erasures).toEqual([]);
  });
});

describe('the console’s operator routes', () => {
  it('GET /admin/counts answers each tab’s count and the decision grounds the console offers', async () => {
    const { counts, moderation } = setup();
    moderation.counts.pending = { count: 2, capped: false };
    const result = answer(await counts(asOperator(events.counts())));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      counts: { pending: 2, published: 0, spam: 0 },
      capped: [],
      grounds: configuration.settings.decisions.grounds,
    });
    expect(configuration.settings.decisions.grounds.length).toBeGreaterThan(0);
    expect(moderation.countCalls.map((call) => call.articleId)).toEqual([
      ARTICLE,
      ARTICLE,
      ARTICLE,
    ]);
  });

  it('GET /admin/erasures?email= answers the count and erases nothing', async () => {
    const { erasureCount, moderation } = setup();
    const result = answer(await erasureCount(asOperator(events.erasureCount())));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ comments: 2 });
    expect(moderation.erasures).toEqual([]);
  });

  it('GET /admin/erasures answers 400 naming the email when it is missing', async () => {
    const { erasureCount } = setup();
    const result = answer(await erasureCount(asOperator(httpEvent('GET', '/admin/erasures'))));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['email']);
  });

  it('PATCH /admin/articles/{articleId} closes the article and answers its state', async () => {
    const { changeArticle, getArticle, moderation } = setup();
    const result = answer(await changeArticle(asOperator(events.changeArticle())));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ articleId: ARTICLE, closed: true });
    expect(moderation.articleChanges).toEqual([{ articleId: ARTICLE, change: { closed: true } }]);
    const state = answer(await getArticle(asOperator(events.getArticle())));
    expect(state.body).toMatchObject({ closed: true });
  });

  it.each([
    [{ closed: 'yes' }, ['closed']],
    [{ open: 'no' }, ['open']],
    [{ open: true, closed: true }, ['open']],
    [{ moderation: 'sometimes' }, ['moderation']],
    [{ commenting: 'badge:gold' }, ['commenting']],
    [
      { commenting: 'friends', moderation: 'most', closeAt: 'soon' },
      ['moderation', 'commenting', 'closeAt'],
    ],
    [{ closeAt: '2026-12-24' }, ['closeAt']],
    [{ closeAt: '2026-13-45T10:00:00Z' }, ['closeAt']],
    [{ closeAt: 1766599200 }, ['closeAt']],
    [{}, ['']],
  ])(
    'PATCH /admin/articles answers 400 for %j, naming %j, and changes nothing',
    async (body, fields) => {
      const { changeArticle, moderation } = setup();
      const event = httpEvent('PATCH', `/admin/articles/${ARTICLE}`, {
        pathParameters: { articleId: ARTICLE },
        body,
      });
      const result = answer(await changeArticle(asOperator(event)));
      expect(result.status).toBe(400);
      expect(fieldsOf(result.body)).toEqual(fields);
      expect(moderation.articleChanges).toEqual([]);
    },
  );

  it('PUT and DELETE /admin/comments/{commentId}/pin pin and unpin', async () => {
    const { pin, unpin, moderation } = setup();
    moderation.records.set(COMMENT_ID, commentRecord({ status: 'published' }));
    const pinned = answer(await pin(asOperator(events.pin())));
    expect(pinned.status).toBe(200);
    expect(pinned.body.comment).toMatchObject({ id: COMMENT_ID, pinned: true });
    const unpinned = answer(await unpin(asOperator(events.unpin())));
    expect(unpinned.body.comment).toMatchObject({ id: COMMENT_ID, pinned: false });
  });

  it('PUT /admin/comments/{commentId}/pin answers 409 for a comment that is not published', async () => {
    const { pin, moderation } = setup();
    const result = answer(await pin(asOperator(events.pin())));
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({ detail: 'Only a published comment can be pinned.' });
    expect(moderation.pins).toEqual([]);
  });

  it('POST /admin/articles/{articleId}/comments answers 201 with a staff comment', async () => {
    const { reply, comments } = setup();
    const result = answer(await reply(asOperator(events.reply())));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      status: 'published',
      comment: { author: { name: 'The editors', staff: true, website: null }, pinned: false },
    });
    expect(comments.inserted).toHaveLength(1);
  });

  it('POST /admin/articles/{articleId}/comments answers 400 naming every bad field', async () => {
    const { reply, comments } = setup();
    const event = httpEvent('POST', `/admin/articles/${ARTICLE}/comments`, {
      pathParameters: { articleId: ARTICLE },
      body: { name: '', body: '', parentId: 'nope' },
    });
    const result = answer(await reply(asOperator(event)));
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body).sort()).toEqual(['body', 'name', 'parentId']);
    expect(comments.inserted).toEqual([]);
  });
});
