import { reactionArea } from '../../../lambda/areas';
import {
  RateLimitedError,
  ServiceBusyError,
  VoteChangedError,
} from '../../../lambda/domain/errors';
import { clientHash } from '../../../lambda/domain/rate-limit';
import { visitorHash } from '../../../lambda/domain/reactions';
import { createHandler as createDelete } from '../../../lambda/handlers/delete-reaction';
import { createHandler as createGet } from '../../../lambda/handlers/get-reactions';
import { createHandler as createPut } from '../../../lambda/handlers/put-reaction';
import { httpEvent } from '../../support/events';
import { FakeReactionStore, fixedClock, hasher } from '../fakes';
import { answer, configuration, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

const ARTICLE = 'russia-north-korea-ties';
const PATH = `/articles/${ARTICLE}/reactions`;
const VISITOR = 'visitor-0123456789abcdef';
const pathParameters = { articleId: ARTICLE };

function deps(store: FakeReactionStore) {
  const reactions = reactionArea({ ...configuration, store, hasher, clock: fixedClock });
  return { ...configuration, areas: { reactions } };
}

describe('GET /articles/{articleId}/reactions', () => {
  it('answers 200 with every count and the visitor’s reaction', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2, 'in-love': 5 }, mine: 'in-love' });
    const result = answer(
      await createGet(deps(store))(
        httpEvent('GET', PATH, { pathParameters, query: { visitorId: VISITOR } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      articleId: ARTICLE,
      counts: { excited: 0, happy: 2, 'in-love': 5, 'not-sure': 0, silly: 0 },
      total: 7,
      mine: 'in-love',
    });
    expect(store.viewReads).toEqual([
      { articleId: ARTICLE, visitorHash: visitorHash(hasher, VISITOR) },
    ]);
  });

  it('answers with mine null without a visitor', async () => {
    const store = new FakeReactionStore({ counts: {}, mine: null });
    const result = answer(await createGet(deps(store))(httpEvent('GET', PATH, { pathParameters })));
    expect(result.status).toBe(200);
    expect(result.body.mine).toBeNull();
    expect(store.viewReads).toEqual([{ articleId: ARTICLE, visitorHash: undefined }]);
  });

  it('answers 400 for a bad visitorId and a bad article id together', async () => {
    const store = new FakeReactionStore();
    const result = answer(
      await createGet(deps(store))(
        httpEvent('GET', '/articles/a b/reactions', {
          pathParameters: { articleId: 'a b' },
          query: { visitorId: 'short' },
        }),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body)).toEqual(['articleId', 'visitorId']);
    expect(store.viewReads).toEqual([]);
  });
});

describe('PUT /articles/{articleId}/reactions', () => {
  const put = (body: unknown, headers: Record<string, string> = {}) =>
    httpEvent('PUT', PATH, { pathParameters, body, headers });

  it('answers 200 with the counts including the new vote', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: null });
    const result = answer(
      await createPut(deps(store))(put({ visitorId: VISITOR, reaction: 'happy' })),
    );
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toMatchObject({ counts: { happy: 2 }, total: 2, mine: 'happy' });
    expect(store.changes).toHaveLength(1);
  });

  it('answers 400 listing an unknown reaction and a bad visitorId, and changes nothing', async () => {
    const store = new FakeReactionStore();
    const result = answer(
      await createPut(deps(store))(put({ visitorId: 'short', reaction: 'angry' })),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body.detail).toBe('The reaction is not valid.');
    expect(fieldsOf(result.body)).toEqual(['visitorId', 'reaction']);
    expect(store.changes).toEqual([]);
  });

  it('answers 415 for a non-JSON body', async () => {
    const store = new FakeReactionStore();
    const result = answer(
      await createPut(deps(store))(put('reaction=happy', { 'content-type': 'text/plain' })),
    );
    expect(result.status).toBe(415);
    expect(store.changes).toEqual([]);
  });

  it('answers 413 for a body over the limit', async () => {
    const store = new FakeReactionStore();
    const result = answer(
      await createPut(deps(store))(
        put({ visitorId: VISITOR, reaction: 'happy', padding: 'x'.repeat(16 * 1024) }),
      ),
    );
    expect(result.status).toBe(413);
    expect(store.changes).toEqual([]);
  });

  it('charges the client by the source IP API Gateway saw, not by X-Forwarded-For', async () => {
    const store = new FakeReactionStore();
    const event = httpEvent('PUT', PATH, {
      pathParameters,
      body: { visitorId: VISITOR, reaction: 'happy' },
      headers: { 'x-forwarded-for': '192.0.2.99' },
      sourceIp: '198.51.100.23',
    });
    await createPut(deps(store))(event);
    expect(store.charges[0]?.map((charge) => charge.clientHash)).toEqual([
      clientHash(hasher, '198.51.100.23'),
      clientHash(hasher, '198.51.100.23'),
    ]);
  });

  it('answers 429 with Retry-After when rate limited', async () => {
    const store = new FakeReactionStore({ counts: { happy: 1 }, mine: null });
    store.failures = [new RateLimitedError(30)];
    const result = answer(
      await createPut(deps(store))(put({ visitorId: VISITOR, reaction: 'happy' })),
    );
    expect(result.status).toBe(429);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers['retry-after']).toBe('30');
    expect(result.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(store.state.counts.happy).toBe(1);
  });

  it('answers 503 with Retry-After when the vote keeps changing concurrently', async () => {
    const store = new FakeReactionStore();
    store.failures = Array.from({ length: 5 }, () => new VoteChangedError());
    const result = answer(
      await createPut(deps(store))(put({ visitorId: VISITOR, reaction: 'happy' })),
    );
    expect(result.status).toBe(503);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('answers 503 when the database is busy', async () => {
    const store = new FakeReactionStore();
    store.failures = [new ServiceBusyError('ProvisionedThroughputExceededException')];
    const result = answer(
      await createPut(deps(store))(put({ visitorId: VISITOR, reaction: 'happy' })),
    );
    expect(result.status).toBe(503);
    expect(result.text).not.toContain('ProvisionedThroughput');
  });
});

describe('DELETE /articles/{articleId}/reactions', () => {
  it('answers 200 with the vote removed', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2 }, mine: 'happy' });
    const result = answer(
      await createDelete(deps(store))(
        httpEvent('DELETE', PATH, { pathParameters, query: { visitorId: VISITOR } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ counts: { happy: 1 }, total: 1, mine: null });
  });

  it('answers 429 when removing a vote is rate limited', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2 }, mine: 'happy' });
    store.failures = [new RateLimitedError(7)];
    const result = answer(
      await createDelete(deps(store))(
        httpEvent('DELETE', PATH, { pathParameters, query: { visitorId: VISITOR } }),
      ),
    );
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('7');
    expect(store.state).toEqual({ counts: { happy: 2 }, mine: 'happy' });
  });

  it('answers 200 unchanged when the visitor has no vote', async () => {
    const store = new FakeReactionStore({ counts: { happy: 2 }, mine: null });
    const result = answer(
      await createDelete(deps(store))(
        httpEvent('DELETE', PATH, { pathParameters, query: { visitorId: VISITOR } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ total: 2, mine: null });
    expect(store.changes).toEqual([]);
  });

  it('answers 400 when the visitorId is missing', async () => {
    const store = new FakeReactionStore();
    const result = answer(
      await createDelete(deps(store))(httpEvent('DELETE', PATH, { pathParameters })),
    );
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([{ field: 'visitorId', message: 'is required' }]);
  });
});
