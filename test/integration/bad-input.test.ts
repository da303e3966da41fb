import { ulid } from '../../lambda/domain/ids';
import { CommentRepository } from '../../lambda/store/comment-repository';
import { type Api, type ApiRequest, type ApiResponse, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

// Seeding makes many sequential requests to one shared local engine, which can outlast Jest's
// 5 s default under load (the project's testTimeout in jest.config.js does not reach tests).
jest.setTimeout(30_000);

const ARTICLE = 'bad-input';
const COMMENTS = `/articles/${ARTICLE}/comments`;
const REACTIONS = `/articles/${ARTICLE}/reactions`;
const VISITOR = 'bad-input-visitor-01';
/** A well-formed comment id that names no comment. */
const OWN = '/comments/01M8CYWZ34KHFZS9XHGHJE5FAC';
const VALID = { name: 'Ada', email: 'ada@example.com', body: 'A fine comment.' };

let table: TestTable;
let api: Api;
/** Comment ids the table holds before the rows run. */
const seeded = { published: '', pending: '', otherArticle: '' };

/** A syntactically valid address of exactly `length` characters (at least 70). */
function emailOfLength(length: number): string {
  const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(length - 64 - 1 - 128 - 4)}.com`;
  return `${'a'.repeat(64)}@${domain}`;
}

interface Row {
  method: string;
  path: string;
  request?: ApiRequest | (() => ApiRequest);
  status: number;
  /** The fields the problem's `errors` must name, in any order; [] for none. */
  fields: string[];
  headers?: Record<string, string>;
}

const comment = (fields: Record<string, unknown>): Row['request'] => ({
  body: { ...VALID, ...fields },
});
const without = (field: keyof typeof VALID): Row['request'] => {
  const { [field]: _, ...rest } = VALID;
  return { body: rest };
};

/** A comment whose `field` is `value`: refused with 400 naming that field. */
const badField = (field: string, value: unknown): Row => ({
  method: 'POST',
  path: COMMENTS,
  request: comment({ [field]: value }),
  status: 400,
  fields: [field],
});

const ROWS: [string, Row][] = [
  // 400: the body is not a JSON object
  [
    'POST comments with invalid JSON',
    { method: 'POST', path: COMMENTS, request: { body: '{"name":' }, status: 400, fields: [] },
  ],
  [
    'POST comments with an empty body',
    { method: 'POST', path: COMMENTS, request: { body: '' }, status: 400, fields: [] },
  ],
  [
    'POST comments with a JSON array',
    { method: 'POST', path: COMMENTS, request: { body: '[1]' }, status: 400, fields: [] },
  ],
  [
    'POST comments with JSON null',
    { method: 'POST', path: COMMENTS, request: { body: 'null' }, status: 400, fields: [] },
  ],
  [
    'PUT reactions with invalid JSON',
    { method: 'PUT', path: REACTIONS, request: { body: '{visitorId}' }, status: 400, fields: [] },
  ],
  // 400: name
  [
    'a missing name',
    { method: 'POST', path: COMMENTS, request: without('name'), status: 400, fields: ['name'] },
  ],
  ['a blank name', badField('name', '   ')],
  ['a name of 81 characters', badField('name', 'n'.repeat(81))],
  ['a name with a control character', badField('name', 'Ada\u0007')],
  ['a name that is not text', badField('name', 42)],
  // 400: email
  [
    'a missing email',
    { method: 'POST', path: COMMENTS, request: without('email'), status: 400, fields: ['email'] },
  ],
  ['an email without a domain', badField('email', 'ada@')],
  ['an email without @', badField('email', 'ada.example.com')],
  ['an email with a space', badField('email', 'a da@example.com')],
  [
    'an email of 255 characters',
    {
      method: 'POST',
      path: COMMENTS,
      request: comment({
        email: emailOfLength(255),
      }),
      status: 400,
      fields: ['email'],
    },
  ],
  // 400: website
  ['a javascript: website', badField('website', 'javascript:alert(1)')],
  ['a JavaScript: website in mixed case', badField('website', ' JaVaScRiPt:alert(1)')],
  ['a data: website', badField('website', 'data:text/html,<script>alert(1)</script>')],
  ['an ftp: website', badField('website', 'ftp://ada.example/')],
  ['a relative website', badField('website', '/about')],
  ['a website that is not a URL', badField('website', 'ada dot example')],
  [
    'a website of 2049 characters',
    badField('website', `https://ada.example/${'p'.repeat(2049 - 20)}`),
  ],
  ['a website that is not text', badField('website', 7)],
  // 400: body
  [
    'a missing body',
    { method: 'POST', path: COMMENTS, request: without('body'), status: 400, fields: ['body'] },
  ],
  ['a blank body', badField('body', ' \n\t ')],
  ['a body of 5001 code points', badField('body', 'b'.repeat(5001))],
  ['a body with a control character', badField('body', 'bell \u0007')],
  // 400: parentId
  ['a parentId that is not a comment id', badField('parentId', 'not-an-id')],
  [
    'a parentId in lowercase',
    {
      method: 'POST',
      path: COMMENTS,
      request: () => comment({ parentId: seeded.published.toLowerCase() }) as ApiRequest,
      status: 400,
      fields: ['parentId'],
    },
  ],
  ['a parentId that is a number', badField('parentId', 12)],
  // 400: several fields at once
  [
    'every comment field bad at once',
    {
      method: 'POST',
      path: COMMENTS,
      request: {
        body: { name: '', email: 'nope', website: 'javascript:x', body: '', parentId: 'x' },
      },
      status: 400,
      fields: ['name', 'email', 'website', 'body', 'parentId'],
    },
  ],
  [
    'a bad articleId and bad comment fields at once',
    {
      method: 'POST',
      path: '/articles/bad%20id/comments',
      request: { body: { name: 'Ada', email: 'x' } },
      status: 400,
      fields: ['articleId', 'email', 'body'],
    },
  ],
  // 400: reactions
  [
    'an unknown reaction',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: VISITOR, reaction: 'angry' } },
      status: 400,
      fields: ['reaction'],
    },
  ],
  [
    'a missing reaction',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: VISITOR } },
      status: 400,
      fields: ['reaction'],
    },
  ],
  [
    'a reaction label instead of its key',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: VISITOR, reaction: 'In Love' } },
      status: 400,
      fields: ['reaction'],
    },
  ],
  [
    'a visitorId of 15 characters',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: 'v'.repeat(15), reaction: 'happy' } },
      status: 400,
      fields: ['visitorId'],
    },
  ],
  [
    'a visitorId of 65 characters',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: 'v'.repeat(65), reaction: 'happy' } },
      status: 400,
      fields: ['visitorId'],
    },
  ],
  [
    'a visitorId with a dot',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: 'visitor.000000000', reaction: 'happy' } },
      status: 400,
      fields: ['visitorId'],
    },
  ],
  [
    'a missing visitorId and an unknown reaction',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { reaction: 'angry' } },
      status: 400,
      fields: ['visitorId', 'reaction'],
    },
  ],
  [
    'a bad visitorId on GET reactions',
    {
      method: 'GET',
      path: REACTIONS,
      request: { query: { visitorId: 'short' } },
      status: 400,
      fields: ['visitorId'],
    },
  ],
  [
    'a missing visitorId on DELETE reactions',
    { method: 'DELETE', path: REACTIONS, status: 400, fields: ['visitorId'] },
  ],
  [
    'a bad visitorId on DELETE reactions',
    {
      method: 'DELETE',
      path: REACTIONS,
      request: { query: { visitorId: 'bad visitor id 1234' } },
      status: 400,
      fields: ['visitorId'],
    },
  ],
  // 400: articleId
  [
    'an articleId with a space',
    { method: 'GET', path: '/articles/has%20space/comments', status: 400, fields: ['articleId'] },
  ],
  [
    'an articleId of 129 characters',
    {
      method: 'GET',
      path: `/articles/${'a'.repeat(129)}/reactions`,
      status: 400,
      fields: ['articleId'],
    },
  ],
  [
    'an articleId with a non-ASCII letter',
    {
      method: 'PUT',
      path: '/articles/%C3%BCber/reactions',
      request: { body: { visitorId: VISITOR, reaction: 'happy' } },
      status: 400,
      fields: ['articleId'],
    },
  ],
  [
    'an articleId with a slash',
    {
      method: 'DELETE',
      path: '/articles/a%2Fb/reactions',
      request: { query: { visitorId: VISITOR } },
      status: 400,
      fields: ['articleId'],
    },
  ],
  // 400: list query
  [
    'a limit of 0',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: '0' } },
      status: 400,
      fields: ['limit'],
    },
  ],
  [
    'a limit of 101',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: '101' } },
      status: 400,
      fields: ['limit'],
    },
  ],
  [
    'a negative limit',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: '-1' } },
      status: 400,
      fields: ['limit'],
    },
  ],
  [
    'a fractional limit',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: '1.5' } },
      status: 400,
      fields: ['limit'],
    },
  ],
  [
    'a limit that is not a number',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: 'ten' } },
      status: 400,
      fields: ['limit'],
    },
  ],
  [
    'an unknown order',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { order: 'random' } },
      status: 400,
      fields: ['order'],
    },
  ],
  [
    'a malformed cursor',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { cursor: 'abc.def' } },
      status: 400,
      fields: ['cursor'],
    },
  ],
  [
    'an overlong cursor',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { cursor: 'c'.repeat(5000) } },
      status: 400,
      fields: ['cursor'],
    },
  ],
  [
    'a bad limit and a bad order at once',
    {
      method: 'GET',
      path: COMMENTS,
      request: { query: { limit: '0', order: 'up' } },
      status: 400,
      fields: ['limit', 'order'],
    },
  ],
  // 400: counts
  [
    'counts without articles',
    { method: 'GET', path: '/counts', status: 400, fields: ['articles'] },
  ],
  [
    'counts with an empty list',
    {
      method: 'GET',
      path: '/counts',
      request: { query: { articles: '' } },
      status: 400,
      fields: ['articles'],
    },
  ],
  [
    'counts with an empty id in the list',
    {
      method: 'GET',
      path: '/counts',
      request: { query: { articles: 'a,,b' } },
      status: 400,
      fields: ['articles'],
    },
  ],
  [
    'counts with a bad id in the list',
    {
      method: 'GET',
      path: '/counts',
      request: { query: { articles: 'a,b c' } },
      status: 400,
      fields: ['articles'],
    },
  ],
  [
    'counts of 101 articles',
    {
      method: 'GET',
      path: '/counts',
      request: { query: { articles: Array.from({ length: 101 }, (_, n) => `a${n}`).join(',') } },
      status: 400,
      fields: ['articles'],
    },
  ],
  // Authors' own comments: 400, 401, 413, 415 and 405 on /comments/{commentId}
  [
    'PATCH own comment with a bad comment id',
    {
      method: 'PATCH',
      path: '/comments/not-a-comment-id',
      request: { body: { body: 'fixed' }, headers: { authorization: 'Bearer x.y' } },
      status: 400,
      fields: ['commentId'],
    },
  ],
  [
    'PATCH own comment with invalid JSON',
    { method: 'PATCH', path: OWN, request: { body: '{"body":' }, status: 400, fields: [] },
  ],
  [
    'PATCH own comment without a body field',
    { method: 'PATCH', path: OWN, request: { body: { text: 'x' } }, status: 400, fields: ['body'] },
  ],
  [
    'PATCH own comment with a blank body',
    {
      method: 'PATCH',
      path: OWN,
      request: { body: { body: ' \n ' } },
      status: 400,
      fields: ['body'],
    },
  ],
  [
    'PATCH own comment as text/plain',
    {
      method: 'PATCH',
      path: OWN,
      request: { body: { body: 'x' }, headers: { 'content-type': 'text/plain' } },
      status: 415,
      fields: [],
    },
  ],
  [
    'PATCH own comment over 16 KiB',
    {
      method: 'PATCH',
      path: OWN,
      request: { body: { body: 'x'.repeat(16 * 1024) } },
      status: 413,
      fields: [],
    },
  ],
  [
    'PATCH own comment without a token',
    { method: 'PATCH', path: OWN, request: { body: { body: 'x' } }, status: 401, fields: [] },
  ],
  [
    'PATCH own comment with a token that is not one',
    {
      method: 'PATCH',
      path: OWN,
      request: { body: { body: 'x' }, headers: { authorization: 'Bearer nonsense' } },
      status: 401,
      fields: [],
    },
  ],
  [
    'DELETE own comment with a bad comment id',
    { method: 'DELETE', path: '/comments/bad', status: 400, fields: ['commentId'] },
  ],
  ['DELETE own comment without a token', { method: 'DELETE', path: OWN, status: 401, fields: [] }],
  [
    'POST on an own comment',
    {
      method: 'POST',
      path: OWN,
      request: { body: { body: 'x' } },
      status: 405,
      fields: [],
      headers: { allow: 'PATCH, DELETE' },
    },
  ],
  // Operators' routes reached without an authorizer (a misconfigured route fails closed)
  ['GET the moderation queue', { method: 'GET', path: '/admin/comments', status: 401, fields: [] }],
  [
    'PATCH a comment’s status',
    {
      method: 'PATCH',
      path: `/admin${OWN}`,
      request: { body: { status: 'published' } },
      status: 401,
      fields: [],
    },
  ],
  ['DELETE a comment', { method: 'DELETE', path: `/admin${OWN}`, status: 401, fields: [] }],
  [
    'POST an erasure',
    {
      method: 'POST',
      path: '/admin/erasures',
      request: { body: { email: 'ada@example.com' } },
      status: 401,
      fields: [],
    },
  ],
  // 404: parentId naming no published comment of this article
  [
    'a parentId naming no comment',
    {
      method: 'POST',
      path: COMMENTS,
      request: comment({ parentId: ulid(Date.parse('2026-01-01T00:00:00Z')) }),
      status: 404,
      fields: [],
    },
  ],
  [
    'a parentId of another article’s comment',
    {
      method: 'POST',
      path: COMMENTS,
      request: () => comment({ parentId: seeded.otherArticle }) as ApiRequest,
      status: 404,
      fields: [],
    },
  ],
  [
    'a parentId of a pending comment',
    {
      method: 'POST',
      path: COMMENTS,
      request: () => comment({ parentId: seeded.pending }) as ApiRequest,
      status: 404,
      fields: [],
    },
  ],
  // 404 and 405: the fallback route
  ['an unknown path', { method: 'GET', path: '/nothing-here', status: 404, fields: [] }],
  [
    'an unknown path under an article',
    { method: 'GET', path: `/articles/${ARTICLE}/likes`, status: 404, fields: [] },
  ],
  [
    // The article path is the thread since v1.1: it reads, and nothing else.
    'a write to the thread',
    {
      method: 'POST',
      path: `/articles/${ARTICLE}`,
      request: { body: { body: 'Hello.' } },
      status: 405,
      fields: [],
      headers: { allow: 'GET' },
    },
  ],
  [
    'PATCH on comments',
    { method: 'PATCH', path: COMMENTS, status: 405, fields: [], headers: { allow: 'GET, POST' } },
  ],
  [
    'POST on reactions',
    {
      method: 'POST',
      path: REACTIONS,
      request: { body: { visitorId: VISITOR, reaction: 'happy' } },
      status: 405,
      fields: [],
      headers: { allow: 'GET, PUT, DELETE' },
    },
  ],
  [
    'POST on /config',
    { method: 'POST', path: '/config', status: 405, fields: [], headers: { allow: 'GET' } },
  ],
  [
    'DELETE on /counts',
    { method: 'DELETE', path: '/counts', status: 405, fields: [], headers: { allow: 'GET' } },
  ],
  // 413: a body over 16 KiB
  [
    'a comment body over 16 KiB',
    {
      method: 'POST',
      path: COMMENTS,
      request: comment({ body: 'x'.repeat(16 * 1024) }),
      status: 413,
      fields: [],
    },
  ],
  [
    'a comment of 4-byte characters over 16 KiB, valid in code points',
    {
      method: 'POST',
      path: COMMENTS,
      request: comment({ body: '😀'.repeat(4200) }),
      status: 413,
      fields: [],
    },
  ],
  [
    'a reaction body over 16 KiB',
    {
      method: 'PUT',
      path: REACTIONS,
      request: { body: { visitorId: VISITOR, reaction: 'happy', pad: 'p'.repeat(16 * 1024) } },
      status: 413,
      fields: [],
    },
  ],
  // 415: not JSON
  [
    'a comment as text/plain',
    {
      method: 'POST',
      path: COMMENTS,
      request: { body: VALID, headers: { 'content-type': 'text/plain' } },
      status: 415,
      fields: [],
    },
  ],
  [
    'a comment as a form',
    {
      method: 'POST',
      path: COMMENTS,
      request: {
        body: 'name=Ada&email=ada%40example.com&body=hi',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      status: 415,
      fields: [],
    },
  ],
  [
    'a comment without a Content-Type',
    {
      method: 'POST',
      path: COMMENTS,
      request: { body: VALID, omitHeaders: ['content-type'] },
      status: 415,
      fields: [],
    },
  ],
  [
    'a reaction as text/plain',
    {
      method: 'PUT',
      path: REACTIONS,
      request: {
        body: { visitorId: VISITOR, reaction: 'happy' },
        headers: { 'content-type': 'text/plain' },
      },
      status: 415,
      fields: [],
    },
  ],
];

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('bad-input');
  api = createApi(table.runtime());
  const published = await api('POST', COMMENTS, { body: VALID });
  seeded.published = (published.json.comment as { id: string }).id;
  const other = await api('POST', '/articles/other-article/comments', { body: VALID });
  seeded.otherArticle = (other.json.comment as { id: string }).id;
  const repository = new CommentRepository(table.documentClient, table.tableName);
  const time = Date.now() - 60_000;
  seeded.pending = ulid(time);
  await repository.insert(
    {
      commentId: seeded.pending,
      articleId: ARTICLE,
      parentId: null,
      authorName: 'Held',
      authorWebsite: null,
      email: 'held@example.com',
      emailHash: null,
      editTokenHash: null,
      body: 'awaiting moderation',
      status: 'pending',
      createdAt: new Date(time).toISOString(),
      editedAt: null,
      staff: false,
      pinned: false,
    },
    { ifOpen: false, ifKnownAuthor: false, charges: [] },
  );
  await api('PUT', REACTIONS, { body: { visitorId: VISITOR, reaction: 'happy' } });
});
afterAll(async () => table.drop());

