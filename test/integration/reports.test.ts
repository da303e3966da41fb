/**
 * Reports on DynamoDB Local, through the real handlers: one counted report per visitor, the
 * threshold that takes a comment to the queue (exact under concurrency), what operators see,
 * deciding that clears the reports, notices of illegal content, and rate limits.
 */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('reports');
});
afterAll(async () => table.drop());

const visitor = (n: number) => `report-visitor-${String(n).padStart(6, '0')}`;

function setUp(settings: Record<string, unknown> = {}) {
  const runtime: Runtime = table.runtime({ TALKBACK_SETTINGS: JSON.stringify(settings) });
  const api: Api = createApi(runtime);
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
  /** A published comment whose signals the tally has made, as the stream would. */
  const comment = async (articleId: string, sourceIp = '127.0.0.1') => {
    const posted = await api('POST', `/articles/${articleId}/comments`, {
      body: { name: 'Mallory', email: 'mallory@example.com', body: 'Something to report.' },
      sourceIp,
    });
    expect(posted.status).toBe(201);
    const { id, createdAt } = posted.json.comment as { id: string; createdAt: string };
    await tally([keys.comment(articleId, createdAt, id)]);
    return id;
  };
  const report = (
    id: string,
    n: number,
    body: Record<string, unknown> = { reason: 'spam' },
    sourceIp = '127.0.0.1',
  ) =>
    api('POST', `/comments/${id}/reports`, { body: { visitorId: visitor(n), ...body }, sourceIp });
  const queued = async (id: string) => {
    const list = await api('GET', '/admin/comments', {
      operator: true,
      query: { status: 'pending' },
    });
    return (list.json.comments as Record<string, unknown>[]).find((c) => c.id === id);
  };
  return { runtime, api, comment, report, queued };
}

