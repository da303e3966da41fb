/**
 * What moderators' decisions say of the screen (docs/screening.md, "Tuning"): each time a human
 * first decides a comment the screen held or made spam, every reason the screen gave is counted,
 * by month, as overturned (the human published it) or upheld (the human made it spam). A
 * deployment reads which house rules, email-domain rules, content labels and hook verdicts
 * moderators keep overturning, and the transparency report counts automated decisions reversed.
 *
 * The counts are written in the decision's own transaction (one write request), and an undo of
 * the decision takes them back in its own.
 */
import type { CommentStatus } from './comment';

export type VerdictOutcome = 'overturned' | 'upheld';

export interface TuningCount {
  /** A screen's reason as the comment carries it: `rule:<id>`, `screen:<label>`, `hook`... */
  reason: string;
  outcome: VerdictOutcome;
}

/** Reasons per decision that are counted: a transaction has room for the comment's other items. */
export const MAX_COUNTED_REASONS = 10;

/** A screen's verdict, not readers' reports nor a fault (`screen:unavailable` is no verdict). */
const isScreenReason = (reason: string): boolean =>
  reason !== 'screen:unavailable' &&
  (reason === 'hook' ||
    reason.startsWith('rule:') ||
    reason.startsWith('email-domain:') ||
    reason.startsWith('screen:'));

/**
 * The counts a moderator's decision makes: none unless the comment is still as the screen left it
 * (held, or spam, with its reasons, and no human decision recorded since) and the human publishes
 * it (overturned) or makes a held one spam (upheld). Putting a spam comment back in the queue
 * decides nothing yet.
 */
export function verdictOutcomes(
  comment: { status: CommentStatus; holdReasons?: readonly string[] },
  to: CommentStatus,
  decidedBefore: boolean,
): TuningCount[] {
  if (decidedBefore || comment.status === 'published' || comment.status === to) return [];
  const outcome: VerdictOutcome | undefined =
    to === 'published' ? 'overturned' : comment.status === 'pending' ? 'upheld' : undefined;
  if (outcome === undefined) return [];
  return (comment.holdReasons ?? [])
    .filter(isScreenReason)
    .slice(0, MAX_COUNTED_REASONS)
    .map((reason) => ({ reason, outcome }));
}

/** One month's counts of one reason. */
export interface TuningRow {
  /** `2026-12` */
  month: string;
  reason: string;
  overturned: number;
  upheld: number;
}

export interface TuningStore {
  /** The rows of the months from `fromMonth` to `toMonth`, both included (`YYYY-MM`). */
  tuningRows(fromMonth: string, toMonth: string): Promise<TuningRow[]>;
}

export interface ScreenTuning {
  from: string;
  to: string;
  /** By reason, most overturned first: how often moderators overturned and upheld it. */
  reasons: { reason: string; overturned: number; upheld: number; overturnedShare: number }[];
  /** By kind of reason (`rule`, `email-domain`, `screen`, `hook`). */
  kinds: Record<string, { overturned: number; upheld: number }>;
  overturned: number;
  upheld: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The counts of the months from `from` to `to` (`YYYY-MM`, both included), summed. */
export async function screenTuning(
  store: TuningStore,
  range: { from: string; to: string },
): Promise<ScreenTuning> {
  if (!MONTH.test(range.from) || !MONTH.test(range.to) || range.from > range.to) {
    throw new RangeError('screen tuning: from and to are months (YYYY-MM), from not after to');
  }
  const byReason = new Map<string, { overturned: number; upheld: number }>();
  for (const row of await store.tuningRows(range.from, range.to)) {
    const sum = byReason.get(row.reason) ?? { overturned: 0, upheld: 0 };
    sum.overturned += row.overturned;
    sum.upheld += row.upheld;
    byReason.set(row.reason, sum);
  }
  const reasons = [...byReason.entries()]
    .map(([reason, sum]) => ({
      reason,
      ...sum,
      overturnedShare:
        sum.overturned + sum.upheld === 0 ? 0 : sum.overturned / (sum.overturned + sum.upheld),
    }))
    .sort((a, b) => b.overturned - a.overturned || a.reason.localeCompare(b.reason));
  const kinds: ScreenTuning['kinds'] = {};
  for (const row of reasons) {
    const kind = row.reason.split(':')[0] ?? row.reason;
    const sum = kinds[kind] ?? { overturned: 0, upheld: 0 };
    sum.overturned += row.overturned;
    sum.upheld += row.upheld;
    kinds[kind] = sum;
  }
  return {
    from: range.from,
    to: range.to,
    reasons,
    kinds,
    overturned: reasons.reduce((total, row) => total + row.overturned, 0),
    upheld: reasons.reduce((total, row) => total + row.upheld, 0),
  };
}

/** The month a decision made at `at` (ISO 8601) counts in. */
export const monthOf = (at: string): string => at.slice(0, 7);
