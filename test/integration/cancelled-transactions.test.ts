/**
 * A transaction DynamoDB cancels writes nothing, against DynamoDB Local: a full consistent scan
 * of the table before and after each refused request (or stale repository write) is the same,
 * down to the rate-limit windows the transaction would have charged first.
 */
import { clientHash } from '../../lambda/domain/rate-limit';
import { visitorHash } from '../../lambda/domain/reactions';
import type { Runtime } from '../../lambda/runtime';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { FUTURE_HOUR, ManualClock } from './flows';

jest.setTimeout(60_000);

const VISITOR = 'visitor-cancel-0123456789';
const NO_SUCH_PARENT = '01M8CYWZ34KHFZS9XHGHJE5FAC';

let table: TestTable;
let runtime: Runtime;
let api: Api;
const clock = new ManualClock(FUTURE_HOUR + 5_000);

/** Two comments and two reactions per client and window: enough to set up, then full. */
const LIMITS = {
  rateLimits: {
    commentsPerMinute: 2,
    commentsPerHour: 2,
    reactionsPerMinute: 2,
    reactionsPerHour: 2,
  },
};

let ip = 0;
/** A fresh client address, so each case starts with empty rate-limit windows. */
const nextIp = () => `192.0.2.${++ip}`;

function postComment(articleId: string, sourceIp: string, extra: Record<string, unknown> = {}) {
  return api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: `ada${ip}@example.com`, body: 'Hello there.', ...extra },
    sourceIp,
  });
}

/** Runs `refuse` (which checks its own answer) and asserts the table is as it was before. */
async function unchangedBy(refuse: () => Promise<unknown>): Promise<void> {
  const before = await table.scanAll();
  await refuse();
  expect(await table.scanAll()).toEqual(before);
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('cancelled');
  runtime = table.runtime({ TALKBACK_SETTINGS: JSON.stringify(LIMITS) }, { clock: clock.read });
  api = createApi(runtime);
});
afterAll(async () => table.drop());

describe('a cancelled transaction', () => {
  it('of a reply to a parent that is not there leaves comments, counts and windows as they were', async () => {
    const from = nextIp();
    expect((await postComment('cancel-parent', from)).status).toBe(201);
    await unchangedBy(async () => {
      const reply = await postComment('cancel-parent', from, { parentId: NO_SUCH_PARENT });
      expect(reply.status).toBe(404);
    });
  });

  it('of a reply to a comment awaiting moderation writes nothing either', async () => {
    const from = nextIp();
    const strict = createApi(
      table.runtime(
        { TALKBACK_SETTINGS: JSON.stringify({ ...LIMITS, moderation: { policy: 'all' } }) },
        { clock: clock.read },
      ),
    );
    const pending = await strict('POST', '/articles/cancel-pending/comments', {
      body: { name: 'Ada', email: 'ada.pending@example.com', body: 'Wait for me.' },
      sourceIp: from,
    });
    expect(pending.json.status).toBe('pending');
    const parentId = String((pending.json.comment as { id: string }).id);
    await unchangedBy(async () => {
      expect((await postComment('cancel-pending', from, { parentId })).status).toBe(404);
    });
  });

  it('of a comment over the rate limit adds no comment, count, author or window', async () => {
    const from = nextIp();
    expect((await postComment('cancel-limit', from)).status).toBe(201);
    expect((await postComment('cancel-limit', from)).status).toBe(201);
    await unchangedBy(async () => {
      const refused = await postComment('cancel-limit', from);
      expect(refused.status).toBe(429);
    });
    const windows = (await table.scanAll()).filter(
      (item) => item.PK === `CLIENT#${clientHash(runtime.hasher, from)}`,
    );
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows) expect(window.requests).toBe(2);
  });

  it('of a reaction over the rate limit moves no vote and no counter', async () => {
    const from = nextIp();
    const put = (reaction: string) =>
      api('PUT', '/articles/cancel-reaction/reactions', {
        body: { visitorId: VISITOR, reaction },
        sourceIp: from,
      });
    expect((await put('happy')).status).toBe(200);
    expect((await put('silly')).status).toBe(200);
    await unchangedBy(async () => {
      expect((await put('excited')).status).toBe(429);
    });
  });

  it('of a vote change from a vote that is no longer there writes neither vote nor counter', async () => {
    const from = nextIp();
    expect(
      (
        await api('PUT', '/articles/cancel-vote/reactions', {
          body: { visitorId: VISITOR, reaction: 'happy' },
          sourceIp: from,
        })
      ).status,
    ).toBe(200);
    const hash = visitorHash(runtime.hasher, VISITOR);
    await unchangedBy(async () => {
      await expect(
        runtime.reactionStore.change({
          articleId: 'cancel-vote',
          visitorHash: hash,
          shard: 0,
          from: 'silly',
          to: 'excited',
        }),
      ).rejects.toThrow('the vote changed while it was being written');
    });
  });

  it('of a moderation decision on a comment that moved on writes no status and no count', async () => {
    const posted = await postComment('cancel-moderation', nextIp());
    const commentId = String((posted.json.comment as { id: string }).id);
    const current = await runtime.moderationStore.findById(commentId);
    if (!current) throw new Error('the posted comment is not stored');
    expect(current.status).toBe('published');
    await unchangedBy(async () => {
      // As if read while it was still pending: its condition fails, and the count move with it.
      await expect(
        runtime.moderationStore.setStatus({ ...current, status: 'pending' }, 'published'),
      ).rejects.toThrow('no such comment');
    });
  });
});
