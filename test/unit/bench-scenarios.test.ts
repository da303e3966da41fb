/**
 * `npm run bench` measures every route with one realistic request (test/bench/handler-overhead.ts)
 * and sizes memory by serving it (test/bench/memory.ts); a route added without one stops the
 * bench halfway through its 30 minutes. This catches it in the unit run instead.
 */

import { createHandler } from '../../lambda/handlers/create-comment';
import { VERIFIED_READERS_MAX } from '../../lambda/readers/verified-readers';
import { ROUTES } from '../../lambda/routes';
import { loadRuntime } from '../../lambda/runtime';
import { BENCH_SECRET } from '../bench/handler-env';
import { cannedHttpClient, stubbedRoutes } from '../bench/handler-overhead';
import { readerAnswerProblem, readerScenarios } from '../bench/reader-cost';
import { KeySetServer } from '../support/reader-issuer';

describe('the bench scenarios', () => {
  it('have a request for every route, and for the fallback', async () => {
    const { scenarios } = await stubbedRoutes();
    const ids = [...ROUTES.map((route) => route.id), 'Fallback'];
    expect(ids.filter((id) => scenarios[id] === undefined)).toEqual([]);
  });
});

describe('the signed-in readers bench (test/bench/reader-cost.ts)', () => {
  const keySet = new KeySetServer();
  afterAll(() => keySet.stop());

  it('writes as a reader in every verified scenario, and as a guest in the guest one', async () => {
    const { settings, scenarios } = await readerScenarios(await keySet.start(), keySet);
    const client = cannedHttpClient(() => ({}));
    const runtime = loadRuntime(
      { TABLE_NAME: 'bench', TALKBACK_SECRET: BENCH_SECRET, TALKBACK_SETTINGS: settings },
      { client },
    );
    const handler = createHandler(runtime);
    const problems: Record<string, string | undefined> = {};
    for (const scenario of scenarios) {
      problems[scenario.name] = readerAnswerProblem(
        await handler(scenario.events[0] as never),
        scenario,
      );
    }
    client.destroy();
    expect(problems).toEqual(Object.fromEntries(scenarios.map((s) => [s.name, undefined])));
    expect(scenarios.map((s) => s.verified)).toEqual([
      false,
      ...scenarios.slice(1).map(() => true),
    ]);
  }, 60_000);

  it('gives each new-token scenario more distinct tokens than an instance remembers', async () => {
    const { scenarios } = await readerScenarios('http://127.0.0.1:9/jwks', keySet);
    const fresh = scenarios.filter((s) => s.name.includes('a new token each time'));
    expect(fresh).toHaveLength(4);
    for (const scenario of fresh) {
      const distinct = new Set(scenario.events.map((event) => JSON.stringify(event)));
      expect(distinct.size).toBe(scenario.events.length);
      expect(distinct.size).toBeGreaterThan(VERIFIED_READERS_MAX);
    }
  }, 60_000);
});
