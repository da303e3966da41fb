/**
 * `npm run bench` measures every route with one realistic request (test/bench/handler-overhead.ts)
 * and sizes memory by serving it (test/bench/memory.ts); a route added without one stops the
 * bench halfway through its 30 minutes. This catches it in the unit run instead.
 */

import { ROUTES } from '../../lambda/routes';
import { stubbedRoutes } from '../bench/handler-overhead';

describe('the bench scenarios', () => {
  it('have a request for every route, and for the fallback', async () => {
    const { scenarios } = await stubbedRoutes();
    const ids = [...ROUTES.map((route) => route.id), 'Fallback'];
    expect(ids.filter((id) => scenarios[id] === undefined)).toEqual([]);
  });
});
