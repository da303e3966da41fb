/**
 * The house rules edited through the operators' routes on DynamoDB Local, and the create path
 * screening with them: the settings' starting lists until a save, the saved rules within a minute
 * after (each instance keeps the rules it read for 60 s), a stale save refused.
 */
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;
let api: Api;
let now = Date.parse('2026-12-08T01:00:00.000Z');

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('house-rules');
  api = createApi(
    table.runtime(
      {
        TALKBACK_SETTINGS: testSettings({
          moderation: { policy: 'none' },
          rules: { hold: ['starting phrase'], block: [] },
        }),
      },
      { clock: () => now },
    ),
  );
});
afterAll(async () => table.drop());

const post = (body: string) =>
  api('POST', '/articles/rules-a/comments', {
    body: { name: 'Ada', email: 'ada@example.com', body },
    sourceIp: '198.51.100.7',
  });

describe('house rules on DynamoDB Local', () => {
  it('holds a comment by a rule saved in the console, within a minute of the save', async () => {
    expect((await post('A starting phrase here.')).json).toMatchObject({ status: 'pending' });
    expect((await post('You fool.')).json).toMatchObject({ status: 'published' });

    const read = await api('GET', '/admin/house-rules', { operator: true });
    expect(read.json).toEqual({
      hold: ['starting phrase'],
      block: [],
      emailDomains: { disposable: 'allow', hold: [], block: [] },
      version: 0,
      updatedAt: null,
    });
    const saved = await api('PUT', '/admin/house-rules', {
      operator: true,
      body: { ...read.json, hold: ['fool'], updatedAt: undefined },
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ hold: ['fool'], version: 1 });
    expect((await api('GET', '/admin/house-rules', { operator: true })).json).toEqual(saved.json);

    // A save made from the version read before is refused, changing nothing.
    const stale = await api('PUT', '/admin/house-rules', {
      operator: true,
      body: { ...read.json, hold: [], updatedAt: undefined },
    });
    expect(stale.status).toBe(409);

    now += 61_000;
    const held = await post('You fool, again.');
    expect(held.status).toBe(201);
    expect(held.json).toMatchObject({ status: 'pending' });
    expect((await post('A starting phrase here.')).json).toMatchObject({ status: 'published' });
    const queue = await api('GET', '/admin/comments', {
      operator: true,
      query: { articleId: 'rules-a' },
    });
    expect(
      (queue.json.comments as { body: string; holdReasons?: string[] }[]).map((comment) => [
        comment.body,
        comment.holdReasons,
      ]),
    ).toEqual([
      ['A starting phrase here.', ['rule:starting-phrase']],
      ['You fool, again.', ['rule:fool']],
    ]);
  });
});
