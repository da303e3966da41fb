import fc from 'fast-check';
import type { ArticleCounts } from '../../../lambda/domain/ports';
import { DEFAULT_SETTINGS } from '../../../lambda/domain/settings';
import { buildSchemas, validate } from '../../../lambda/domain/validation';
import { countsJson, createHandler } from '../../../lambda/handlers/get-counts';
import { httpEvent } from '../../support/events';
import { FakeReactionStore } from '../fakes';
import { answer, configuration, fieldsOf, JSON_TYPE, PROBLEM_TYPE } from './support';

describe('GET /counts', () => {
  it('answers 200 with every requested article, zeros for unknown ones', async () => {
    const store = new FakeReactionStore(
      undefined,
      new Map([['known', { commentCount: 4, reactionTotal: 9 }]]),
    );
    const result = answer(
      await createHandler({ ...configuration, areas: { counts: store } })(
        httpEvent('GET', '/counts', { query: { articles: 'known,unknown' } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      articles: {
        known: { commentCount: 4, reactionTotal: 9 },
        unknown: { commentCount: 0, reactionTotal: 0 },
      },
    });
  });

  it('asks the store once per distinct id when an id is listed twice', async () => {
    const store = new FakeReactionStore(
      undefined,
      new Map([['a', { commentCount: 1, reactionTotal: 2 }]]),
    );
    const result = answer(
      await createHandler({ ...configuration, areas: { counts: store } })(
        httpEvent('GET', '/counts', { query: { articles: 'a,b,a' } }),
      ),
    );
    expect(result.status).toBe(200);
    expect(store.countQueries).toEqual([['a', 'b']]);
    expect(Object.keys((result.body as { articles: object }).articles)).toEqual(['a', 'b']);
  });

  it.each([
    ['missing', {}],
    ['empty', { articles: '' }],
    ['over 100 ids', { articles: Array.from({ length: 101 }, (_, i) => `a${i}`).join(',') }],
    ['with a bad id', { articles: 'good,bad id' }],
  ])('answers 400 when articles is %s', async (_case, query) => {
    const store = new FakeReactionStore();
    const result = answer(
      await createHandler({ ...configuration, areas: { counts: store } })(
        httpEvent('GET', '/counts', { query }),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body)).toEqual(['articles']);
    expect(store.countQueries).toEqual([]);
  });

  it('writes JSON that parses to the same answer, every article in the order asked', () => {
    const count = fc.integer({ min: 0, max: 2 ** 40 });
    // Article ids as the counts query admits them, number-like and Object.prototype names included.
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9\-_.~]{1,128}$/),
      fc.constantFrom('constructor', '__proto__', 'toString', '0', '42', '-', '~.~'),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(id, count, count), { selector: ([key]) => key, maxLength: 30 }),
        (rows) => {
          const entries = rows.map(([key, commentCount, reactionTotal]) => [
            key,
            { commentCount, reactionTotal },
          ]) satisfies [string, ArticleCounts][];
          const text = countsJson(entries);
          const parsed = JSON.parse(text) as { articles: Record<string, ArticleCounts> };
          expect(Object.keys(parsed)).toEqual(['articles']);
          // Compared as sorted entries: an id such as "constructor" is an own key of both
          // objects, which Jest's object equality would take for the objects' class.
          const byId = (a: [string, unknown], b: [string, unknown]) =>
            a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
          expect(Object.entries(parsed.articles).sort(byId)).toEqual([...entries].sort(byId));
          const positions = entries.map(([key]) => text.indexOf(`${JSON.stringify(key)}:{`));
          expect(positions.every((at, index) => at > (positions[index - 1] ?? 0))).toBe(true);
        },
      ),
    );
  });

  it('writes valid JSON for any list the counts query accepts', () => {
    // Ids are written without escaping: this holds only because the query admits no character
    // that JSON would escape.
    const schemas = buildSchemas(DEFAULT_SETTINGS);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), (ids) => {
        const checked = validate(schemas.countsQuery, { articles: ids.join(',') });
        if (!checked.ok) return;
        const entries = checked.value.articles.map((id): [string, ArticleCounts] => [
          id,
          { commentCount: 1, reactionTotal: 2 },
        ]);
        const parsed = JSON.parse(countsJson(entries)) as { articles: object };
        // Sorted: an object lists number-like keys such as "0" first (the order is tested above).
        expect(Object.keys(parsed.articles).sort()).toEqual([...checked.value.articles].sort());
      }),
      { numRuns: 2_000 },
    );
  });
});
