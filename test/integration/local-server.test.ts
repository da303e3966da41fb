/**
 * Black-box tests of `npm start`: the real local stack (DynamoDB Local, the table, the real
 * handlers) in its own process, driven over HTTP with fetch.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLowLevelClient } from '../../bin/local/clients';
import { dynamoDbLocalArgs, freePort, startDynamoDbLocal } from '../../bin/local/dynamodb-local';
import { readOutbox } from '../../bin/local/outbox-mail';
import {
  CACHE,
  type CommentList,
  type Config,
  type Counts,
  type Created,
  type Problem,
  type Reactions,
  readJson,
  THREAD_KEYS,
  type Thread,
} from '../support/contract';
import { testSettings } from '../support/dynamodb';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { pollUntil } from '../support/poll';

const ORIGIN = 'https://news.example';
const visitor = (n: number) => `visitor-${String(n).padStart(12, '0')}`;

/** The raw bytes and headers of a GET, undecoded (fetch would decompress the body). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    }).on('error', reject);
  });
}

describe('local server over HTTP', () => {
  let local: LocalProcess;
  let api: (path: string, init?: RequestInit) => Promise<Response>;
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify(body),
  });
  const post = (article: string, body: Record<string, unknown>) =>
    api(`/articles/${article}/comments`, json('POST', body));

  beforeAll(async () => {
    local = await startLocalProcess({
      env: {
        ALLOWED_ORIGINS: ORIGIN,
        // An undo window other than the default, which the console must be told of.
        TALKBACK_SETTINGS: testSettings({ moderation: { policy: 'none', undoSeconds: 9 } }),
      },
    });
    api = (path, init) => fetch(`${local.url}${path}`, init);
  });
  afterAll(async () => {
    await local?.stop();
  });

  describe('the outbox', () => {
    const outbox = () => `${local.url}/outbox/`;
    const port = () => new URL(local.url).port;

    it('asks for the admin token, showing no mail, without it or with a wrong one', async () => {
      for (const url of [outbox(), `${outbox()}?token=not-the-token`]) {
        const page = await rawGet(url, {});
        expect(page.status).toBe(401);
        expect(page.body.toString()).toContain('<input');
        expect(page.body.toString()).not.toContain('@');
      }
    });

    it('takes the token once, into a cookie for the outbox only, and leaves it out of the address', async () => {
      const signIn = await rawGet(`${outbox()}?token=${local.adminToken}`, {});
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/outbox/');
      const cookie = String(signIn.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\/outbox/i);
      const listed = await rawGet(outbox(), { cookie: cookie.split(';')[0] ?? '' });
      expect(listed.status).toBe(200);
      expect(listed.body.toString()).toContain('<h1>Outbox</h1>');
    });

    it.each(['127.0.0.1', 'localhost', '[::1]'])('answers at %s', async (host) => {
      const listed = await rawGet(`${outbox()}?token=${local.adminToken}`, {
        host: `${host}:${port()}`,
      });
      expect(listed.status).toBe(303);
    });

    it('refuses any other host name, even with the token (a DNS rebinding page)', async () => {
      for (const host of [`attacker.example:${port()}`, 'localhost', `127.0.0.1:1`]) {
        const page = await rawGet(`${outbox()}?token=${local.adminToken}`, { host });
        expect([host, page.status]).toEqual([host, 421]);
      }
    });

    it('keeps each message’s page and raw file behind the same token and host, under a policy with no script', async () => {
      const signIn = await rawGet(`${outbox()}?token=${local.adminToken}`, {});
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
      for (const file of [
        '2026-12-07T23-00-00-000Z-abc.html',
        '2026-12-07T23-00-00-000Z-abc.eml',
      ]) {
        expect((await rawGet(`${outbox()}${file}`, {})).status).toBe(401);
        const elsewhere = await rawGet(`${outbox()}${file}`, {
          cookie,
          host: `attacker.example:${port()}`,
        });
        expect(elsewhere.status).toBe(421);
        const missing = await rawGet(`${outbox()}${file}`, { cookie });
        expect(missing.status).toBe(404);
        expect(missing.body.toString()).toContain('No such message');
        expect(missing.headers['content-security-policy']).toMatch(
          /^default-src 'none'; style-src 'sha256-/,
        );
        expect(missing.headers['referrer-policy']).toBe('no-referrer');
      }
      const listed = await rawGet(outbox(), { cookie });
      expect(listed.headers['content-security-policy']).toMatch(/^default-src 'none';/);
      expect(listed.headers['content-security-policy']).not.toMatch(/script-src/);
    });

    it('is printed at start with the token, for the developer to open', () => {
      expect(local.output()).toContain(`${local.url}/outbox/?token=${local.adminToken}`);
    });
  });

  it('serves the demo article page with the footer it replaces', async () => {
    const response = await api('/');
    const html = await response.text();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<talkback-thread');
    expect(html).toContain('<h1>');
  });

  it('opens the article a local mail link names: /?article=<id> shows that thread', async () => {
    const html = await (await api('/?article=gannets-return-early')).text();
    expect(html).toContain('<talkback-thread article="gannets-return-early" id="comments">');
  });

  it('answers GET /config with the default reactions in display order', async () => {
    const body = await readJson<Config>(await api('/config'));
    expect(body.reactions.map((r) => r.key)).toEqual([
      'excited',
      'happy',
      'in-love',
      'not-sure',
      'silly',
    ]);
  });

  it('creates comments and pages through them in both orders without gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await post('paging', {
        name: `N${i}`,
        email: `n${i}@example.com`,
        body: `c${i}`,
      });
      expect(response.status).toBe(201);
      const created = await readJson<Created>(response);
      expect(created.status).toBe('published');
      expect(JSON.stringify(created)).not.toContain('@example.com');
      ids.push(created.comment.id);
    }
    for (const [order, expected] of [
      ['oldest', ids],
      ['newest', [...ids].reverse()],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=3&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await readJson<CommentList>(await api(`/articles/paging/comments?${query}`));
        expect(page.commentCount).toBe(7);
        seen.push(...page.comments.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
  });

  it('accepts a reply to a published comment and refuses one to an unknown comment', async () => {
    const parent = await readJson<Created>(
      await post('replies', { name: 'P', email: 'p@example.com', body: 'top' }),
    );
    const replyTo = (parentId: string) =>
      post('replies', { name: 'R', email: 'r@example.com', body: 'reply', parentId });
    const reply = await replyTo(parent.comment.id);
    expect(reply.status).toBe(201);
    expect((await readJson<Created>(reply)).comment.parentId).toBe(parent.comment.id);
    const orphan = await replyTo('01M8CYWZ34KHFZS9XHGHJE5FAC');
    expect(orphan.status).toBe(404);
    expect(orphan.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const list = await readJson<CommentList>(await api('/articles/replies/comments'));
    expect(list.commentCount).toBe(2);
  });

  it('puts, switches and deletes a reaction, reporting mine', async () => {
    const put = async (reaction: string) =>
      (
        await api('/articles/reacts/reactions', json('PUT', { visitorId: visitor(1), reaction }))
      ).json();
    expect(await put('happy')).toMatchObject({ total: 1, mine: 'happy', counts: { happy: 1 } });
    expect(await put('happy')).toMatchObject({ total: 1, mine: 'happy', counts: { happy: 1 } });
    expect(await put('silly')).toMatchObject({
      total: 1,
      mine: 'silly',
      counts: { happy: 0, silly: 1 },
    });
    const mine = await readJson<Reactions>(
      await api(`/articles/reacts/reactions?visitorId=${visitor(1)}`),
    );
    expect(mine.mine).toBe('silly');
    const other = await readJson<Reactions>(
      await api(`/articles/reacts/reactions?visitorId=${visitor(2)}`),
    );
    expect(other).toMatchObject({ total: 1, mine: null });
    const removed = await readJson<Reactions>(
      await api(`/articles/reacts/reactions?visitorId=${visitor(1)}`, { method: 'DELETE' }),
    );
    expect(removed).toMatchObject({ total: 0, mine: null, counts: { silly: 0 } });
  });

  it('answers /counts for many articles, zeros for unknown ones', async () => {
    await post('counted', { name: 'C', email: 'c@example.com', body: 'one' });
    await api(
      '/articles/counted/reactions',
      json('PUT', { visitorId: visitor(3), reaction: 'excited' }),
    );
    const ids = ['counted', ...Array.from({ length: 99 }, (_, i) => `unknown-${i}`)];
    // The reaction total is tallied from the table's stream, which the server polls: wait for it.
    const body = await pollUntil(
      async () => readJson<Counts>(await api(`/counts?articles=${ids.join(',')}`)),
      (counts) => counts.articles.counted?.reactionTotal === 1,
      { what: "the stream's tally of 'counted' in /counts" },
    );
    expect(Object.keys(body.articles)).toHaveLength(100);
    expect(body.articles.counted).toEqual({ commentCount: 1, reactionTotal: 1 });
    expect(body.articles['unknown-5']).toEqual({ commentCount: 0, reactionTotal: 0 });
  });

  it('answers the thread: every reaction with its tallied count, the first page, open, limits', async () => {
    for (let i = 0; i < 3; i++) {
      await post('threaded', { name: `T${i}`, email: `t${i}@example.com`, body: `t${i}` });
    }
    await api(
      '/articles/threaded/reactions',
      json('PUT', { visitorId: visitor(7), reaction: 'in-love' }),
    );
    // The counts are the stream's tally (as /counts'), so they trail the vote a moment.
    const thread = await pollUntil(
      async () => readJson<Thread>(await api('/articles/threaded?limit=2&order=newest')),
      (body) => body.reactionTotal === 1,
      { what: "the stream's tally of 'threaded' in its thread" },
    );
    expect(Object.keys(thread).sort()).toEqual([...THREAD_KEYS]);
    expect(thread).toMatchObject({ articleId: 'threaded', open: true, commentCount: 3 });
    expect(thread.reactions.map((r) => [r.key, r.count])).toEqual([
      ['excited', 0],
      ['happy', 0],
      ['in-love', 1],
      ['not-sure', 0],
      ['silly', 0],
    ]);
    expect(thread.comments.map((c) => c.body)).toEqual(['t2', 't1']);
    // The cursor continues on the comment list.
    const rest = await readJson<CommentList>(
      await api(
        `/articles/threaded/comments?limit=2&order=newest&cursor=${encodeURIComponent(String(thread.nextCursor))}`,
      ),
    );
    expect(rest.comments.map((c) => c.body)).toEqual(['t0']);
  });

  it('sends the thread with the cache headers a CDN keeps, compressed as CloudFront would', async () => {
    for (let i = 0; i < 20; i++) {
      await post('compressed', {
        name: `Z${i}`,
        email: `z${i}@example.com`,
        body: 'x'.repeat(200),
      });
    }
    const url = `${local.url}/articles/compressed`;
    const plain = await rawGet(url, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe(CACHE.short);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const thread = JSON.parse(plain.body.toString('utf8')) as Thread;
    expect(thread.comments).toHaveLength(20);

    const gzipped = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['cache-control']).toBe(CACHE.short);
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(gzipped.body).toString('utf8'))).toEqual(thread);

    const brotli = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(brotli.body).toString('utf8'))).toEqual(thread);

    // Too small to be worth it: a 404 problem is sent as it is.
    const missing = await rawGet(`${local.url}/nowhere`, { 'accept-encoding': 'gzip' });
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.headers['cache-control']).toBe(CACHE.none);
  });

  it.each([
    ['/config', CACHE.config],
    ['/counts?articles=a,b', CACHE.counts],
    ['/articles/a/comments', CACHE.short],
    ['/articles/a/reactions', CACHE.short],
    [`/articles/a/reactions?visitorId=${visitor(9)}`, CACHE.private],
    ['/articles/a/comments?limit=0', CACHE.none],
  ])('sends %s with Cache-Control %s', async (path, expected) => {
    expect((await api(path)).headers.get('cache-control')).toBe(expected);
  });

  it('answers CORS preflight for an allowed origin and not for another', async () => {
    const preflight = (origin: string) =>
      api('/articles/x/comments', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await api('/config', { headers: { origin: ORIGIN } });
    expect(simple.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it.each([
    [
      'invalid JSON',
      '/articles/e/comments',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
      400,
    ],
    ['a bad articleId', '/articles/bad%20id/comments', {}, 400],
    [
      'an unknown reaction',
      '/articles/e/reactions',
      json('PUT', { visitorId: visitor(9), reaction: 'angry' }),
      400,
    ],
    ['a bad cursor', '/articles/e/comments?cursor=abc.def', {}, 400],
    ['an unknown route', '/nope', {}, 404],
    [
      'a wrong method',
      '/counts',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      405,
    ],
    [
      'a body over 16 KiB',
      '/articles/e/comments',
      json('POST', { name: 'x', email: 'x@example.com', body: 'y'.repeat(17000) }),
      413,
    ],
    [
      'a non-JSON content type',
      '/articles/e/comments',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' },
      415,
    ],
  ] as const)('answers %s with %i problem+json', async (_name, path, init, status) => {
    const response = await api(path, init as RequestInit);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await readJson<Problem>(response);
    expect(problem).toMatchObject({ type: 'about:blank', status });
  });

  it('lists every bad field of a comment at once', async () => {
    const response = await post('e', {
      name: '',
      email: 'nope',
      website: 'javascript:alert(1)',
      body: ' ',
    });
    expect(response.status).toBe(400);
    const fields = ((await readJson<Problem>(response)).errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['body', 'email', 'name', 'website']);
  });

  it('lets the author edit and delete their comment with the edit token, and no one else', async () => {
    const created = await post('own-http', { name: 'O', email: 'own@example.com', body: 'typo' });
    const { comment, editToken } = (await created.json()) as Created & { editToken: string };
    expect(editToken).toEqual(expect.any(String));
    const preflight = await api(`/comments/${comment.id}`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const edit = (authorization: string) =>
      api(`/comments/${comment.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization, origin: ORIGIN },
        body: JSON.stringify({ body: 'fixed' }),
      });
    expect((await edit(`Bearer ${local.adminToken}`)).status).toBe(401);
    const edited = await edit(`Bearer ${editToken}`);
    expect(edited.status).toBe(200);
    const text = await edited.text();
    expect(JSON.parse(text)).toMatchObject({ comment: { id: comment.id, body: 'fixed' } });
    expect(text).not.toContain('own@example.com');
    const removed = await api(`/comments/${comment.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${editToken}` },
    });
    expect(removed.status).toBe(204);
    const list = await readJson<CommentList>(await api('/articles/own-http/comments'));
    expect(list).toMatchObject({ commentCount: 0, comments: [] });
  });

  it('tells the console the deployment’s undo window in config.json', async () => {
    const config = await (await api('/admin/config.json')).json();
    expect(config).toEqual({ auth: 'token', apiUrl: '/', undoSeconds: 9 });
  });

  describe('operators’ routes', () => {
    const operatorCalls = (commentId: string): [string, string, RequestInit][] => [
      ['GET', '/admin/comments?status=published', {}],
      [
        'PATCH',
        `/admin/comments/${commentId}`,
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'spam' }),
        },
      ],
      ['DELETE', `/admin/comments/${commentId}`, {}],
      [
        'POST',
        '/admin/erasures',
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'operator-test@example.com' }),
        },
      ],
    ];
    const call = (method: string, path: string, init: RequestInit, authorization?: string) =>
      api(path, {
        ...init,
        method,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(authorization ? { authorization } : {}),
        },
      });

    /** A published comment by operator-test@example.com on a fresh article; its id. */
    async function seed(article: string): Promise<string> {
      const response = await post(article, {
        name: 'Op',
        email: 'operator-test@example.com',
        body: 'moderate me',
      });
      expect(response.status).toBe(201);
      return (await readJson<Created>(response)).comment.id;
    }

    it.each<[string, (token: string) => string | undefined]>([
      ['no Authorization header', () => undefined],
      [
        'a wrong token',
        (token) => `Bearer ${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`,
      ],
      ['an empty bearer', () => 'Bearer '],
      ['the token without the Bearer scheme', (token) => token],
    ])(
      'answers 401 problem+json to every operator route with %s, changing nothing',
      async (_, auth) => {
        const article = `admin-refused-${Math.random().toString(36).slice(2, 8)}`;
        const id = await seed(article);
        for (const [method, path, init] of operatorCalls(id)) {
          const response = await call(method, path, init, auth(local.adminToken));
          expect({ method, status: response.status }).toEqual({ method, status: 401 });
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          const text = await response.text();
          expect(text).not.toContain('operator-test@example.com');
          expect(text).not.toContain(local.adminToken);
        }
        const list = await readJson<CommentList>(await api(`/articles/${article}/comments`));
        expect(list.comments.map((c) => [c.id, c.author.name])).toEqual([[id, 'Op']]);
      },
    );

    it('serves every operator route with the right token', async () => {
      const article = `admin-allowed-${Math.random().toString(36).slice(2, 8)}`;
      const id = await seed(article);
      const statuses: Record<string, number> = {};
      const bearer = `Bearer ${local.adminToken}`;
      const [list, patch, remove, erase] = operatorCalls(id);
      for (const [method, path, init] of [list, patch, erase, remove] as [
        string,
        string,
        RequestInit,
      ][]) {
        const response = await call(method, path, init, bearer);
        statuses[method] = response.status;
        if (method === 'GET') {
          const body = (await response.json()) as { comments: { id: string; email: string }[] };
          expect(body.comments.find((c) => c.id === id)?.email).toBe('operator-test@example.com');
        }
      }
      expect(statuses).toEqual({ GET: 200, PATCH: 200, POST: 200, DELETE: 204 });
      const after = await readJson<CommentList>(await api(`/articles/${article}/comments`));
      expect(after.commentCount).toBe(0);
    });
  });

  it('counts 500 reactions from 500 visitors, 50 in flight, exactly', async () => {
    const reactions = ['excited', 'happy', 'in-love', 'not-sure', 'silly'];
    let next = 0;
    const worker = async () => {
      while (next < 500) {
        const n = next++;
        const response = await api(
          '/articles/viral/reactions',
          json('PUT', { visitorId: visitor(1000 + n), reaction: reactions[n % 5] }),
        );
        expect(response.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    const view = await readJson<Reactions>(await api('/articles/viral/reactions'));
    expect(view.total).toBe(500);
    expect(Object.values(view.counts)).toEqual([100, 100, 100, 100, 100]);
  });

  it('leaves exactly one vote when one visitor switches 100 times concurrently', async () => {
    const reactions = ['excited', 'happy', 'in-love', 'not-sure', 'silly'];
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        api(
          '/articles/fickle/reactions',
          json('PUT', { visitorId: visitor(7), reaction: reactions[i % 5] }),
        ),
      ),
    );
    // Every request either lands or is told to retry; none is half-applied.
    for (const response of responses) expect([200, 503]).toContain(response.status);
    const view = await readJson<Reactions>(
      await api(`/articles/fickle/reactions?visitorId=${visitor(7)}`),
    );
    expect(view.total).toBe(1);
    expect(view.counts[String(view.mine)]).toBe(1);
  });
});

