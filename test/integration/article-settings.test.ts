/**
 * Per-article settings on DynamoDB Local, through the operators' route and the public ones: an
 * article's own moderation policy, who may comment on it and its closing time, and the
 * deployment's autoCloseDays, which close it with no write at the closing time.
 */
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { AUDIENCE, hs256Token, SHARED_ISSUER, SHARED_SECRET } from '../support/reader-issuer';

const DAY = 86_400_000;
const guest = { name: 'Ada', email: 'ada@example.com' };
const READERS = {
  issuers: [{ issuer: SHARED_ISSUER, audience: AUDIENCE, secret: SHARED_SECRET }],
  badges: ['subscriber'],
};

let table: TestTable;
let api: Api;
let now = Date.parse('2026-12-01T12:00:00.000Z');

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('article-settings');
  api = createApi(
    table.runtime(
      { TALKBACK_SETTINGS: testSettings({ autoCloseDays: 2, readers: READERS }) },
      { clock: () => now },
    ),
  );
});
afterAll(async () => table.drop());

const change = (articleId: string, body: Record<string, unknown>) =>
  api('PATCH', `/admin/articles/${articleId}`, { operator: true, body });
const post = (articleId: string, body: Record<string, unknown>) =>
  api('POST', `/articles/${articleId}/comments`, { body, sourceIp: '198.51.100.4' });
const thread = (articleId: string) => api('GET', `/articles/${articleId}`);

describe('an article’s own settings on DynamoDB Local', () => {
  it('takes only signed-in readers where the article says so, and the thread says it', async () => {
    const changed = await change('members', { commenting: 'signed-in' });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ commenting: 'signed-in', moderation: null, open: true });
    expect((await thread('members')).json.commenting).toBe('signed-in');
    const refused = await post('members', { ...guest, body: 'Let me in.' });
    expect(refused.status).toBe(401);
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'reader' })]);
    const reader = await hs256Token(now, { claims: { badges: ['subscriber'] } });
    expect((await post('members', { reader, body: 'Signed in.' })).status).toBe(201);
    // Given back to the deployment's mode: anyone.
    await change('members', { commenting: null });
    expect((await post('members', { ...guest, body: 'Now me.' })).status).toBe(201);
  });

  it('holds every comment where the article’s policy is all, saying why', async () => {
    await change('court-case', { moderation: 'all' });
    const held = await post('court-case', { ...guest, body: 'A view on the trial.' });
    expect(held.json.status).toBe('pending');
    const queue = await api('GET', '/admin/comments', {
      operator: true,
      query: { status: 'pending', articleId: 'court-case' },
    });
    expect(queue.json.comments).toEqual([
      expect.objectContaining({ holdReasons: ['article-policy'] }),
    ]);
  });

  it('closes at its closeAt with no write then, and no cache keeps the form past it', async () => {
    const closeAt = new Date(now + 20_000).toISOString();
    expect((await change('evening', { closeAt })).json).toMatchObject({
      open: true,
      closeAt,
      closesAt: closeAt,
    });
    const before = await thread('evening');
    expect(before.json.open).toBe(true);
    expect(before.headers['cache-control']).toBe(
      'public, max-age=5, s-maxage=5, stale-while-revalidate=15',
    );
    expect((await post('evening', { ...guest, body: 'Just in time.' })).status).toBe(201);
    now += 20_000;
    expect((await thread('evening')).json.open).toBe(false);
    const late = await post('evening', { ...guest, body: 'Too late.' });
    expect(late.status).toBe(403);
    expect((await api('GET', '/admin/articles/evening', { operator: true })).json).toMatchObject({
      open: false,
      closed: false,
    });
  });

  it('closes autoCloseDays after its first comment, and a reopening keeps it open', async () => {
    expect((await post('old-news', { ...guest, body: 'First!' })).status).toBe(201);
    now += 2 * DAY;
    expect((await thread('old-news')).json.open).toBe(false);
    expect((await post('old-news', { ...guest, body: 'Two days on.' })).status).toBe(403);
    const reopened = await change('old-news', { open: true });
    expect(reopened.json).toMatchObject({ open: true, closeAt: null, closesAt: null });
    now += 30 * DAY;
    expect((await post('old-news', { ...guest, body: 'Still open.' })).status).toBe(201);
  });

  it('closes at once for a closeAt in the past', async () => {
    const passed = await change('yesterday', { closeAt: new Date(now - DAY).toISOString() });
    expect(passed.json).toMatchObject({ open: false });
    expect((await post('yesterday', { ...guest, body: 'Hello?' })).status).toBe(403);
  });

  it('answers bad values with 400 naming each field, and changes nothing', async () => {
    const before = await api('GET', '/admin/articles/members', { operator: true });
    const bad = await change('members', {
      moderation: 'most',
      commenting: 'badge:gold',
      closeAt: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    expect((bad.json.errors as { field: string }[]).map((error) => error.field)).toEqual([
      'moderation',
      'commenting',
      'closeAt',
    ]);
    expect((await api('GET', '/admin/articles/members', { operator: true })).json).toEqual(
      before.json,
    );
  });
});
