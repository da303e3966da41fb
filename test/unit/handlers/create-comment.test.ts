import { guestCommenterId } from '../../../lambda/domain/commenters';
import { articleOfToken, tokenMatches } from '../../../lambda/domain/edit-token';
import {
  ArticleClosedError,
  ParentNotFoundError,
  RateLimitedError,
  ServiceBusyError,
} from '../../../lambda/domain/errors';
import { clientHash } from '../../../lambda/domain/rate-limit';
import { createHandler } from '../../../lambda/handlers/create-comment';
import { setLogSink } from '../../../lambda/http/log';
import type { OriginVerify } from '../../../lambda/secrets/origin-verify-from-env';
import { anonymousAuthor } from '../../support/contract';
import { httpEvent } from '../../support/events';
import { FakeCommentStore, fixedId, hasher, NOW } from '../fakes';
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
const EMAIL = 'ada.private@example.com';

/** Most tests here are about the HTTP exchange, so comments publish at once (policy none). */
function setup(
  config = configurationWith({ moderation: { policy: 'none' } }),
  originVerify?: OriginVerify,
) {
  const comments = new FakeCommentStore();
  const handler = createHandler({ ...commentHandlerDeps(comments, config), originVerify });
  return { comments, handler };
}

function post(
  body: unknown,
  headers: Record<string, string> = {},
  articleId = ARTICLE,
  sourceIp = '203.0.113.7',
) {
  return httpEvent('POST', `/articles/${articleId}/comments`, {
    pathParameters: { articleId },
    body,
    headers,
    sourceIp,
  });
}

const valid = { name: 'Ada', email: EMAIL, body: 'Hello there.' };

