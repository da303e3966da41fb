import { decodeCursor } from '../../../lambda/domain/cursor';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { createHandler } from '../../../lambda/handlers/get-thread';
import { httpEvent } from '../../support/events';
import { FakeCommentStore, hasher, NOW, publicFields } from '../fakes';
import {
  answer,
  commentHandlerDeps,
  configuration,
  configurationWith,
  fieldsOf,
  JSON_TYPE,
  PROBLEM_TYPE,
} from './support';

const ARTICLE = 'russia-north-korea-ties';

function get(query: Record<string, string> = {}, articleId = ARTICLE) {
  return httpEvent('GET', `/articles/${articleId}`, { pathParameters: { articleId }, query });
}

function setup(comments = new FakeCommentStore(), config = configuration) {
  return { comments, handler: createHandler(commentHandlerDeps(comments, config)) };
}

const STATS = {
  commentCount: 3,
  reactionCounts: { happy: 2, 'in-love': 5, gone: 9 },
  reactionTotal: 7,
  closed: false,
};

describe('GET /articles/{articleId}', () => {
  it('answers every configured reaction in display order with its count, the first page and the limits, from one page read', async () => {
    const { handler, comments } = setup(
      new FakeCommentStore([
        {
          commentCount: 3,
          stats: STATS,
          comments: [publicFields(), publicFields()],
          nextAfter: 'COMMENT#x',
        },
      ]),
    );
    const result = answer(await handler(get({ limit: '2', order: 'newest' })));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toMatchObject({
      articleId: ARTICLE,
      open: true,
      reactions: [
        { key: 'excited', label: 'Excited', count: 0 },
        { key: 'happy', label: 'Happy', count: 2 },
        { key: 'in-love', label: 'In Love', count: 5 },
        { key: 'not-sure', label: 'Not Sure', count: 0 },
        { key: 'silly', label: 'Silly', count: 0 },
      ],
      reactionTotal: 7,
      commentCount: 3,
      limits: configuration.settings.limits,
      moderation: { editWindowMinutes: configuration.settings.moderation.editWindowMinutes },
    });
    expect(result.body.comments).toHaveLength(2);
    expect(result.body).not.toHaveProperty('mine');
    expect(comments.queries).toEqual([{ articleId: ARTICLE, order: 'newest', limit: 2 }]);
    // The cursor continues the same list on GET …/comments.
    expect(
      decodeCursor(String(result.body.nextCursor), { articleId: ARTICLE, order: 'newest' }, hasher),
    ).toEqual({ articleId: ARTICLE, order: 'newest', after: 'COMMENT#x', commentCount: 3 });
  });

  it('answers an unknown article with zeros, open and no comments', async () => {
    const { handler, comments } = setup();
    const result = answer(await handler(get()));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      open: true,
      reactionTotal: 0,
      commentCount: 0,
      comments: [],
      nextCursor: null,
    });
    expect((result.body.reactions as { count: number }[]).map((r) => r.count)).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(comments.queries).toEqual([{ articleId: ARTICLE, order: 'oldest', limit: 50 }]);
  });

  it('says open: false for an article a moderator closed', async () => {
    const { handler } = setup(
      new FakeCommentStore([
        { commentCount: 0, stats: { ...STATS, closed: true }, comments: [], nextAfter: null },
      ]),
    );
    expect(answer(await handler(get())).body.open).toBe(false);
  });

  it('follows the deployment reaction set', async () => {
    const config = configurationWith({ reactions: [{ key: 'up', label: 'Up' }] });
    const { handler } = setup(
      new FakeCommentStore([
        {
          commentCount: 0,
          stats: { ...STATS, reactionCounts: { up: 4 } },
          comments: [],
          nextAfter: null,
        },
      ]),
      config,
    );
    expect(answer(await handler(get())).body.reactions).toEqual([
      { key: 'up', label: 'Up', count: 4 },
    ]);
  });

  it('is cacheable by a shared cache for a few seconds', async () => {
    const { handler } = setup();
    expect(answer(await handler(get())).headers['cache-control']).toBe(
      'public, max-age=5, s-maxage=5, stale-while-revalidate=30',
    );
  });

  it('reads its path from the raw path when no route filled it in (a function URL)', async () => {
    const { handler, comments } = setup();
    const event = httpEvent('GET', `/articles/${ARTICLE}`);
    expect(event.pathParameters).toBeUndefined();
    expect(answer(await handler(event)).status).toBe(200);
    expect(comments.queries).toEqual([{ articleId: ARTICLE, order: 'oldest', limit: 50 }]);
  });

  it('answers 404 for a raw path of no route, and 405 for another method, reading nothing', async () => {
    const { handler, comments } = setup();
    const elsewhere = answer(await handler(httpEvent('GET', `/articles/${ARTICLE}/likes`)));
    expect(elsewhere.status).toBe(404);
    const posted = answer(await handler(httpEvent('POST', `/articles/${ARTICLE}`, { body: {} })));
    expect(posted.status).toBe(405);
    expect(posted.headers.allow).toBe('GET');
    expect(posted.headers['cache-control']).toBe('no-store');
    expect(comments.queries).toEqual([]);
    expect(answer(await handler(httpEvent('HEAD', `/articles/${ARTICLE}`))).status).toBe(200);
  });

  it('answers 400 listing a bad article id, limit and order together, uncached, reading nothing', async () => {
    const { handler, comments } = setup();
    const result = answer(await handler(get({ limit: '0', order: 'up' }, 'no spaces')));
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers['cache-control']).toBe('no-store');
    expect(fieldsOf(result.body).sort()).toEqual(['articleId', 'limit', 'order']);
    expect(comments.queries).toEqual([]);
  });

  it('answers 503 with Retry-After, uncached, when the table is busy', async () => {
    const comments = new FakeCommentStore();
    comments.page = async () => {
      throw new ServiceBusyError('throttled');
    };
    const { handler } = setup(comments);
    const result = answer(await handler(get()));
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('1');
    expect(result.headers['cache-control']).toBe('no-store');
  });
});

