/**
 * The transparency counts on DynamoDB Local, through the real handlers: a decision on a reported
 * comment counts its notices by reason, its ground, its means and the wait, in its own
 * transaction; its undo takes them back; GET /admin/transparency reads them without a Scan.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import { keys } from '../../lambda/store/keys';
import { createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('transparency');
});
afterAll(async () => table.drop());

describe('transparency counts', () => {
  it('counts a decision on a reported comment, takes it back on undo, and reads a month in one Query', async () => {
    const runtime = table.runtime({
      TALKBACK_SETTINGS: JSON.stringify({
        moderation: { policy: 'none' },
        reports: { threshold: 2 },
      }),
    });
    const api = createApi(runtime);
    const posted = await api('POST', '/articles/transparency/comments', {
      body: { name: 'Mallory', email: 'mallory@example.com', body: 'Something to report.' },
    });
    const { id, createdAt } = posted.json.comment as { id: string; createdAt: string };
    const key = keys.comment('transparency', createdAt, id);
    await tallyHandler({ areas: runtime.areas })({
      Records: [
        {
          eventName: 'MODIFY',
          eventSource: 'aws:dynamodb',
          dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } },
        },
      ],
    } as DynamoDBStreamEvent);
    const report = (n: number, body: Record<string, unknown>) =>
      api('POST', `/comments/${id}/reports`, {
        body: { visitorId: `transparency-visitor-${n}`, ...body },
      });
    expect((await report(1, { reason: 'spam' })).status).toBe(202);
    expect(
      (
        await report(2, {
          reason: 'illegal',
          explanation: 'This incites hatred against a group.',
          goodFaith: true,
        })
      ).status,
    ).toBe(202);
    const decided = await api('PATCH', `/admin/comments/${id}`, {
      operator: true,
      body: { status: 'spam', ground: 'illegal' },
    });
    expect(decided.status).toBe(200);
    const month = new Date().toISOString().slice(0, 7);
    const read = () =>
      api('GET', '/admin/transparency', { operator: true, query: { from: month, to: month } });
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      noticesByReason: { illegal: 1, spam: 1 },
      actionsByGround: { illegal: 1 },
      decisions: {
        human: 1,
        removalsWithAutomatedMeans: 1,
        removalsByHumanMeansOnly: 0,
        screen: { upheld: 0, overturned: 0 },
      },
    });
    expect(typeof first.json.medianMinutesFromNoticeToDecision).toBe('number');
    // The undo (back to where the decision found it, within the window) takes the counts back.
    const undone = await api('PATCH', `/admin/comments/${id}`, {
      operator: true,
      body: { status: 'pending' },
    });
    expect(undone.status).toBe(200);
    expect((await read()).json).toMatchObject({
      noticesByReason: {},
      actionsByGround: {},
      decisions: { human: 0, removalsWithAutomatedMeans: 0, removalsByHumanMeansOnly: 0 },
      medianMinutesFromNoticeToDecision: null,
    });
  });
});