describe('POST /articles/{articleId}/comments', () => {
  it('answers 201 with the comment, its status and an edit token', async () => {
    const { handler } = setup();
    const result = answer(await handler(post(valid)));
    expect(result.status).toBe(201);
    expect(result.headers['content-type']).toBe(JSON_TYPE);
    expect(result.body).toStrictEqual({
      comment: {
        id: fixedId(NOW),
        articleId: ARTICLE,
        parentId: null,
        author: { name: 'Ada', website: null, staff: false, verified: false, badges: [] },
        body: 'Hello there.',
        createdAt: '2026-11-26T21:19:00.000Z',
        editedAt: null,
        pinned: false,
        likes: 0,
        featured: false,
      },
      status: 'published',
      editToken: expect.any(String),
    });
  });

  it('gives an edit token for this article whose hash alone is stored', async () => {
    const { handler, comments } = setup();
    const { body } = answer(await handler(post(valid)));
    const token = String(body.editToken);
    expect(articleOfToken(token)).toBe(ARTICLE);
    const stored = comments.inserted[0]?.editTokenHash ?? '';
    expect(tokenMatches(token, stored, hasher)).toBe(true);
    expect(JSON.stringify(comments.inserted)).not.toContain(token);
  });

  it('answers pending for a first-time author under the default policy', async () => {
    const { handler } = setup(configuration);
    const result = answer(await handler(post(valid)));
    expect(result.status).toBe(201);
    expect(result.body.status).toBe('pending');
    expect(result.text).not.toContain(EMAIL);
  });

  it('answers published for a returning author under the default policy', async () => {
    const { handler, comments } = setup(configuration);
    comments.knownAuthors.add(hasher.hash('email', EMAIL));
    const result = answer(await handler(post({ ...valid, email: EMAIL.toUpperCase() })));
    expect(result.body.status).toBe('published');
  });

  it('answers pending under policy all', async () => {
    const { handler, comments } = setup(configurationWith({ moderation: { policy: 'all' } }));
    const result = answer(await handler(post(valid)));
    expect(result.body.status).toBe('pending');
    expect(comments.inserted[0]?.status).toBe('pending');
  });

  it('answers a filled honeypot with a normal-looking 201 pending, and stores it as spam', async () => {
    const { handler, comments } = setup();
    const result = answer(await handler(post({ ...valid, homepage: 'http://bot.example' })));
    expect(result.status).toBe(201);
    expect(result.body).toStrictEqual({
      comment: expect.objectContaining({ body: 'Hello there.' }),
      status: 'pending',
      editToken: expect.any(String),
    });
    expect(result.text).not.toContain('spam');
    expect(comments.inserted[0]?.status).toBe('spam');
  });

  describe('screened by the house rules', () => {
    const screened = () =>
      setup(
        configurationWith({
          moderation: { policy: 'none' },
          rules: { hold: ['idiot'], block: ['cheap pills'] },
          emailDomains: { disposable: 'refuse', block: ['spam.example'] },
        }),
      );

    it('holds a comment with a hold phrase, storing the rule as its reason', async () => {
      const { handler, comments } = screened();
      const result = answer(await handler(post({ ...valid, body: 'You 1D10T.' })));
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ status: 'pending' });
      expect(comments.inserted[0]).toMatchObject({
        status: 'pending',
        holdReasons: ['rule:idiot'],
      });
    });

    it('stores a comment with a block phrase as spam, answering as for any held comment', async () => {
      const { handler, comments } = screened();
      const result = answer(await handler(post({ ...valid, body: 'Ch3ap p.i.l.l.s here' })));
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ status: 'pending' });
      expect(result.text).not.toContain('rule:');
      expect(comments.inserted[0]).toMatchObject({
        status: 'spam',
        holdReasons: ['rule:cheap-pills'],
      });
    });

    it('answers 400 naming the email for a disposable address where refused, storing nothing', async () => {
      const { handler, comments } = screened();
      const result = answer(await handler(post({ ...valid, email: 'ada@mailinator.com' })));
      expect(result.status).toBe(400);
      expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(result.body).toMatchObject({ errors: [{ field: 'email' }] });
      expect(result.text).not.toContain('mailinator');
      expect(comments.inserted).toEqual([]);
    });
  });

  it('rate-limits by the source IP API Gateway saw, never by X-Forwarded-For', async () => {
    const { handler, comments } = setup();
    await handler(post(valid, { 'x-forwarded-for': '192.0.2.1' }, ARTICLE, '203.0.113.7'));
    await handler(post(valid, { 'x-forwarded-for': '192.0.2.2' }, ARTICLE, '203.0.113.7'));
    const expected = clientHash(hasher, '203.0.113.7');
    expect(comments.insertOptions.map((options) => options.charges[0]?.clientHash)).toEqual([
      expected,
      expected,
    ]);
    expect(JSON.stringify(comments.insertOptions)).not.toContain('203.0.113.7');
  });

  it('behind the CDN, keeps a rate-limit window per reader, not per CloudFront edge', async () => {
    const verify = 'origin-verify-value-from-the-stack';
    const { handler, comments } = setup(configuration, () => verify);
    const edge = '130.176.0.10';
    const through = (viewer: string) =>
      post(
        valid,
        { 'x-talkback-origin-verify': verify, 'cloudfront-viewer-address': viewer },
        ARTICLE,
        edge,
      );
    await handler(through('198.51.100.20:50123'));
    await handler(through('2001:db8::7:443'));
    expect(comments.insertOptions.map((options) => options.charges[0]?.clientHash)).toEqual([
      clientHash(hasher, '198.51.100.20'),
      clientHash(hasher, '2001:db8::7'),
    ]);
    // A direct call that forges the header without the value is charged to its own address.
    await handler(post(valid, { 'cloudfront-viewer-address': '198.51.100.20:1' }, ARTICLE, edge));
    expect(comments.insertOptions[2]?.charges[0]?.clientHash).toBe(clientHash(hasher, edge));
  });

  it('answers 429 with Retry-After when rate limited, and stores nothing', async () => {
    const { handler, comments } = setup();
    comments.insertError = new RateLimitedError(45);
    const result = answer(await handler(post(valid)));
    expect(result.status).toBe(429);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers['retry-after']).toBe('45');
    expect(result.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(comments.inserted).toEqual([]);
  });

  describe('a commenter a moderator banned or suspended', () => {
    const commenterId = guestCommenterId(hasher, EMAIL);

    it('answers a banned commenter 403 with a detail that names no rule, storing nothing', async () => {
      const { handler, comments } = setup();
      comments.commenters.set(commenterId, { state: 'banned' });
      const result = answer(await handler(post(valid)));
      expect(result.status).toBe(403);
      expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
      expect(result.headers['retry-after']).toBeUndefined();
      expect(result.body).toMatchObject({ detail: 'You cannot comment here.' });
      expect(comments.inserted).toEqual([]);
    });

    it('answers a suspended commenter 403 with Retry-After until the suspension ends', async () => {
      const { handler, comments } = setup();
      const until = new Date(NOW + 3_600_000).toISOString();
      comments.commenters.set(commenterId, { state: 'suspended', until });
      const result = answer(await handler(post(valid)));
      expect(result.status).toBe(403);
      expect(result.headers['retry-after']).toBe('3600');
      expect(result.body).toMatchObject({ detail: 'You cannot comment here for now.' });
      expect(comments.inserted).toEqual([]);
    });
  });

  it('has every key of the Comment shape, even the null ones', async () => {
    const { handler } = setup();
    const { body } = answer(await handler(post(valid)));
    const comment = body.comment as Record<string, unknown>;
    expect(Object.keys(comment).sort()).toEqual(
      [
        'articleId',
        'author',
        'body',
        'createdAt',
        'editedAt',
        'featured',
        'id',
        'likes',
        'parentId',
        'pinned',
      ].sort(),
    );
    expect(Object.keys(comment.author as object).sort()).toEqual([
      'badges',
      'name',
      'staff',
      'verified',
      'website',
    ]);
  });

  it('stores the trimmed comment with its email, website and parent', async () => {
    const { handler, comments } = setup();
    const parentId = fixedId(NOW - 1000);
    const result = answer(
      await handler(
        post({ ...valid, name: ' Ada ', website: 'https://ada.example', body: ' Hi ', parentId }),
      ),
    );
    expect(result.status).toBe(201);
    expect(comments.inserted).toEqual([
      expect.objectContaining({
        articleId: ARTICLE,
        authorName: 'Ada',
        authorWebsite: 'https://ada.example/',
        email: EMAIL,
        body: 'Hi',
        parentId,
        status: 'published',
      }),
    ]);
    expect(result.body.comment).toMatchObject({
      parentId,
      author: anonymousAuthor('Ada', 'https://ada.example/'),
    });
  });

  it('never returns the email, in any form', async () => {
    const { handler } = setup();
    const { text } = answer(await handler(post(valid)));
    expect(text).not.toContain(EMAIL);
    expect(text.toLowerCase()).not.toContain('ada.private');
    expect(text).not.toContain('email');
    expect(text).not.toContain(hasher.hash('email', EMAIL));
  });

  it('keeps markup as inert text', async () => {
    const { handler } = setup();
    const payload = '<img src=x onerror=alert(1)>';
    const { body } = answer(await handler(post({ ...valid, name: payload, body: payload })));
    expect(body.comment).toMatchObject({ author: { name: payload }, body: payload });
  });

  it('answers 400 listing every bad field, and stores nothing', async () => {
    const { handler, comments } = setup();
    const result = answer(
      await handler(
        post(
          { name: '', email: 'nope', website: 'javascript:alert(1)', body: ' ', parentId: 'x' },
          {},
          'bad id!',
        ),
      ),
    );
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The comment is not valid.',
    });
    expect(fieldsOf(result.body).sort()).toEqual(
      ['articleId', 'body', 'email', 'name', 'parentId', 'website'].sort(),
    );
    expect(comments.inserted).toEqual([]);
  });

  it('answers 400 naming the missing required fields', async () => {
    const { handler } = setup();
    const { status, body } = answer(await handler(post({})));
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'email', message: 'is required' },
      { field: 'body', message: 'is required' },
    ]);
  });

  it('does not echo a rejected email', async () => {
    const { handler } = setup();
    const { status, text } = answer(await handler(post({ ...valid, email: 'ada private@x.com' })));
    expect(status).toBe(400);
    expect(text).not.toContain('ada private@x.com');
  });

  it.each([
    ['not JSON', '{"name": "Ada",'],
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['null', 'null'],
    ['empty', ''],
  ])('answers 400 when the body is %s', async (_case, raw) => {
    const { handler, comments } = setup();
    const result = answer(await handler(post(raw)));
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(comments.inserted).toEqual([]);
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
  ])('answers 415 for Content-Type %s', async (contentType) => {
    const { handler, comments } = setup();
    const result = answer(await handler(post(valid, { 'content-type': contentType })));
    expect(result.status).toBe(415);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ status: 415, title: 'Unsupported Media Type' });
    expect(comments.inserted).toEqual([]);
  });

  it('answers 415 without a Content-Type', async () => {
    const { handler } = setup();
    const event = post(valid);
    event.headers = {};
    expect((await handler(event)).statusCode).toBe(415);
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json'])(
    'accepts Content-Type %s',
    async (contentType) => {
      const { handler } = setup();
      expect((await handler(post(valid, { 'content-type': contentType }))).statusCode).toBe(201);
    },
  );

  it('answers 413 for a body over 16 KiB, and stores nothing', async () => {
    const { handler, comments } = setup();
    const raw = JSON.stringify({ ...valid, body: 'a'.repeat(17 * 1024) });
    const result = answer(await handler(post(raw)));
    expect(result.status).toBe(413);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(comments.inserted).toEqual([]);
  });

  it('measures the size limit in bytes of the decoded body', async () => {
    const { handler } = setup();
    // 5000 characters are within the body limit, but 5000 four-byte characters are 20000 bytes.
    const raw = JSON.stringify({ ...valid, body: '😀'.repeat(5000) });
    const event = post(Buffer.from(raw).toString('base64'));
    event.isBase64Encoded = true;
    expect((await handler(event)).statusCode).toBe(413);
  });

  it('accepts a base64-encoded body', async () => {
    const { handler } = setup();
    const event = post(Buffer.from(JSON.stringify(valid)).toString('base64'));
    event.isBase64Encoded = true;
    expect((await handler(event)).statusCode).toBe(201);
  });

  it('answers 404 when the parent is not a published comment of the article', async () => {
    const { handler, comments } = setup();
    comments.insertError = new ParentNotFoundError();
    const result = answer(await handler(post({ ...valid, parentId: fixedId(NOW - 1) })));
    expect(result.status).toBe(404);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'The parent comment is not a published comment of this article.',
    });
  });

  it('answers 503 with Retry-After when the database is busy', async () => {
    const { handler, comments } = setup();
    comments.insertError = new ServiceBusyError('ThrottlingException');
    const result = answer(await handler(post(valid)));
    expect(result.status).toBe(503);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.headers['retry-after']).toBe('1');
    expect(result.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(result.text).not.toContain('ThrottlingException');
  });

  it('answers 500 with a generic detail that reveals nothing of the fault', async () => {
    const { handler, comments } = setup();
    comments.insertError = new TypeError(
      `Cannot write ${EMAIL} to table talkback-prod-Table-1ABC in eu-west-1`,
    );
    const result = answer(await handler(post(valid), { awsRequestId: 'req-500' }));
    expect(result.status).toBe(500);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toStrictEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side. Please try again later.',
      instance: 'urn:talkback:request:req-500',
    });
    for (const secret of [EMAIL, 'talkback-prod', 'TypeError', 'Cannot write', ' at ', '.ts']) {
      expect(result.text).not.toContain(secret);
    }
  });
});

