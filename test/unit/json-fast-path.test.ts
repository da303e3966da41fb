import { setFlagsFromString } from 'node:v8';
import fc from 'fast-check';
import { type CommentRecord, toAdminComment, toPublicComment } from '../../lambda/domain/comment';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import { problems } from '../../lambda/http/problem';
import { problemResponse } from '../../lambda/http/response';
import {
  JSON_FAST_PATH_FLAG,
  jsonFastPathIsOptIn,
  loadRuntime,
  useJsonFastPath,
} from '../../lambda/runtime';

/** What `write` returns with V8's fast path, and with its general serialiser, in that order. */
function bothWays(write: () => string | undefined): [string | undefined, string | undefined] {
  setFlagsFromString(JSON_FAST_PATH_FLAG);
  const fast = write();
  setFlagsFromString('--no-json-stringify-fast-path');
  try {
    return [fast, write()];
  } finally {
    // As every function runs: loadRuntime turns the fast path on.
    setFlagsFromString(JSON_FAST_PATH_FLAG);
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
});

describe('useJsonFastPath', () => {
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
        },
      ),
      { numRuns: 300 },
    );
  });

  it("writes an operators' page byte for byte as the general serialiser does", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 50 }), orNull(text), (records, nextCursor) => {
        const [fast, general] = serialised({
          comments: records.map(toAdminComment),
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
    fc.assert(
      fc.property(
        text,
        fc.array(count, { minLength: 5, maxLength: 5 }),
        orNull(text),
        (articleId, numbers, mine) => {
          const counts = Object.fromEntries(
            settings.reactions.map((reaction, index) => [reaction.key, numbers[index]]),
          );
          const total = numbers.reduce((sum, n) => sum + n, 0);
          for (const answer of [
            { articleId, counts, total, mine },
            { articles: { [articleId]: { commentCount: total, reactionTotal: numbers[0] } } },
            { reactions: settings.reactions, limits: settings.limits },
          ]) {
            const [fast, general] = serialised(answer);
            expect(fast).toBe(general);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes problem+json bodies byte for byte as the general serialiser does', () => {
    fc.assert(
      fc.property(text, text, (field, detail) => {
        const problem = problems.invalid(detail, [{ field, message: 'is not valid' }]);
        const [fast, general] = bothWays(() => problemResponse(problem, 'request-1').body);
        expect(fast).toBe(general);
      }),
      { numRuns: 300 },
    );
  });

  it('writes any value byte for byte as the general serialiser does', () => {
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
