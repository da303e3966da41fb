/**
 * Featured comments (Editor's Picks) on DynamoDB Local: the thread lists them, most recently
 * featured first, still from its one Query; at most 10; only published ones; and one that leaves
 * the public list leaves the featured ones with it once the tally has seen it.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;
let runtime: Runtime;
let api: Api;
let clock = Date.parse('2026-12-08T09:00:00.000Z');

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('featured');
  runtime = table.runtime({}, { clock: () => clock });
  api = createApi(runtime);
});
afterAll(async () => table.drop());

const tally = (itemKeys: { PK: string; SK: string }[]) => {
  const event: DynamoDBStreamEvent = {
    Records: itemKeys.map(({ PK, SK }) => ({
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } },
    })),
  };
  return tallyHandler({ areas: runtime.areas })(event);
};

interface Shown {
  id: string;
  body: string;
  featured: boolean;
  createdAt: string;
}

async function post(articleId: string, body: string): Promise<Shown> {
  clock += 1_000;
  const posted = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body },
  });
  expect(posted.status).toBe(201);
  return posted.json.comment as Shown;
}

const feature = (id: string) => {
  clock += 1_000;
  return api('PUT', `/admin/comments/${id}/feature`, { operator: true });
};

const thread = async (articleId: string) =>
  (await api('GET', `/articles/${articleId}`)).json as {
    featured: Shown[];
    comments: Shown[];
  };

describe('featured comments', () => {
  it('lists the featured comments in the thread, most recently featured first, marked', async () => {
    const [a, b, c] = [
      await post('picks', 'First'),
      await post('picks', 'Second'),
      await post('picks', 'Third'),
    ];
    for (const id of [b?.id, a?.id]) {
      const answer = await feature(String(id));
      expect(answer.status).toBe(200);
      expect((answer.json.comment as Shown).featured).toBe(true);
    }
    const shown = await thread('picks');
    expect(shown.featured.map((comment) => comment.body)).toEqual(['First', 'Second']);
    expect(shown.comments.map((comment) => [comment.body, comment.featured])).toEqual([
      ['First', true],
      ['Second', true],
      ['Third', false],
    ]);
    // The same in the Top order, from index byTop.
    const top = await api('GET', '/articles/picks', { query: { order: 'top' } });
    expect((top.json.featured as Shown[]).map((comment) => comment.id)).toEqual([a?.id, b?.id]);

    const taken = await api('DELETE', `/admin/comments/${a?.id}/feature`, { operator: true });
    expect(taken.status).toBe(200);
    expect((taken.json.comment as Shown).featured).toBe(false);
    expect((await thread('picks')).featured.map((comment) => comment.id)).toEqual([b?.id]);
    expect(c?.featured).toBe(false);
  });

  it('refuses an eleventh, and a comment that is not published, with 409', async () => {
    const comments: Shown[] = [];
    for (let n = 0; n < 11; n++) comments.push(await post('many-picks', `Pick ${n}`));
    for (const comment of comments.slice(0, 10))
      expect((await feature(comment.id)).status).toBe(200);
    const eleventh = await feature(String(comments[10]?.id));
    expect(eleventh.status).toBe(409);
    expect((await thread('many-picks')).featured).toHaveLength(10);

    await api('PATCH', `/admin/comments/${comments[10]?.id}`, {
      operator: true,
      body: { status: 'spam' },
    });
    const refused = await feature(String(comments[10]?.id));
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toBe('Only a published comment can be featured.');
  });

  it('drops a featured comment that leaves the public list, once the tally has seen it', async () => {
    const pick = await post('hidden-pick', 'Featured, then hidden');
    expect((await feature(pick.id)).status).toBe(200);
    const hidden = await api('PATCH', `/admin/comments/${pick.id}`, {
      operator: true,
      body: { status: 'spam' },
    });
    expect(hidden.status).toBe(200);
    await tally([keys.comment('hidden-pick', pick.createdAt, pick.id)]);
    expect((await thread('hidden-pick')).featured).toEqual([]);
    const approved = await api('PATCH', `/admin/comments/${pick.id}`, {
      operator: true,
      body: { status: 'published' },
    });
    expect((approved.json.comment as Shown).featured).toBe(false);
  });
});
