/**
 * The screen's tuning counts on DynamoDB Local, through the real handlers: a moderator's first
 * decision on a comment the house rules held counts each reason as overturned or upheld, an undo
 * takes the count back, a second decision counts nothing, and a one-click link's approval counts.
 */

import { moderationToken } from '../../lambda/domain/notifications';
import { screenTuning } from '../../lambda/domain/screen-tuning';
import { ScreenTuningRepository } from '../../lambda/store/screen-tuning';
import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { FUTURE_HOUR } from './flows';

jest.setTimeout(60_000);

let table: TestTable;
let now = FUTURE_HOUR;
const clock = () => now;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('tuning');
});
afterAll(() => table.drop());

function world() {
  const runtime = table.runtime(
    {
      TALKBACK_SETTINGS: JSON.stringify({
        moderation: { policy: 'none', undoSeconds: 6 },
        rules: { hold: ['idiot', 'fool'], block: ['cheap pills'] },
      }),
    },
    { clock },
  );
  const api = createApi(runtime);
  const store = new ScreenTuningRepository(table.documentClient, table.tableName);
  const month = new Date(FUTURE_HOUR).toISOString().slice(0, 7);
  return {
    runtime,
    api,
    tuning: () => screenTuning(store, { from: month, to: month }),
    async post(body: string) {
      const response = await api('POST', '/articles/tuning/comments', {
        body: { name: 'Ada', email: 'ada@reader.example', body },
      });
      expect(response.status).toBe(201);
      return (response.json.comment as { id: string }).id;
    },
    moderate: (id: string, status: string) =>
      api('PATCH', `/admin/comments/${id}`, { body: { status }, operator: true }),
  };
}

describe('the screen’s tuning counts', () => {
  it('count a moderator’s first decisions, take an undone one back, and count a link’s approval', async () => {
    const w = world();
    const overturned = await w.post('You idiot, you fool.');
    const upheld = await w.post('What an idiot.');
    expect((await w.moderate(overturned, 'published')).status).toBe(200);
    expect((await w.moderate(upheld, 'spam')).status).toBe(200);
    expect((await w.tuning()).reasons).toEqual([
      { reason: 'rule:fool', overturned: 1, upheld: 0, overturnedShare: 1 },
      { reason: 'rule:idiot', overturned: 1, upheld: 1, overturnedShare: 0.5 },
    ]);

    // Undone within the window: its counts go; a later decision on the comment is a first again.
    now += 2_000;
    expect((await w.moderate(upheld, 'pending')).status).toBe(200);
    expect((await w.tuning()).reasons).toContainEqual({
      reason: 'rule:idiot',
      overturned: 1,
      upheld: 0,
      overturnedShare: 1,
    });

    // A second decision on a comment a human already decided counts nothing.
    now += 60_000;
    expect((await w.moderate(overturned, 'spam')).status).toBe(200);
    expect((await w.tuning()).upheld).toBe(0);

    // The one-click link of a held-comment notice.
    const token = moderationToken(
      w.runtime.hasher,
      { articleId: 'tuning', commentId: upheld },
      'published',
      now,
    );
    const acted = await w.api('POST', '/moderation/actions', { query: { token } });
    expect(acted.status).toBe(200);
    const after = await w.tuning();
    expect(after.reasons).toContainEqual({
      reason: 'rule:idiot',
      overturned: 2,
      upheld: 0,
      overturnedShare: 1,
    });
    expect(after.kinds).toEqual({ rule: { overturned: 3, upheld: 0 } });
  });
});
