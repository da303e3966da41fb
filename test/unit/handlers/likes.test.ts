import type { LikeDeps } from '../../../lambda/domain/likes';
import { visitorHash } from '../../../lambda/domain/reactions';
import { type Reader, ReaderTokenError } from '../../../lambda/domain/readers';
import { createHandler as createDelete } from '../../../lambda/handlers/delete-like';
import { createHandler as createPut } from '../../../lambda/handlers/put-like';
import { httpEvent } from '../../support/events';
import { FakeLikeStore, fixedClock, hasher } from '../fakes';
import { answer, configuration, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

const COMMENT = '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C';
const PATH = `/comments/${COMMENT}/likes`;
const VISITOR = 'visitor-0123456789abcdef';
const pathParameters = { commentId: COMMENT };

const ada: Reader = { sub: 'user-42', name: 'Ada', email: null, badges: [] };
const verifyReader = async (token: string) => {
  if (token !== 'good-token') throw new ReaderTokenError('has a bad signature');
  return ada;
};

function deps(store: FakeLikeStore) {
  const likes: LikeDeps = { ...configuration, store, hasher, clock: fixedClock };
  return { ...configuration, areas: { likes, readers: { verifyReader } } };
}

describe('PUT /comments/{commentId}/likes', () => {
  const put = (body: unknown, headers: Record<string, string> = {}) =>
    httpEvent('PUT', PATH, { pathParameters, body, headers });

  it('answers 200 with the count and liked: true', async () => {
    const store = new FakeLikeStore();
    store.likes = 2;
    const result = answer(await createPut(deps(store))(put({ visitorId: VISITOR })));
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.headers['cache-control']).toBe('no-store');
    expect(result.body).toStrictEqual({ commentId: COMMENT, likes: 3, liked: true });
    expect([...store.liked]).toEqual([visitorHash(hasher, VISITOR)]);
  });

  it('answers 400 naming a bad comment id and a bad visitor id together', async () => {
    const store = new FakeLikeStore();
    const result = answer(
      await createPut(deps(store))(
        httpEvent('PUT', '/comments/nope/likes', {
          pathParameters: { commentId: 'nope' },
          body: { visitorId: 'short' },
        }),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body)).toEqual(['commentId', 'visitorId']);
    expect(store.changes).toEqual([]);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const result = answer(
      await createPut(deps(new FakeLikeStore()))(
        put(`visitorId=${VISITOR}`, { 'content-type': 'application/x-www-form-urlencoded' }),
      ),
    );
    expect(result.status).toBe(415);
  });

  it('answers 401 naming reader for a bad token, writing nothing', async () => {
    const store = new FakeLikeStore();
    const result = answer(
      await createPut(deps(store))(put({ visitorId: VISITOR, reader: 'forged-token' })),
    );
    expect(result.status).toBe(401);
    expect(fieldsOf(result.body)).toEqual(['reader']);
    expect(store.changes).toEqual([]);
  });

  it('answers 404 for a comment that is not published', async () => {
    const store = new FakeLikeStore();
    store.published = false;
    const result = answer(await createPut(deps(store))(put({ visitorId: VISITOR })));
    expect(result.status).toBe(404);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
  });
});

describe('DELETE /comments/{commentId}/likes', () => {
  it('takes back the like of the visitor named in the query', async () => {
    const store = new FakeLikeStore();
    store.liked.add(visitorHash(hasher, VISITOR));
    store.likes = 1;
    const result = answer(
      await createDelete(deps(store))(
        httpEvent('DELETE', PATH, { pathParameters, query: { visitorId: VISITOR } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body).toStrictEqual({ commentId: COMMENT, likes: 0, liked: false });
  });

  it("takes back a signed-in reader's like from the token in the body", async () => {
    const store = new FakeLikeStore();
    const put = await createPut(deps(store))(
      httpEvent('PUT', PATH, {
        pathParameters,
        body: { visitorId: VISITOR, reader: 'good-token' },
      }),
    );
    expect(put.statusCode).toBe(200);
    const result = answer(
      await createDelete(deps(store))(
        httpEvent('DELETE', PATH, { pathParameters, body: { reader: 'good-token' } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body.liked).toBe(false);
    expect(store.liked.size).toBe(0);
  });

  it('answers 400 naming visitorId when neither a visitor nor a reader is given', async () => {
    const store = new FakeLikeStore();
    const result = answer(
      await createDelete(deps(store))(httpEvent('DELETE', PATH, { pathParameters })),
    );
    expect(result.status).toBe(400);
    expect(fieldsOf(result.body)).toEqual(['visitorId']);
    expect(store.changes).toEqual([]);
  });
});