describe('GET /articles/{articleId} and the article’s own settings', () => {
  const DAY = 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const page = (stats: Record<string, unknown>) =>
    new FakeCommentStore([
      { commentCount: 3, stats: { ...STATS, ...stats }, comments: [], nextAfter: null },
    ]);
  const READERS = {
    issuers: [{ issuer: 'https://news.example', audience: 't', jwksUrl: 'https://news.example/k' }],
    badges: ['subscriber'],
  };

  it('is open until the article’s closeAt, and no cache keeps it past that time', async () => {
    const { handler } = setup(page({ closeAt: at(NOW + 20_000) }));
    const result = answer(await handler(get()));
    expect(result.body.open).toBe(true);
    expect(result.headers['cache-control']).toBe(
      'public, max-age=5, s-maxage=5, stale-while-revalidate=15',
    );
    expect(result.body).not.toHaveProperty('freshForSeconds');
  });

  it('is closed from the article’s closeAt on, with no write at that time', async () => {
    const { handler } = setup(page({ closeAt: at(NOW) }));
    const result = answer(await handler(get()));
    expect(result.body.open).toBe(false);
    expect(result.headers['cache-control']).toBe(
      'public, max-age=5, s-maxage=5, stale-while-revalidate=30',
    );
  });

  it('closes autoCloseDays after the article’s first comment', async () => {
    const config = configurationWith({ autoCloseDays: 3 });
    const before = answer(
      await setup(page({ firstCommentAt: at(NOW - 3 * DAY + 2_000) }), config).handler(get()),
    );
    expect(before.body.open).toBe(true);
    expect(before.headers['cache-control']).toBe(
      'public, max-age=2, s-maxage=2, stale-while-revalidate=0',
    );
    const after = answer(
      await setup(page({ firstCommentAt: at(NOW - 3 * DAY) }), config).handler(get()),
    );
    expect(after.body.open).toBe(false);
  });

  it('says who may comment on the article: its own mode over the deployment’s', async () => {
    const config = configurationWith({ readers: { ...READERS, commenting: 'signed-in' } });
    const own = answer(
      await setup(page({ commenting: 'badge:subscriber' }), config).handler(get()),
    );
    expect(own.body.commenting).toBe('badge:subscriber');
    const deployment = answer(await setup(page({}), config).handler(get()));
    expect(deployment.body.commenting).toBe('signed-in');
  });
});