function fieldsOf(response: ApiResponse): string[] {
  const errors = (response.json.errors ?? []) as { field: string; message: string }[];
  for (const error of errors) expect(error.message).toEqual(expect.any(String));
  return errors.map((error) => error.field);
}

describe('every 4xx of the public API', () => {
  it.each(ROWS)('answers %s with the documented problem and changes nothing', async (_, row) => {
    const before = await table.scanAll();
    const request = typeof row.request === 'function' ? row.request() : row.request;
    const response = await api(row.method, row.path, request);

    expect(response.status).toBe(row.status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json).toMatchObject({
      type: 'about:blank',
      status: row.status,
      title: expect.any(String),
      detail: expect.any(String),
    });
    const fields = fieldsOf(response);
    expect([...fields].sort()).toEqual([...row.fields].sort());
    expect(new Set(fields).size).toBe(fields.length);
    for (const [name, value] of Object.entries(row.headers ?? {})) {
      expect(response.headers[name]).toBe(value);
    }
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('the limits of docs/api.md', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a name of 80 characters', { name: 'n'.repeat(80) }],
    ['an email of 254 characters', { email: emailOfLength(254) }],
    ['a website of 2048 characters', { website: `https://ada.example/${'p'.repeat(2048 - 20)}` }],
    ['a body of 5000 code points', { body: '😀'.repeat(1000) + 'b'.repeat(4000) }],
  ])('accepts %s, one less than the rejected rows above', async (_, fields) => {
    expect(emailOfLength(254)).toHaveLength(254);
    const response = await api('POST', '/articles/limits/comments', {
      body: { ...VALID, ...fields },
    });
    expect(response.status).toBe(201);
  });
});

describe('markup in comments', () => {
  const SCRIPT = '<script>alert(1)</script>';
  const IMAGE = '"><img src=x onerror=alert(1)>';

  it.each<[string, Record<string, string>]>([
    ['a script tag in the name and body', { name: SCRIPT, body: SCRIPT }],
    ['an attribute breakout in the name and body', { name: IMAGE, body: `${IMAGE} & ${SCRIPT}` }],
    ['a script tag in the website query string', { website: `https://ada.example/?q=${SCRIPT}` }],
    [
      // A website may hold no spaces, so the breakout comes without them.
      'an attribute breakout in the website query string',
      { website: `https://ada.example/?q=${IMAGE.replaceAll(' ', '/')}#${SCRIPT}` },
    ],
  ])('stores and returns %s as the exact text', async (_, fields) => {
    const articleId = `markup-${Math.random().toString(36).slice(2, 10)}`;
    const input = { ...VALID, website: 'https://ada.example/', ...fields };
    const created = await api('POST', `/articles/${articleId}/comments`, { body: input });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    // The website as a browser would read it: its markup percent-escaped by the URL rules.
    const website = new URL(input.website).href;
    expect(website).not.toMatch(/[<>"]/);
    const expected = { name: input.name, website, body: input.body };
    const returned = created.json.comment as {
      author: { name: string; website: string; staff: boolean };
      body: string;
    };
    // A guest's comment, so no staff mark (contract v1.1) and not verified (v1.2).
    const marks = { staff: false, verified: false, badges: [] };
    expect({ ...returned.author, body: returned.body }).toEqual({ ...expected, ...marks });

    const listed = await api('GET', `/articles/${articleId}/comments`);
    const [shown] = listed.json.comments as (typeof returned)[];
    expect({ ...shown?.author, body: shown?.body }).toEqual({ ...expected, ...marks });

    const stored = (await table.scanAll()).find(
      (item) => item.PK === `ARTICLE#${articleId}` && item.entity === 'Comment',
    );
    expect({
      name: stored?.authorName,
      website: stored?.authorWebsite,
      body: stored?.body,
    }).toEqual(expected);
  });
});
