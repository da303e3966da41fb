/**
 * Authors' own comments on DynamoDB Local: PATCH and DELETE /comments/{commentId} with the edit
 * token from the create response, a wrong token (401) and a closed edit window (403, by moving
 * a fake clock), and the counts after a deletion. Every response is checked for the emails sent.
 */
import type { Runtime } from '../../lambda/runtime';
import type { Api, ApiRequest, ApiResponse } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import {
  EmailGuard,
  exposed,
  FUTURE_HOUR,
  ManualClock,
  publicView,
  storedComment,
  storedCounts,
} from './flows';

jest.setTimeout(30_000);

const MINUTE = 60_000;
const WINDOW = 15 * MINUTE;

let table: TestTable;
let runtime: Runtime;
let api: Api;
const guard = new EmailGuard();
const clock = new ManualClock(FUTURE_HOUR);
let articleSeq = 0;
const article = (name: string) => `${name}-${++articleSeq}`;

interface Own {
  articleId: string;
  id: string;
  token: string;
  status: string;
}

async function post(articleId: string, fields: Record<string, unknown> = {}): Promise<Own> {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada.own@example.com', body: 'Original text.', ...fields },
  });
  expect(response.status).toBe(201);
  const created = response.json as { comment: { id: string }; status: string; editToken: string };
  expect(created.editToken).toEqual(expect.any(String));
  // Each comment at its own time, as real authors post.
  clock.advance(1000);
  return { articleId, id: created.comment.id, token: created.editToken, status: created.status };
}

const bearer = (token: string): ApiRequest['headers'] => ({ authorization: `Bearer ${token}` });

function edit(own: Pick<Own, 'id'>, body: string, headers: ApiRequest['headers'] = {}) {
  return api('PATCH', `/comments/${own.id}`, { body: { body }, headers });
}

function remove(own: Pick<Own, 'id'>, headers: ApiRequest['headers'] = {}) {
  return api('DELETE', `/comments/${own.id}`, { headers, omitHeaders: ['content-type'] });
}

function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response.json).toMatchObject({ type: 'about:blank', status });
}

/** A token of the right shape for the article that was never issued. */
function forgedToken(articleId: string): string {
  return `${Buffer.from(articleId).toString('base64url')}.${'A'.repeat(32)}`;
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('own-comments');
  runtime = table.runtime(
    { TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy: 'none' } }) },
    { clock: clock.read },
  );
  api = guard.api(runtime);
});
afterAll(async () => table.drop());

describe('the edit token', () => {
  it('is returned once and stored only as a hash', async () => {
    const own = await post(article('token'));
    const stored = await storedComment(table, own.id);
    expect(stored?.editTokenHash).toEqual(expect.any(String));
    expect(stored?.editTokenHash).not.toBe(own.token);
    const raw = JSON.stringify(await table.scanAll());
    expect(raw).not.toContain(own.token);
    expect(raw).not.toContain(own.token.split('.')[1]);
  });
});

