/**
 * The counts a transparency report needs (EU Digital Services Act, Art. 15 and 24;
 * docs/moderation.md "Transparency"), kept per month so that a period's report reads a few items
 * and never scans the table. A moderator's decision counts, in its own transaction (one write
 * request): itself (a human decision), a removal's ground and whether automated means took the
 * comment out of view first, and the comment's open reports (notices) by reason with the time
 * each waited for the decision. The decision keeps what it counted, and its undo takes it back.
 * The screen's own verdicts upheld or overturned by moderators are counted apart
 * (domain/screen-tuning.ts) and joined in the report.
 */
import type { ScreenTuning } from './screen-tuning';

/** Counter name → how much a decision adds (its undo subtracts the same). */
export type TransparencyCounts = Record<string, number>;

/**
 * Minutes from a notice to its decision are counted in buckets growing by a factor of 1.25:
 * bucket b holds waits from 1.25^b - 1 up to 1.25^(b+1) - 1 minutes, so a median read from them
 * is within about 12% of the true one. 60 buckets reach beyond 30 days.
 */
const GROWTH = 1.25;
const MAX_BUCKET = 60;

export function latencyBucket(minutes: number): number {
  const bucket = Math.floor(Math.log(Math.max(0, minutes) + 1) / Math.log(GROWTH));
  return Math.min(MAX_BUCKET, bucket);
}

/** A bucket's middle, in minutes (geometric, as the buckets grow). */
export function bucketMinutes(bucket: number): number {
  return Math.sqrt(GROWTH ** bucket * GROWTH ** (bucket + 1)) - 1;
}

/** What one moderator's decision counts. */
export function decisionCounts(decision: {
  /** The ground of a removal of published content; absent for any other decision. */
  ground?: string;
  /** Readers' reports or the screen took the comment out of view before the decision. */
  automated: boolean;
  /** The comment's open reports, decided with it. */
  notices: readonly { reason: string; receivedAt: string }[];
  decidedAtMs: number;
}): TransparencyCounts {
  const counts: TransparencyCounts = { 'decisions:human': 1 };
  const add = (name: string) => {
    counts[name] = (counts[name] ?? 0) + 1;
  };
  if (decision.ground !== undefined) {
    add(`ground:${decision.ground}`);
    add(decision.automated ? 'removals:automated' : 'removals:human');
  }
  for (const notice of decision.notices) {
    add(`notice:${notice.reason}`);
    const waited = (decision.decidedAtMs - Date.parse(notice.receivedAt)) / 60_000;
    add(`latency:${latencyBucket(waited)}`);
  }
  return counts;
}

/** One month's counters as stored. */
export interface TransparencyRow {
  month: string;
  counts: TransparencyCounts;
}

export interface TransparencyStore {
  /** The months from `fromMonth` to `toMonth` (both included, `YYYY-MM`) that have counts. */
  transparencyRows(fromMonth: string, toMonth: string): Promise<TransparencyRow[]>;
}

export interface TransparencyReport {
  from: string;
  to: string;
  /** Notices (readers' reports, notices of illegal content among them) decided, by reason. */
  noticesByReason: Record<string, number>;
  /** Removals of published content, by ground. */
  actionsByGround: Record<string, number>;
  decisions: {
    /** Every moderator's decision (all are a person's). */
    human: number;
    /** Removals where readers' reports or the screen took the comment out of view first. */
    removalsWithAutomatedMeans: number;
    removalsByHumanMeansOnly: number;
    /** The screen's verdicts moderators upheld or overturned (screen-tuning.ts). */
    screen: { upheld: number; overturned: number };
  };
  /** The median wait from a notice to its decision, in minutes (±12%); null without notices. */
  medianMinutesFromNoticeToDecision: number | null;
}

export function transparencyReport(
  range: { from: string; to: string },
  rows: readonly TransparencyRow[],
  screen: Pick<ScreenTuning, 'upheld' | 'overturned'>,
): TransparencyReport {
  const sum: TransparencyCounts = {};
  for (const row of rows) {
    for (const [name, n] of Object.entries(row.counts)) sum[name] = (sum[name] ?? 0) + n;
  }
  const prefixed = (prefix: string) =>
    Object.fromEntries(
      Object.entries(sum)
        .filter(([name, n]) => name.startsWith(prefix) && n > 0)
        .map(([name, n]) => [name.slice(prefix.length), n])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ) as Record<string, number>;
  return {
    from: range.from,
    to: range.to,
    noticesByReason: prefixed('notice:'),
    actionsByGround: prefixed('ground:'),
    decisions: {
      human: sum['decisions:human'] ?? 0,
      removalsWithAutomatedMeans: sum['removals:automated'] ?? 0,
      removalsByHumanMeansOnly: sum['removals:human'] ?? 0,
      screen: { upheld: screen.upheld, overturned: screen.overturned },
    },
    medianMinutesFromNoticeToDecision: median(prefixed('latency:')),
  };
}

/** The median of the waits counted in buckets (bucket → count), as its bucket's middle. */
function median(buckets: Record<string, number>): number | null {
  const sorted = Object.entries(buckets)
    .map(([bucket, n]) => [Number(bucket), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((all, [, n]) => all + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [bucket, n] of sorted) {
    seen += n;
    if (seen * 2 >= total) return Math.round(bucketMinutes(bucket) * 10) / 10;
  }
  return null;
}
