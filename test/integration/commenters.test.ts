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
