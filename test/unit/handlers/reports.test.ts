import type { RateCharge } from '../../../lambda/domain/rate-limit';
import type {
  NewReport,
  ReportDeps,
  ReportedComment,
  ReportStore,
} from '../../../lambda/domain/reports';
import { createHandler } from '../../../lambda/handlers/post-report';
import { httpEvent } from '../../support/events';
import { fixedClock, hasher } from '../fakes';
import { answer, configuration, configurationWith, fieldsOf, PROBLEM_TYPE } from './support';

const COMMENT = '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C';
const PATH = `/comments/${COMMENT}/reports`;
const VISITOR = 'visitor-0123456789abcdef';
const pathParameters = { commentId: COMMENT };

class FakeReportStore implements ReportStore {
  readonly filed: { report: NewReport; rule: { threshold: number; hideAtOnce: boolean } }[] = [];
  comment: ReportedComment | undefined = {
    articleId: 'a1',
    createdAt: '2026-11-26T21:19:00.000Z',
    commentId: COMMENT,
    published: true,
    pinned: false,
  };
  reported = false;
  async read() {
    return { ...(this.comment ? { comment: this.comment } : {}), reported: this.reported };
  }
  async file(
    report: NewReport,
    _comment: ReportedComment,
    rule: { threshold: number; hideAtOnce: boolean },
    _charges: RateCharge[],
  ) {
    this.filed.push({ report, rule });
    return 'counted' as const;
  }
}

function handler(store: FakeReportStore, config = configuration) {
  const reports: ReportDeps = { ...config, store, hasher, clock: fixedClock };
  return createHandler({ ...config, areas: { reports, readers: {} } });
}
const post = (body: unknown) => httpEvent('POST', PATH, { pathParameters, body });

describe('POST /comments/{commentId}/reports', () => {
  it('answers 202 received, and files the report with its reason and explanation', async () => {
    const store = new FakeReportStore();
    const result = answer(
      await handler(store)(
        post({ visitorId: VISITOR, reason: 'abuse', explanation: ' Rude. Very. ' }),
      ),
    );
    expect(result.status).toBe(202);
    expect(result.body).toStrictEqual({ received: true });
    expect(store.filed).toEqual([
      {
        report: {
          commentId: COMMENT,
          reporterHash: hasher.hash('reporter', VISITOR),
          reason: 'abuse',
          explanation: 'Rude. Very.',
          receivedAt: new Date(fixedClock()).toISOString(),
        },
        rule: { threshold: 3, hideAtOnce: false },
      },
    ]);
  });

  it('answers the same 202 for a report already made, filing nothing', async () => {
    const store = new FakeReportStore();
    store.reported = true;
    const result = answer(await handler(store)(post({ visitorId: VISITOR, reason: 'spam' })));
    expect([result.status, result.body]).toEqual([202, { received: true }]);
    expect(store.filed).toEqual([]);
  });

  it('keeps a notifier’s email, and drops one given with any other reason', async () => {
    const store = new FakeReportStore();
    const notice = {
      visitorId: VISITOR,
      reason: 'illegal',
      explanation: 'Publishes a private address.',
      goodFaith: true,
      email: 'notifier@example.com',
    };
    await handler(store)(post(notice));
    await handler(store)(post({ ...notice, reason: 'other', goodFaith: undefined }));
    expect(store.filed.map((entry) => entry.report.email)).toEqual([
      'notifier@example.com',
      undefined,
    ]);
    expect(store.filed[0]?.report.goodFaith).toBe(true);
  });

  it('hides at once on a notice of illegal content where the deployment says so', async () => {
    const store = new FakeReportStore();
    const config = configurationWith({ reports: { threshold: 5, hideOnIllegal: true } });
    await handler(
      store,
      config,
    )(
      post({
        visitorId: VISITOR,
        reason: 'illegal',
        explanation: 'A threat of violence.',
        goodFaith: true,
      }),
    );
    expect(store.filed[0]?.rule).toEqual({ threshold: 5, hideAtOnce: true });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown reason', { visitorId: VISITOR, reason: 'boring' }, ['reason']],
    ['a bad visitor id', { visitorId: 'short', reason: 'spam' }, ['visitorId']],
    ['a bare notice', { visitorId: VISITOR, reason: 'illegal' }, ['explanation', 'goodFaith']],
    [
      'a notice of 2,001 characters, not in good faith',
      { visitorId: VISITOR, reason: 'illegal', explanation: 'x'.repeat(2001), goodFaith: false },
      ['explanation', 'goodFaith'],
    ],
    [
      'a notice with a bad email',
      {
        visitorId: VISITOR,
        reason: 'illegal',
        explanation: 'Long enough.',
        goodFaith: true,
        email: 'no',
      },
      ['email'],
    ],
  ])('answers 400 for %s, naming the fields, filing nothing', async (_label, body, fields) => {
    const store = new FakeReportStore();
    const result = answer(await handler(store)(post(body)));
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(fieldsOf(result.body).sort()).toEqual(fields);
    expect(store.filed).toEqual([]);
  });

  it('answers 404 for a comment that is not published', async () => {
    const store = new FakeReportStore();
    store.comment = undefined;
    const result = answer(await handler(store)(post({ visitorId: VISITOR, reason: 'spam' })));
    expect(result.status).toBe(404);
  });
});
