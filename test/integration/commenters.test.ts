/**
 * Commenter records against DynamoDB Local: the create path's gate reads the commenter's record
 * and refuses a banned or suspended commenter before anything is stored; a trusted one's comment
 * skips the first-time hold.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

const ARTICLE = 'commenter-records';
const EMAIL = 'returning.troll@example.com';

let table: TestTable;
let api: Api;

const post = (body: string, email = EMAIL) =>
  api('POST', `/articles/${ARTICLE}/comments`, {
    body: { name: 'Troll', email, body },
    sourceIp: '198.51.100.41',
  });

async function comments(): Promise<Record<string, unknown>[]> {
  return (await table.scanAll()).filter((item) => item.entity === 'Comment');
}

async function setState(commenterId: string, record: Record<string, unknown>): Promise<void> {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        PK: `COMMENTER#${commenterId}`,
        SK: 'COMMENTER',
        entity: 'Commenter',
        commenterId,
        ...record,
      },
    }),
  );
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('commenters');
  api = createApi(
    table.runtime({ TALKBACK_SETTINGS: testSettings({ moderation: { policy: 'first-time' } }) }),
  );
});
afterAll(async () => table.drop());

describe('the commenter gate on DynamoDB Local', () => {
  let commenterId: string;

  it('stores a guest comment with an opaque commenterId, pending as a first-timer', async () => {
    const created = await post('First.');
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('pending');
    const [item] = await comments();
    commenterId = String(item?.commenterId);
    expect(commenterId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(commenterId).not.toBe(item?.emailHash);
    expect(created.text).not.toContain(commenterId);
  });

  it('refuses a banned commenter with a neutral 403 before anything is stored', async () => {
    await setState(commenterId, { state: 'banned', note: 'daily abuse' });
    const before = await table.scanAll();
    const refused = await post('Again.');
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('daily abuse');
    expect(refused.text).not.toContain('banned');
    expect(await table.scanAll()).toEqual(before);
  });

  it('refuses a suspended commenter with Retry-After, storing nothing', async () => {
    const until = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await setState(commenterId, { state: 'suspended', until });
    const before = await table.scanAll();
    const refused = await post('Again.');
    expect(refused.status).toBe(403);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(86_400);
    expect(await table.scanAll()).toEqual(before);
  });

  it('publishes a trusted commenter at once under the first-time policy', async () => {
    await setState(commenterId, { state: 'trusted' });
    const created = await post('Trusted now.');
    expect(created.json.status).toBe('published');
  });
});

describe('the operators’ commenter routes on DynamoDB Local', () => {
  const READER_EMAIL = 'regular.reader@example.com';
  let commenterId: string;
  const path = () => `/admin/commenters/${encodeURIComponent(commenterId)}`;
  const put = (body: Record<string, unknown>) => api('PUT', path(), { body, operator: true });

  beforeAll(async () => {
    expect((await post('Hello from a regular.', READER_EMAIL)).status).toBe(201);
    const found = await api('GET', '/admin/commenters', {
      query: { email: READER_EMAIL },
      operator: true,
    });
    expect(found.status).toBe(200);
    // A guest: the one id is the one their address stands for.
    expect(found.json.commenterIds).toEqual([expect.any(String)]);
    commenterId = String((found.json.commenterIds as string[])[0]);
  });

  it('finds the record by email, and answers it with counts, first seen and comments', async () => {
    const [stored] = (await comments()).filter((item) => item.commenterId === commenterId);
    expect(stored).toBeDefined();
    const record = await api('GET', path(), { operator: true });
    expect(record.status).toBe(200);
    expect(record.json).toMatchObject({
      commenterId,
      state: 'normal',
      until: null,
      note: null,
      counts: { published: 0, pending: 1, spam: 0 },
      firstSeen: stored?.createdAt,
      comments: [{ body: 'Hello from a regular.', status: 'pending', articleId: ARTICLE }],
    });
  });

  it('sets a state and a note with who and when, keeping the setting it replaced', async () => {
    const trusted = await put({ state: 'trusted', note: 'Fine every time.' });
    expect(trusted.status).toBe(200);
    expect(trusted.json).toMatchObject({
      state: 'trusted',
      note: 'Fine every time.',
      setBy: expect.any(String),
      setAt: expect.any(String),
      history: [],
    });
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const suspended = await put({ state: 'suspended', until });
    expect(suspended.json).toMatchObject({
      state: 'suspended',
      until,
      note: 'Fine every time.',
      history: [{ state: 'trusted', until: null, setAt: trusted.json.setAt }],
    });
    // The create path's gate reads what the route wrote.
    const refused = await post('Again.', READER_EMAIL);
    expect(refused.status).toBe(403);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(6 * 86_400);
    // Undo: the earlier setting put back exactly.
    const undone = await put({ state: 'trusted', note: 'Fine every time.' });
    expect(undone.json).toMatchObject({ state: 'trusted', until: null, note: 'Fine every time.' });
    expect((await post('Trusted again.', READER_EMAIL)).json.status).toBe('published');
  });

  it('refuses bad input naming the field, changing nothing', async () => {
    const before = await api('GET', path(), { operator: true });
    for (const [body, field] of [
      [{ state: 'sulking' }, 'state'],
      [{ state: 'suspended' }, 'until'],
      [{ state: 'banned', until: '2030-01-01T00:00:00Z' }, 'until'],
      [{ state: 'suspended', until: '2020-01-01T00:00:00Z' }, 'until'],
      [{ state: 'banned', note: 'x'.repeat(1001) }, 'note'],
    ] as const) {
      const refused = await put(body);
      expect([field, refused.status]).toEqual([field, 400]);
      expect(refused.json.errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await api('GET', path(), { operator: true })).json).toEqual(before.json);
  });

  it('answers 404 for an unknown id, for reading and for changing, making no record', async () => {
    const unknownPath = '/admin/commenters/nobody-at-all';
    expect((await api('GET', unknownPath, { operator: true })).status).toBe(404);
    const changed = await api('PUT', unknownPath, { body: { state: 'banned' }, operator: true });
    expect(changed.status).toBe(404);
    const records = (await table.scanAll()).filter((item) => item.PK === 'COMMENTER#nobody-at-all');
    expect(records).toEqual([]);
  });

  it('is for operators only', async () => {
    expect((await api('GET', path())).status).toBe(401);
    expect((await api('PUT', path(), { body: { state: 'banned' } })).status).toBe(401);
    expect((await api('GET', '/admin/commenters', { query: { email: READER_EMAIL } })).status).toBe(
      401,
    );
  });

  it('loses the note, not the state, when the email is erased', async () => {
    const erased = await api('POST', '/admin/erasures', {
      body: { email: READER_EMAIL },
      operator: true,
    });
    expect(erased.status).toBe(200);
    const [record] = (await table.scanAll()).filter(
      (item) => item.PK === `COMMENTER#${commenterId}`,
    );
    expect(record).toMatchObject({ state: 'trusted' });
    expect(record).not.toHaveProperty('note');
    expect(JSON.stringify(await table.scanAll())).not.toContain('Fine every time.');
  });
});