/** Every path under `root` (itself included) with its mode bits. */
function modes(root: string): Record<string, number> {
  const found: Record<string, number> = { '.': statSync(root).mode };
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    found[entry] = statSync(join(root, entry)).mode;
  }
  return found;
}

describe('DynamoDB Local as npm start runs it', () => {
  it('runs with telemetry off, and shares no database across credentials when given a key', () => {
    const args = dynamoDbLocalArgs('/ddb', { port: 8001, accessKeyId: 'k' });
    expect(args).toContain('-disableTelemetry');
    expect(args).not.toContain('-sharedDb');
    expect(dynamoDbLocalArgs('/ddb', { port: 8001 })).toContain('-sharedDb');
  });

  it('shows other credentials an empty database', async () => {
    const local = await startDynamoDbLocal({ accessKeyId: 'ARandomKeyOfThisFolder0123' });
    const owner = createLowLevelClient(local.endpoint, local.credentials);
    const other = createLowLevelClient(local.endpoint);
    try {
      await owner.send(
        new CreateTableCommand({
          TableName: 'private',
          AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      expect((await owner.send(new ListTablesCommand({}))).TableNames).toEqual(['private']);
      expect((await other.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      owner.destroy();
      other.destroy();
      await local.stop();
    }
  });
});

describe('local server data folder', () => {
  it('keeps comments and reactions across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkback-data-'));
    try {
      const first = await startLocalProcess({ dataDir });
      const created = await fetch(`${first.url}/articles/kept/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Kept',
          email: 'kept@example.com',
          body: 'still here',
          notify: true,
        }),
      });
      expect(created.status).toBe(201);
      // The confirmation mailed to the outbox, whose link must still work after the restart.
      const confirmLink = await pollUntil(
        async () =>
          readOutbox(join(dataDir, 'outbox'))
            .flatMap((mail) => mail.links)
            .find((link) => link.includes('/subscriptions/confirm?token=')),
        (link) => link !== undefined,
        { what: 'the confirmation in the outbox' },
      );
      await fetch(`${first.url}/articles/kept/reactions`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: visitor(42), reaction: 'happy' }),
      });
      // The CLI's hint names the folder it finds the admin token in.
      expect(first.output()).toContain(
        `TALKBACK_API_URL=${first.url}/ TALKBACK_DATA=${dataDir} npm run admin -- pending`,
      );
      expect(await first.stop()).toBe(0);

      // Emails are in there: every folder is the owner's alone (0700), every file too (0600).
      const open = Object.entries(modes(dataDir)).filter(
        ([, mode]) => (mode & 0o777) !== (mode & 0o040000 ? 0o700 : 0o600),
      );
      expect(open.map(([path, mode]) => `${path} ${(mode & 0o777).toString(8)}`)).toEqual([]);
      expect(Object.keys(modes(dataDir)).some((path) => path.endsWith('.db'))).toBe(true);
      // One database, named after the folder's own access key: not the one every client shares.
      const key = readFileSync(join(dataDir, 'dynamodb-key'), 'utf8').trim();
      expect(readdirSync(join(dataDir, 'dynamodb'))).toContain(`${key}_local.db`);
      expect(readdirSync(join(dataDir, 'dynamodb'))).not.toContain('shared-local-instance.db');
      // Two root secrets: the hashing secret and the link secret (docs/operations.md, "Keys").
      const [hashing, links] = ['secret', 'link-secret'].map((file) =>
        readFileSync(join(dataDir, file), 'utf8').trim(),
      );
      expect(links).toMatch(/^[\w-]{43}$/);
      expect(links).not.toBe(hashing);

      const second = await startLocalProcess({ dataDir });
      try {
        const list = await readJson<CommentList>(
          await fetch(`${second.url}/articles/kept/comments`),
        );
        expect(list.comments.map((c) => c.body)).toEqual(['still here']);
        const view = await (
          await fetch(`${second.url}/articles/kept/reactions?visitorId=${visitor(42)}`)
        ).json();
        // The secret is kept with the data, so the same visitor is still recognised.
        expect(view).toMatchObject({ total: 1, mine: 'happy' });
        // And the link secret: the mailed link still shows its button.
        const { pathname, search } = new URL(confirmLink ?? '');
        const page = await fetch(`${second.url}${pathname}${search}`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Confirm');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'TALKBACK_MEMORY',
      { TALKBACK_MEMORY: 'yes' },
      /TALKBACK_MEMORY must be 1 \(or 0, or unset\), not yes/,
    ],
    [
      'TALKBACK_SETTINGS JSON',
      { TALKBACK_SETTINGS: '{reactions' },
      /TALKBACK_SETTINGS is not valid JSON/,
    ],
  ])('refuses a bad %s with a line naming it', async (_name, env, message) => {
    await expect(startLocalProcess({ env })).rejects.toThrow(message);
  });

  it('fails with one clear line when the port is taken', async () => {
    const first = await startLocalProcess();
    try {
      const port = Number(new URL(first.url).port);
      await expect(startLocalProcess({ port })).rejects.toThrow(
        /Port \d+ on 127\.0\.0\.1 is already in use/,
      );
    } finally {
      await first.stop();
    }
  });
});

/**
 * The first answer from `url` once its port takes connections: refused connections are retried,
 * a connection that is accepted and left unanswered for 5 s is a failure.
 */
async function firstAnswer(url: string, init: RequestInit = {}): Promise<Response> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('local server start-up', () => {
  it('answers 503 problem+json with Retry-After while DynamoDB Local starts, then serves', async () => {
    const port = await freePort();
    // The port is bound at once; DynamoDB Local takes seconds more, so the first answers come
    // while the stack is still starting.
    const starting = startLocalProcess({ port });
    try {
      const early = [
        await firstAnswer(`http://127.0.0.1:${port}/config`, {
          headers: { origin: 'https://news.example' },
        }),
        await firstAnswer(`http://127.0.0.1:${port}/articles/early/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://news.example' },
          body: JSON.stringify({ name: 'Early', email: 'early@example.com', body: 'too soon' }),
        }),
      ];
      for (const response of early) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('2');
        // A page's script can read the answer and its Retry-After, not just see a network error.
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        expect(response.headers.get('access-control-expose-headers')).toBe('retry-after');
        expect(response.headers.get('content-type')).toBe(
          'application/problem+json; charset=utf-8',
        );
        expect(await response.json()).toEqual({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'Talkback is starting. Please try again shortly.',
        });
      }
    } finally {
      const local = await starting;
      try {
        expect((await fetch(`${local.url}/config`)).status).toBe(200);
        const list = await readJson<CommentList>(
          await fetch(`${local.url}/articles/early/comments`),
        );
        // What was refused while starting was not kept either.
        expect(list.comments).toEqual([]);
      } finally {
        await local.stop();
      }
    }
    // Starting takes seconds on a quiet machine, over a minute on a loaded one.
  }, 150_000);
});