describe('httpHandler log line', () => {
  let lines: string[];

  beforeEach(() => {
    lines = [];
    setLogSink((line) => lines.push(line));
  });

  afterAll(() => {
    setLogSink((line) => process.stdout.write(`${line}\n`));
  });

  it('names the request, route and status, but not the request body', async () => {
    const { handler } = setup();
    await handler(post({ ...valid, body: 'A very particular sentence.' }), {
      awsRequestId: 'req-201',
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({
      level: 'INFO',
      requestId: 'req-201',
      route: 'CreateComment',
      status: 201,
    });
    expect(typeof entry.durationMs).toBe('number');
    expect(lines[0]).not.toContain('A very particular sentence.');
    expect(lines[0]).not.toContain(EMAIL);
    expect(lines[0]).not.toContain('Ada');
  });

  it('never logs the email or the error message of a 500 whose message holds the email', async () => {
    const { handler, comments } = setup();
    comments.insertError = new Error(`duplicate author ${EMAIL} for body Hello there.`);
    await handler(post(valid), { awsRequestId: 'req-err' });
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(JSON.parse(line)).toMatchObject({
      level: 'ERROR',
      requestId: 'req-err',
      route: 'CreateComment',
      status: 500,
      error: { name: 'Error' },
    });
    expect(line).not.toContain(EMAIL);
    expect(line.toLowerCase()).not.toContain('ada.private');
    expect(line).not.toContain('duplicate author');
    expect(line).not.toContain('Hello there.');
  });

  it('falls back to the API Gateway request id', async () => {
    const { handler } = setup();
    const event = post(valid);
    await handler(event);
    expect(JSON.parse(lines[0] ?? '{}').requestId).toBe(event.requestContext.requestId);
  });
});

describe('POST /articles/{articleId}/comments and the moderators’ marks', () => {
  it('ignores a forged staff or pinned mark: the comment is a reader’s, checked for a closed article', async () => {
    const { comments, handler } = setup();
    const result = answer(
      await handler(
        post({ ...valid, staff: true, pinned: true, author: { name: 'Ada', staff: true } }),
      ),
    );
    expect(result.status).toBe(201);
    expect(result.body.comment).toMatchObject({ author: { staff: false }, pinned: false });
    expect(comments.inserted).toEqual([expect.objectContaining({ staff: false, pinned: false })]);
    expect(comments.insertOptions[0]?.ifOpen).toBe(true);
  });

  it('answers 403 problem+json saying comments are closed when the article is closed', async () => {
    const { comments, handler } = setup();
    comments.insertError = new ArticleClosedError();
    const result = answer(await handler(post(valid)));
    expect(result.status).toBe(403);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(result.body).toMatchObject({
      status: 403,
      title: 'Forbidden',
      detail: 'Comments are closed on this article.',
    });
  });
});
