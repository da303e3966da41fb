import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { type CommentRecord, toAdminComment, toPublicComment } from '../../lambda/domain/comment';
import { toView } from '../../lambda/domain/reactions';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import { countsJson } from '../../lambda/handlers/get-counts';
import { problems } from '../../lambda/http/problem';
import { json, jsonText, problemResponse } from '../../lambda/http/response';
import {
  JSON_FAST_PATH_FLAG,
  jsonFastPathIsOptIn,
  useJsonFastPath,
} from '../../lambda/json-fast-path';
import { loadConfiguration, loadRuntime } from '../../lambda/runtime';

const GENERAL_SERIALISER_FLAG = '--no-json-stringify-fast-path';

/** The flag as this process's functions leave it (tests may run with TALKBACK_JSON_FAST_PATH=off). */
const restoreFlag = () =>
  setFlagsFromString(
    process.env.TALKBACK_JSON_FAST_PATH === 'off' ? GENERAL_SERIALISER_FLAG : JSON_FAST_PATH_FLAG,
  );

/** What `write` returns with V8's fast path, and with its general serialiser, in that order. */
function bothWays(write: () => string | undefined): [string | undefined, string | undefined] {
  setFlagsFromString(JSON_FAST_PATH_FLAG);
  try {
    const fast = write();
    setFlagsFromString(GENERAL_SERIALISER_FLAG);
    return [fast, write()];
  } finally {
    restoreFlag();
  }
}

/**
 * Whether JSON.stringify runs on the fast path now, seen without a clock: the fast path walks a
 * value iteratively, so it writes one nested 20,000 deep, where the general serialiser's recursion
 * runs out of stack.
 */
function fastPathIsOn(): boolean {
  let deep: unknown = null;
  for (let depth = 0; depth < 20_000; depth++) deep = { x: deep };
  try {
    JSON.stringify(deep);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

const serialised = (value: unknown) => bothWays(() => JSON.stringify(value));

// Every kind of string an author can send, lone surrogates and control characters included.
const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom('\ud800', 'a\udfffb', '\u2028\u2029', '\u0000\u001f', '"\\/', '😀 é'),
);
const orNull = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });

const record: fc.Arbitrary<CommentRecord> = fc.record({
  commentId: text,
  articleId: text,
  parentId: orNull(text),
  authorName: text,
  authorWebsite: orNull(text),
  body: text,
  createdAt: text,
  editedAt: orNull(text),
  email: orNull(text),
  emailHash: orNull(text),
  editTokenHash: orNull(text),
  status: fc.constantFrom('published', 'pending', 'spam'),
  staff: fc.boolean(),
  pinned: fc.boolean(),
});

describe('useJsonFastPath', () => {
  afterEach(restoreFlag);

  it.each([
    ['loadRuntime', loadRuntime],
    ['loadConfiguration', loadConfiguration],
  ])('is turned on by %s, as each function starts', (_name, load) => {
    setFlagsFromString(GENERAL_SERIALISER_FLAG);
    expect(fastPathIsOn()).toBe(false);
    load({
      TABLE_NAME: 'talkback-test',
      TALKBACK_SECRET: 'test-secret-0123456789-0123456789-abcdef',
    });
    expect(fastPathIsOn()).toBe(true);
  });

  it('is left off by loadRuntime when TALKBACK_JSON_FAST_PATH is off', () => {
    setFlagsFromString(GENERAL_SERIALISER_FLAG);
    loadRuntime({
      TABLE_NAME: 'talkback-test',
      TALKBACK_SECRET: 'test-secret-0123456789-0123456789-abcdef',
      TALKBACK_JSON_FAST_PATH: 'off',
    });
    expect(fastPathIsOn()).toBe(false);
  });

  it.each([
    ['13.6.233.17-node.53', true],
    ['13.7.152.1', true],
    ['13.8.258.19-node.2', false],
    ['14.1.146.11-node.14', false],
    ['12.4.254.21-node.33', false],
  ])('on V8 %s sets the flag: %s', (version, expected) => {
    const set: string[] = [];
    expect(useJsonFastPath({}, version, (flags) => set.push(flags))).toBe(expected);
    expect(set).toEqual(expected ? ['--json-stringify-fast-path'] : []);
  });

  it('leaves V8 as it is when TALKBACK_JSON_FAST_PATH is off', () => {
    const set: string[] = [];
    const env = { TALKBACK_JSON_FAST_PATH: 'off' };
    expect(useJsonFastPath(env, '13.6.233.17-node.53', (flags) => set.push(flags))).toBe(false);
    expect(set).toEqual([]);
  });

  it('sets the flag when TALKBACK_JSON_FAST_PATH is on', () => {
    const set: string[] = [];
    const env = { TALKBACK_JSON_FAST_PATH: 'on' };
    expect(useJsonFastPath(env, '13.6.233.17-node.53', (flags) => set.push(flags))).toBe(true);
    expect(set).toEqual(['--json-stringify-fast-path']);
  });

  it('makes loadRuntime refuse any other value, naming the variable', () => {
    const env = {
      TABLE_NAME: 'talkback-test',
      TALKBACK_SECRET: 'test-secret-0123456789-0123456789-abcdef',
      TALKBACK_JSON_FAST_PATH: 'false',
    };
    expect(() => loadRuntime(env)).toThrow(
      'TALKBACK_JSON_FAST_PATH must be "on" or "off", not "false"',
    );
  });
});

