/**
 * The transparency counts (domain/transparency.ts): what a decision counts, and the report a
 * range of months' counters make, with the median wait from notice to decision.
 */
import {
  bucketMinutes,
  decisionCounts,
  latencyBucket,
  transparencyReport,
} from '../../../lambda/domain/transparency';

const DECIDED = Date.parse('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(DECIDED - minutes * 60_000).toISOString();

describe('decisionCounts', () => {
  it('counts a human decision, a removal by its ground and means, and each notice with its wait', () => {
    expect(
      decisionCounts({
        ground: 'hate',
        automated: true,
        notices: [
          { reason: 'illegal', receivedAt: ago(0) },
          { reason: 'abuse', receivedAt: ago(100) },
        ],
        decidedAtMs: DECIDED,
      }),
    ).toEqual({
      'decisions:human': 1,
      'ground:hate': 1,
      'removals:automated': 1,
      'notice:illegal': 1,
      'notice:abuse': 1,
      'latency:0': 1,
      [`latency:${latencyBucket(100)}`]: 1,
    });
  });

  it('counts only the decision for an approval without reports', () => {
    expect(decisionCounts({ automated: false, notices: [], decidedAtMs: DECIDED })).toEqual({
      'decisions:human': 1,
    });
  });
});

describe('latency buckets', () => {
  it('put a wait in a bucket whose middle is within 12% of it', () => {
    for (const minutes of [1, 7, 60, 24 * 60, 7 * 24 * 60]) {
      const middle = bucketMinutes(latencyBucket(minutes));
      expect(Math.abs(middle + 1 - (minutes + 1)) / (minutes + 1)).toBeLessThan(0.12);
    }
  });
});

describe('transparencyReport', () => {
  it('sums the months, by reason and ground, and gives the median wait', () => {
    const report = transparencyReport(
      { from: '2026-11', to: '2026-12' },
      [
        {
          month: '2026-11',
          counts: {
            'decisions:human': 3,
            'ground:spam': 2,
            'removals:human': 2,
            'notice:spam': 2,
            [`latency:${latencyBucket(10)}`]: 2,
          },
        },
        {
          month: '2026-12',
          counts: {
            'decisions:human': 1,
            'ground:hate': 1,
            'ground:spam': 0,
            'removals:automated': 1,
            'notice:illegal': 1,
            [`latency:${latencyBucket(600)}`]: 1,
          },
        },
      ],
      { upheld: 4, overturned: 1 },
    );
    expect(report).toEqual({
      from: '2026-11',
      to: '2026-12',
      noticesByReason: { illegal: 1, spam: 2 },
      actionsByGround: { hate: 1, spam: 2 },
      decisions: {
        human: 4,
        removalsWithAutomatedMeans: 1,
        removalsByHumanMeansOnly: 2,
        screen: { upheld: 4, overturned: 1 },
      },
      medianMinutesFromNoticeToDecision: expect.any(Number),
    });
    expect(Math.abs((report.medianMinutesFromNoticeToDecision ?? 0) - 10) / 10).toBeLessThan(0.12);
  });

  it('gives no median without notices', () => {
    const report = transparencyReport({ from: '2026-12', to: '2026-12' }, [], {
      upheld: 0,
      overturned: 0,
    });
    expect(report.medianMinutesFromNoticeToDecision).toBeNull();
  });
});