describe('PATCH /comments/{commentId}', () => {
  it('edits the body with the right token, setting editedAt, within the window', async () => {
    const own = await post(article('edit'));
    clock.advance(5 * MINUTE);
    const editedAt = new Date(clock.now).toISOString();
    const response = await edit(own, '  Fixed the typo.  ', bearer(own.token));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      comment: {
        id: own.id,
        articleId: own.articleId,
        parentId: null,
        author: { name: 'Ada', website: null, staff: false, verified: false, badges: [] },
        body: 'Fixed the typo.',
        createdAt: expect.any(String),
        editedAt,
        pinned: false,
        featured: false,
        likes: 0,
      },
    });
    const list = await api('GET', `/articles/${own.articleId}/comments`);
    expect(list.json.comments).toEqual([(response.json as { comment: unknown }).comment]);
    expect(await storedComment(table, own.id)).toMatchObject({
      body: 'Fixed the typo.',
      editedAt,
      status: 'published',
      email: 'ada.own@example.com',
    });
    expect(await storedCounts(table, own.articleId)).toEqual({ head: 1, tail: 1 });
  });

  it('still edits at exactly the end of the window', async () => {
    const own = await post(article('edit-edge'));
    clock.advance(WINDOW - 1000);
    expect((await edit(own, 'last second', bearer(own.token))).status).toBe(200);
  });

  it.each<[string, (own: Own, other: Own) => ApiRequest['headers']]>([
    ['no Authorization header', () => ({})],
    ['another comment’s token', (_, other) => bearer(other.token)],
    [
      'a token with one character changed',
      (own) => bearer(`${own.token.slice(0, -1)}${own.token.endsWith('A') ? 'B' : 'A'}`),
    ],
    ['a forged token of the right shape', (own) => bearer(forgedToken(own.articleId))],
    ['garbage', () => bearer('not-a-token')],
    ['the token without the Bearer scheme', (own) => ({ authorization: own.token })],
  ])('answers 401 to %s and changes nothing', async (_, headers) => {
    const articleId = article('edit-wrong');
    const own = await post(articleId);
    const other = await post(articleId, { email: 'other.own@example.com' });
    const before = await table.scanAll();
    expectProblem(await edit(own, 'hijacked', headers(own, other)), 401);
    expectProblem(await remove(own, headers(own, other)), 401);
    expect(await table.scanAll()).toEqual(before);
  });

  it('answers 401 to a token of the same comment id in another article', async () => {
    const own = await post(article('edit-cross'));
    const before = await table.scanAll();
    const foreign = `${Buffer.from('another-article').toString('base64url')}.${own.token.split('.')[1]}`;
    expectProblem(await edit(own, 'hijacked', bearer(foreign)), 401);
    expect(await table.scanAll()).toEqual(before);
  });

  it('answers 403 with the right token once the window has closed, and changes nothing', async () => {
    const own = await post(article('edit-late'));
    clock.advance(WINDOW);
    const before = await table.scanAll();
    const late = await edit(own, 'too late', bearer(own.token));
    expectProblem(late, 403);
    expectProblem(await remove(own, bearer(own.token)), 403);
    // A wrong token stays a 401 after the window: the 403 says only that the token was right.
    expectProblem(await edit(own, 'too late', bearer(forgedToken(own.articleId))), 401);
    expect(await table.scanAll()).toEqual(before);
    expect((await publicView(api, own.articleId)).ids).toEqual([own.id]);
  });

  it('answers 400 for an empty body and changes nothing', async () => {
    const own = await post(article('edit-empty'));
    const before = await table.scanAll();
    const response = await edit(own, '   ', bearer(own.token));
    expectProblem(response, 400);
    expect((response.json.errors as { field: string }[]).map((e) => e.field)).toEqual(['body']);
    expect(await table.scanAll()).toEqual(before);
  });

  it('holds a published comment again when an edit adds too many links, uncounting it', async () => {
    const articleId = article('edit-links');
    const own = await post(articleId);
    const other = await post(articleId, { email: 'other.own@example.com' });
    expect(await storedCounts(table, articleId)).toEqual({ head: 2, tail: 2 });
    const response = await edit(
      own,
      'buy https://a.example https://b.example https://c.example',
      bearer(own.token),
    );
    expect(response.status).toBe(200);
    expect(await storedComment(table, own.id)).toMatchObject({ status: 'pending' });
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [other.id],
    });
  });
});

describe('DELETE /comments/{commentId}', () => {
  it('deletes the comment with the right token, uncounting it everywhere', async () => {
    const articleId = article('delete');
    const own = await post(articleId);
    const other = await post(articleId, { email: 'other.own@example.com' });
    expect(await storedCounts(table, articleId)).toEqual({ head: 2, tail: 2 });
    clock.advance(WINDOW - 2000);

    const response = await remove(own, bearer(own.token));
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await storedComment(table, own.id)).toBeUndefined();
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect(await publicView(api, articleId)).toEqual({
      articleId,
      commentCount: 1,
      ids: [other.id],
    });

    // Gone: the token opens nothing any more.
    const before = await table.scanAll();
    expectProblem(await remove(own, bearer(own.token)), 401);
    expectProblem(await edit(own, 'back again', bearer(own.token)), 401);
    expect(await table.scanAll()).toEqual(before);
  });

  it('deletes a pending comment without moving the counts', async () => {
    const articleId = article('delete-pending');
    await post(articleId);
    const held = await post(articleId, {
      body: 'https://a.example https://b.example https://c.example',
    });
    expect(held.status).toBe('pending');
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
    expect((await remove(held, bearer(held.token))).status).toBe(204);
    expect(await storedComment(table, held.id)).toBeUndefined();
    expect(await storedCounts(table, articleId)).toEqual({ head: 1, tail: 1 });
  });
});

describe('the email in own-comment responses', () => {
  it('is in the table and in none of the answers above', async () => {
    const own = await post(article('email'), { email: 'Only.Stored@Example.com' });
    const responses = [
      await edit(own, 'edited', bearer(own.token)),
      await edit(own, 'edited', bearer(forgedToken(own.articleId))),
      await remove(own, bearer(own.token)),
    ];
    for (const response of responses) expect(guard.leaksIn(exposed(response))).toEqual([]);
    expect(guard.checked).toBeGreaterThan(responses.length);
    expect(guard.leaksIn(JSON.stringify(await table.scanAll()))).toContain('ada.own@example.com');
  });
});