describe("V8's JSON.stringify fast path", () => {
  it('applies to the V8 the tests run on (Node 24, as Lambda runs it)', () => {
    // Otherwise the comparisons below would compare the general serialiser with itself.
    expect(jsonFastPathIsOptIn(process.versions.v8)).toBe(true);
  });

  it('writes a public page of comments byte for byte as the general serialiser does', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 50 }),
        fc.nat(),
        orNull(text),
        (records, commentCount, nextCursor) => {
          const page = {
            articleId: records[0]?.articleId ?? 'article',
            commentCount,
            comments: records.map(toPublicComment),
            nextCursor,
          };
          const [fast, general] = serialised(page);
          expect(fast).toBe(general);
          // And the result as Lambda's runtime serialises it, the page's text inside.
          const [fastResult, generalResult] = serialised(json(200, page));
          expect(fastResult).toBe(generalResult);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes an operators' page byte for byte as the general serialiser does", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 50 }), orNull(text), (records, nextCursor) => {
        const [fast, general] = serialised({
          comments: records.map((one) => toAdminComment(one, one.pinned)),
          nextCursor,
        });
        expect(fast).toBe(general);
      }),
      { numRuns: 300 },
    );
  });

  it('writes reactions, counts and config byte for byte as the general serialiser does', () => {
    const settings = DEFAULT_SETTINGS;
    const count = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 31, Number.MAX_SAFE_INTEGER));
    const counts = fc.record({ commentCount: count, reactionTotal: count });
    fc.assert(
      fc.property(
        text,
        fc.array(count, { minLength: 5, maxLength: 5 }),
        orNull(fc.constantFrom(...settings.reactions.map((reaction) => reaction.key))),
        fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9\-_.~]{1,128}$/), counts), {
          maxLength: 100,
        }),
        (articleId, numbers, mine, entries) => {
          const byKey = Object.fromEntries(
            settings.reactions.map((reaction, index) => [reaction.key, numbers[index] ?? 0]),
          );
          const reactions = toView(settings, articleId, { counts: byKey, mine });
          const config = { reactions: settings.reactions, limits: settings.limits };
          for (const answer of [reactions, config]) {
            const [fast, general] = serialised(answer);
            expect(fast).toBe(general);
          }
          // countsJson writes its own text; Lambda's runtime then serialises the whole result.
          const [fast, general] = serialised(jsonText(200, countsJson(entries)));
          expect(fast).toBe(general);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['without', undefined],
    ['with', 'request-1'],
  ])(
    'writes problem+json bodies %s a request id byte for byte as the general serialiser does',
    (_with, requestId) => {
      fc.assert(
        fc.property(text, text, (field, detail) => {
          const problem = problems.invalid(detail, [{ field, message: 'is not valid' }]);
          const [fast, general] = bothWays(() => problemResponse(problem, requestId).body);
          expect(fast).toBe(general);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('writes any JSON value byte for byte as the general serialiser does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const [fast, general] = serialised(value);
        expect(fast).toBe(general);
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes any other value (dates, boxed values, typed and sparse arrays) as the general serialiser does', () => {
    // Most of these leave the fast path for the general serialiser: it must do so cleanly.
    fc.assert(
      fc.property(
        fc.anything({
          maxDepth: 4,
          maxKeys: 8,
          withBoxedValues: true,
          withDate: true,
          withNullPrototype: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
        (value) => {
          const [fast, general] = serialised(value);
          expect(fast).toBe(general);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
