import { cacheControl, withCacheControl } from '../../../lambda/http/response';
import { FALLBACK_ROUTE, ROUTES } from '../../../lambda/routes';

const SHARED = /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/;

describe('the route table cache decisions', () => {
  it.each(ROUTES.filter((route) => route.method !== 'GET').map((route) => [route.id]))(
    '%s (a write) is never stored',
    (id) => {
      expect(ROUTES.find((route) => route.id === id)?.cache).toEqual({ kind: 'no-store' });
    },
  );

  it.each(
    ROUTES.filter((route) => route.auth === 'operator' || route.access === 'own-comment').map(
      (route) => [route.id],
    ),
  )('%s (operators or an author own comment) is never stored', (id) => {
    expect(ROUTES.find((route) => route.id === id)?.cache).toEqual({ kind: 'no-store' });
  });

  it('stores nothing of the fallback (404 and 405)', () => {
    expect(FALLBACK_ROUTE.cache).toEqual({ kind: 'no-store' });
  });

  it.each(ROUTES.filter((route) => route.cache.kind === 'public').map((route) => [route.id]))(
    '%s has a cache key without repeats that holds the parameter making it private',
    (id) => {
      const route = ROUTES.find((entry) => entry.id === id);
      if (route?.cache.kind !== 'public') throw new Error('not public');
      expect(new Set(route.cache.query).size).toBe(route.cache.query.length);
      if (route.cache.privateWith !== undefined) {
        // A parameter that makes an answer private must be in the key, or a shared copy made
        // without it would answer a request with it.
        expect(route.cache.query).toContain(route.cache.privateWith);
      }
    },
  );
});

describe('cacheControl', () => {
  it.each([
    ['GetThread', 'public, max-age=5, s-maxage=5, stale-while-revalidate=30'],
    ['ListComments', 'public, max-age=5, s-maxage=5, stale-while-revalidate=30'],
    ['GetReactions', 'public, max-age=5, s-maxage=5, stale-while-revalidate=30'],
    ['GetCounts', 'public, max-age=60, s-maxage=60, stale-while-revalidate=300'],
    ['GetConfig', 'public, max-age=300, s-maxage=300, stale-while-revalidate=3600'],
    ['CreateComment', 'no-store'],
    ['PutReaction', 'no-store'],
    ['AdminListComments', 'no-store'],
    ['EditComment', 'no-store'],
  ])('gives %s a success answer of %s', (id, expected) => {
    const route = ROUTES.find((entry) => entry.id === id);
    if (!route) throw new Error(`no route ${id}`);
    expect(cacheControl(route.cache, {})).toBe(expected);
  });

  it.each([
    [undefined, 'public, max-age=5, s-maxage=5, stale-while-revalidate=30'],
    [3600, 'public, max-age=5, s-maxage=5, stale-while-revalidate=30'],
    [20, 'public, max-age=5, s-maxage=5, stale-while-revalidate=15'],
    [5.9, 'public, max-age=5, s-maxage=5, stale-while-revalidate=0'],
    [3, 'public, max-age=3, s-maxage=3, stale-while-revalidate=0'],
    [0, 'public, max-age=0, s-maxage=0, stale-while-revalidate=0'],
  ])(
    'keeps an answer true for %j more seconds no longer, stale time included: %s',
    (seconds, expected) => {
      const route = ROUTES.find((entry) => entry.id === 'GetThread');
      if (!route) throw new Error('no route');
      expect(cacheControl(route.cache, {}, seconds)).toBe(expected);
    },
  );

  it('makes GET reactions private when the request names a visitor', () => {
    const route = ROUTES.find((entry) => entry.id === 'GetReactions');
    if (!route) throw new Error('no route');
    expect(cacheControl(route.cache, { visitorId: 'v'.repeat(20) })).toBe('private, no-store');
    expect(cacheControl(route.cache, { visitorId: undefined })).toMatch(SHARED);
  });

  it('leaves an error answer no-store', () => {
    const problem = { statusCode: 400, headers: { 'cache-control': 'no-store' }, body: '{}' };
    expect(withCacheControl(problem, 'public, max-age=5').headers).toEqual({
      'cache-control': 'no-store',
    });
    expect(withCacheControl({ statusCode: 200, body: '{}' }, 'public, max-age=5').headers).toEqual({
      'cache-control': 'public, max-age=5',
    });
  });
});
