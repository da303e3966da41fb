/**
 * Undoing a moderator's decision on DynamoDB Local, through the real handlers: the console's undo
 * is a PATCH back to the status the comment had, sent within the undo window, and it restores
 * exactly what the decision changed: status, counts, the author's trust and the pin.
 */
import type { Api } from '../support/api';
import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { FUTURE_HOUR } from './flows';

jest.setTimeout(30_000);

let table: TestTable;
let api: Api;
let now = FUTURE_HOUR;
const clock = () => (now += 100);
let articleSeq = 0;
const article = (name: string) => `undo-${name}-${++articleSeq}`;
const UNDO_SECONDS = 6;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('undo');
  api = createApi(
    table.runtime(
      {
        TALKBACK_SETTINGS: JSON.stringify({
          moderation: { policy: 'first-time', undoSeconds: UNDO_SECONDS },
        }),
      },
      { clock },
    ),
  );
});
afterAll(async () => table.drop());

async function post(articleId: string, email: string, body = 'A comment.') {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Reader', email, body },
  });
  expect(response.status).toBe(201);
  const json = response.json as { comment: { id: string }; status: string };
  return { id: json.comment.id, status: json.status };
}

async function decide(id: string, status: string) {
  const response = await api('PATCH', `/admin/comments/${id}`, {
    body: { status },
    operator: true,
  });
  expect(response.status).toBe(200);
  return response.json as { comment: { status: string; pinned: boolean }; undoSeconds: number };
}

async function pending(articleId: string) {
  const response = await api('GET', '/admin/comments', {
    query: { status: 'pending', articleId },
    operator: true,
  });
  return response.json.comments as { id: string; authorPublishedBefore: boolean }[];
}

const authorItems = async () =>
  (await table.scanAll()).filter((item) => String(item.PK).startsWith('AUTHOR#'));

async function articleState(articleId: string) {
  const response = await api('GET', `/admin/articles/${articleId}`, { operator: true });
  return response.json as { commentCount: number; pinned: string[] };
}

describe('undoing an approval', () => {
  it('leaves the author unknown again: the next comment waits for a moderator', async () => {
    const articleId = article('trust');
    const email = 'first-time@reader.example';
    const first = await post(articleId, email);
    expect(first.status).toBe('pending');
    const approved = await decide(first.id, 'published');
    expect(approved.undoSeconds).toBe(UNDO_SECONDS);
    await decide(first.id, 'pending');

    expect((await pending(articleId)).map((c) => [c.id, c.authorPublishedBefore])).toEqual([
      [first.id, false],
    ]);
    expect(await articleState(articleId)).toMatchObject({ commentCount: 0 });
    const second = await post(articleId, email, 'Another one.');
    expect(second.status).toBe('pending');
  });

  it('undoes a bulk approval for every author, and only the approvals undone', async () => {
    const articleId = article('bulk');
    const emails = ['bulk-a@reader.example', 'bulk-b@reader.example', 'bulk-a@reader.example'];
    const before = (await authorItems()).length;
    const comments = [];
    for (const email of emails) comments.push(await post(articleId, email));
    await Promise.all(comments.map((c) => decide(c.id, 'published')));
    expect(await authorItems()).toHaveLength(before + 2);

    await Promise.all(comments.map((c) => decide(c.id, 'pending')));
    expect(await authorItems()).toHaveLength(before);
    expect((await pending(articleId)).map((c) => c.authorPublishedBefore)).toEqual([
      false,
      false,
      false,
    ]);

    // Both of one author's comments approved, one approval undone: the other still stands.
    const [a1, , a2] = comments;
    await Promise.all([a1, a2].map((c) => c && decide(c.id, 'published')));
    await decide(a1?.id ?? '', 'pending');
    expect((await pending(articleId)).find((c) => c.id === a1?.id)?.authorPublishedBefore).toBe(
      true,
    );
    expect(await articleState(articleId)).toMatchObject({ commentCount: 1 });
  });

  it('keeps an author who had published before known', async () => {
    const articleId = article('known');
    const email = 'known@reader.example';
    const first = await post(articleId, email);
    await decide(first.id, 'published');
    now += (UNDO_SECONDS + 60) * 1000;
    const second = await post(articleId, email, 'Published at once: the author is known.');
    expect(second.status).toBe('published');
    await decide(second.id, 'pending');
    now += (UNDO_SECONDS + 60) * 1000;
    await decide(second.id, 'published');
    await decide(second.id, 'pending');
    expect((await pending(articleId)).map((c) => [c.id, c.authorPublishedBefore])).toEqual([
      [second.id, true],
    ]);
    expect((await post(articleId, email, 'Still known.')).status).toBe('published');
  });
});

describe('undoing a spam mark', () => {
  it('puts a pinned comment back, pinned, and counted', async () => {
    const articleId = article('pin');
    const email = 'pinned@reader.example';
    const held = await post(articleId, email);
    await decide(held.id, 'published');
    now += (UNDO_SECONDS + 60) * 1000;
    const pinned = await api('PUT', `/admin/comments/${held.id}/pin`, { operator: true });
    expect(pinned.status).toBe(200);

    await decide(held.id, 'spam');
    expect(await articleState(articleId)).toMatchObject({ commentCount: 0, pinned: [] });
    const undone = await decide(held.id, 'published');
    expect(undone.comment).toMatchObject({ status: 'published', pinned: true });
    expect(await articleState(articleId)).toMatchObject({ commentCount: 1, pinned: [held.id] });
    const thread = await api('GET', `/articles/${articleId}/comments`);
    expect(thread.json.comments).toEqual([expect.objectContaining({ id: held.id, pinned: true })]);
  });

  it('is a new decision once the undo window has passed: the pin stays gone', async () => {
    const articleId = article('late');
    const held = await post(articleId, 'late@reader.example');
    await decide(held.id, 'published');
    now += (UNDO_SECONDS + 60) * 1000;
    await api('PUT', `/admin/comments/${held.id}/pin`, { operator: true });
    await decide(held.id, 'spam');
    now += (UNDO_SECONDS + 60) * 1000;
    const back = await decide(held.id, 'published');
    expect(back.comment).toMatchObject({ status: 'published', pinned: false });
    expect(await articleState(articleId)).toMatchObject({ commentCount: 1, pinned: [] });
  });
});