describe('reports', () => {
  it('counts one report per visitor and hides the comment at the threshold, into the queue', async () => {
    const { api, comment, report, queued } = setUp();
    const id = await comment('reported');
    expect(await report(id, 1)).toMatchObject({ status: 202, json: { received: true } });
    // The same visitor again: the same answer, nothing counted.
    expect(await report(id, 1, { reason: 'abuse' })).toMatchObject({ status: 202 });
    expect(
      await report(id, 2, { reason: 'abuse', explanation: 'Insults another reader.' }),
    ).toMatchObject({ status: 202 });
    let thread = await api('GET', '/articles/reported');
    expect(thread.json.commentCount).toBe(1);

    const third = await report(id, 3, {
      reason: 'illegal',
      explanation: 'This comment publishes a private address.',
      goodFaith: true,
      email: 'notifier@example.com',
    });
    expect(third).toMatchObject({ status: 202, json: { received: true } });
    thread = await api('GET', '/articles/reported');
    expect(thread.json.commentCount).toBe(0);
    expect(thread.json.comments).toEqual([]);
    expect(thread.text).not.toContain('notifier@example.com');

    const held = await queued(id);
    expect(held).toMatchObject({
      status: 'pending',
      holdReasons: ['reported'],
      reports: {
        count: 3,
        reasons: { spam: 1, abuse: 1, illegal: 1 },
        explanations: [
          {
            reason: 'abuse',
            explanation: 'Insults another reader.',
            receivedAt: expect.any(String),
          },
          {
            reason: 'illegal',
            explanation: 'This comment publishes a private address.',
            receivedAt: expect.any(String),
            email: 'notifier@example.com',
          },
        ],
      },
    });
    const summary = held?.reports as { explanations: object[] } | undefined;
    expect(summary?.explanations[0]).not.toHaveProperty('email');

    // Deciding clears the reports: published again, counted again, and reportable again.
    const decided = await api('PATCH', `/admin/comments/${id}`, {
      operator: true,
      body: { status: 'published' },
    });
    expect(decided.status).toBe(200);
    expect((await api('GET', '/articles/reported')).json.commentCount).toBe(1);
    const stored = (await table.scanAll()).filter((item) => item.PK === `REPORTS#${id}`);
    expect(stored).toHaveLength(3);
    for (const item of stored)
      expect(item).toMatchObject({ decision: 'published', decidedAt: expect.any(String) });
    const comments = await table.scanAll();
    expect(comments.find((item) => item.commentId === id)).not.toHaveProperty('reportCount');
  });

  it('lists the comments with open reports, and every decision clears them: keep, spam, delete', async () => {
    const { api, comment, report } = setUp({
      reports: { threshold: 2 },
      rateLimits: { commentsPerMinute: 100, commentsPerHour: 1000 },
    });
    const reportedIds = async (status: string) => {
      const list = await api('GET', '/admin/comments', {
        operator: true,
        query: { status, articleId: 'decided', reported: 'true' },
      });
      expect(list.status).toBe(200);
      return (list.json.comments as { id: string }[]).map((c) => c.id);
    };
    const decisions = async (id: string) =>
      (await table.scanAll())
        .filter((item) => item.PK === `REPORTS#${id}`)
        .map((item) => item.decision);
    const reportCount = async (id: string) =>
      (await table.scanAll()).find((item) => item.commentId === id)?.reportCount;
    const [kept, spammed, deleted, unreported] = [
      await comment('decided'),
      await comment('decided'),
      await comment('decided'),
      await comment('decided'),
    ];
    // One report each: still published, below the threshold of 2.
    await report(kept as string, 1, { reason: 'off-topic', explanation: 'About football.' });
    // Two each: held, pending with the reason reported.
    for (const id of [spammed, deleted] as string[]) {
      await report(id, 2);
      await report(id, 3, { reason: 'abuse' });
    }
    expect(await reportedIds('published')).toEqual([kept]);
    expect((await reportedIds('pending')).sort()).toEqual([spammed, deleted].sort());
    expect(await reportedIds('published')).not.toContain(unreported);

    // Approving a published comment keeps it published and decides its report.
    const keep = await api('PATCH', `/admin/comments/${kept}`, {
      operator: true,
      body: { status: 'published' },
    });
    expect(keep.status).toBe(200);
    expect(keep.json.comment).toMatchObject({ status: 'published' });
    expect(keep.json.comment).not.toHaveProperty('reports');
    expect(await reportCount(kept as string)).toBeUndefined();
    expect(await decisions(kept as string)).toEqual(['published']);
    expect((await api('GET', '/articles/decided')).json.commentCount).toBe(2);

    const spam = await api('PATCH', `/admin/comments/${spammed}`, {
      operator: true,
      body: { status: 'spam' },
    });
    expect(spam.status).toBe(200);
    expect(await decisions(spammed as string)).toEqual(['spam', 'spam']);

    expect((await api('DELETE', `/admin/comments/${deleted}`, { operator: true })).status).toBe(
      204,
    );
    expect(await decisions(deleted as string)).toEqual(['removed', 'removed']);

    expect(await reportedIds('published')).toEqual([]);
    expect(await reportedIds('pending')).toEqual([]);
    expect(await reportedIds('spam')).toEqual([]);
  });

  it('hides a comment exactly once when many report it at once', async () => {
    const { api, comment, report } = setUp({ reports: { threshold: 3 } });
    const id = await comment('crowd-reported');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => report(id, 100 + n)));
    for (const answer of answers) expect([202, 503]).toContain(answer.status);
    const thread = await api('GET', '/articles/crowd-reported');
    expect(thread.json.commentCount).toBe(0);
    const stats = (await table.scanAll()).find(
      (item) => item.PK === 'ARTICLE#crowd-reported' && item.SK === 'COMMENT#!COUNT',
    );
    // Uncounted once, whatever the race.
    expect(stats?.commentCount).toBe(0);
  });

  it('hides at once on a notice of illegal content where the deployment says so', async () => {
    const { api, comment, report } = setUp({ reports: { threshold: 3, hideOnIllegal: true } });
    const id = await comment('illegal-notice');
    expect(
      await report(id, 1, {
        reason: 'illegal',
        explanation: 'Incites violence against a named person.',
        goodFaith: true,
      }),
    ).toMatchObject({ status: 202 });
    expect((await api('GET', '/articles/illegal-notice')).json.commentCount).toBe(0);
  });

  it('refuses a notice of illegal content without its explanation and good faith, naming both', async () => {
    const { comment, report } = setUp();
    const id = await comment('bad-notice');
    const before = await table.scanAll();
    const refused = await report(id, 1, { reason: 'illegal', explanation: 'short' });
    expect(refused.status).toBe(400);
    expect((refused.json.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'explanation',
      'goodFaith',
    ]);
    expect(await table.scanAll()).toEqual(before);
  });

  it('keeps the notifier’s email only for a notice of illegal content', async () => {
    const { comment, report } = setUp();
    const id = await comment('kept-emails');
    await report(id, 1, { reason: 'spam', email: 'reader@example.com' });
    const items = (await table.scanAll()).filter((item) => item.PK === `REPORTS#${id}`);
    expect(items).toHaveLength(1);
    expect(items[0]).not.toHaveProperty('email');
  });

  it('answers 404 for a comment that is not published', async () => {
    const { report } = setUp();
    expect((await report('01JDQ7X6ZJ6Y8R3K2V9N4T5B1C', 1)).status).toBe(404);
  });

  it('limits a flood of reports from one address', async () => {
    const { comment, report } = setUp({
      rateLimits: { commentsPerMinute: 3, commentsPerHour: 100 },
      reports: { threshold: 100 },
    });
    const id = await comment('flood-a', '198.51.100.1');
    // Every report from one network, each from another visitor: the windows count the network.
    const answers = [];
    for (let n = 0; n < 4; n++) {
      answers.push(await report(id, 200 + n, { reason: 'spam' }, '203.0.113.9'));
    }
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429]);
    expect(answers[3]?.headers['retry-after']).toMatch(/^\d+$/);
  });
});
