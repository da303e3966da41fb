/**
 * Readers' reports, and notices of illegal content under the EU's Digital Services Act, Art. 16
 * (docs/moderation.md, "Reports"). One report counts per visitor, or per `sub` for a signed-in
 * reader, per comment; the answer is the same whether it was new or not, so nobody learns who
 * else reported. When a comment's counted reports reach the deployment's threshold (or at once
 * for a notice of illegal content, where the deployment says so) it leaves the public lists and
 * counts and waits in the queue, pending with the reason `reported`, until a moderator decides;
 * the decision clears its count.
 *
 * A report item keeps what the mail parts to come need: the notifier's email (for a notice of
 * illegal content only; read by operators' and mail functions, never by a public one), when it
 * was received, and, once decided, when and how (statements of reasons, DSA Art. 17; the
 * transparency counts, Art. 15).
 */
import type { CommentStatus } from './comment';
import { CommentNotFoundError } from './errors';
import type { Clock } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { type RateCharge, rateCharges } from './rate-limit';
import type { Reader } from './readers';
import type { ReportReason, ReportSummary } from './report-reasons';
import type { Settings } from './settings';
import { voterOf } from './voters';

/** What a report reads of its comment: where it is, whether it is public, whether pinned. */
export interface ReportedComment {
  articleId: string;
  createdAt: string;
  commentId: string;
  published: boolean;
  pinned: boolean;
}

export interface NewReport {
  commentId: string;
  /** Keyed hash of the reporter's visitor id or `sub`: one counted report each. */
  reporterHash: string;
  reason: ReportReason;
  explanation?: string;
  /** A notifier's address, for a notice of illegal content only. */
  email?: string;
  goodFaith?: true;
  receivedAt: string;
}

export interface ReportStore {
  /** The comment's signals and whether this reporter reported it already: one read. */
  read(
    commentId: string,
    reporterHash: string,
  ): Promise<{ comment?: ReportedComment; reported: boolean }>;
  /**
   * Stores the report and counts it on the comment, charging the rate windows, in one
   * transaction; the report that reaches `threshold` (or any, with `hideAtOnce`) also takes the
   * comment out of the public lists. 'duplicate' when this reporter had reported it already.
   */
  file(
    report: NewReport,
    comment: ReportedComment,
    rule: { threshold: number; hideAtOnce: boolean },
    charges: RateCharge[],
  ): Promise<'counted' | 'hidden' | 'duplicate'>;
}

export interface ReportDeps {
  store: ReportStore;
  hasher: KeyedHasher;
  settings: Settings;
  clock: Clock;
  verifyReader?: (token: string) => Promise<Reader>;
}

export interface ReportRequest {
  commentId: string;
  visitorId: string;
  reader?: string;
  reason: ReportReason;
  explanation?: string;
  email?: unknown;
  goodFaith?: boolean;
  sourceIp: string;
}

/** A reporter is not a voter: their own hash, so a report and a like never share an id. */
const reporterHash = (hasher: KeyedHasher, visitorId: string) => hasher.hash('reporter', visitorId);

export async function reportComment(
  deps: ReportDeps,
  request: ReportRequest,
): Promise<{ received: true; outcome: 'counted' | 'hidden' | 'duplicate' }> {
  const reporter = await voterOf(deps, request, (visitorId) =>
    reporterHash(deps.hasher, visitorId),
  );
  const { comment, reported } = await deps.store.read(request.commentId, reporter.hash);
  if (!comment?.published) throw new CommentNotFoundError();
  // A report is never taken back, so a read that finds it is right however stale.
  if (reported) return { received: true, outcome: 'duplicate' };
  const now = deps.clock();
  const illegal = request.reason === 'illegal';
  const report: NewReport = {
    commentId: request.commentId,
    reporterHash: reporter.hash,
    reason: request.reason,
    ...(request.explanation ? { explanation: request.explanation } : {}),
    ...(illegal && typeof request.email === 'string' ? { email: request.email } : {}),
    ...(illegal ? { goodFaith: true as const } : {}),
    receivedAt: new Date(now).toISOString(),
  };
  const { threshold, hideOnIllegal } = deps.settings.reports;
  const outcome = await deps.store.file(
    report,
    comment,
    { threshold, hideAtOnce: illegal && hideOnIllegal },
    rateCharges(deps.settings.rateLimits, 'report', reporter.client, now),
  );
  return { received: true, outcome };
}

/** The operators' side: a comment's open reports, and recording a decision on them. */
/** What a moderator decided on a reported comment, as its reports record it. */
export type ReportDecision = CommentStatus | 'removed';

export interface ReportDecisions {
  openReports(commentId: string): Promise<StoredReport[]>;
  /**
   * Marks every open report of the comment decided, with the decision (the status it was given,
   * or `removed` when it was deleted) and its time.
   */
  decide(commentId: string, decision: ReportDecision, at: string): Promise<void>;
}

export interface StoredReport {
  reason: ReportReason;
  explanation?: string;
  email?: string;
  receivedAt: string;
}

export function summarise(reports: readonly StoredReport[]): ReportSummary {
  const reasons: Partial<Record<ReportReason, number>> = {};
  const explanations: ReportSummary['explanations'] = [];
  for (const report of reports) {
    reasons[report.reason] = (reasons[report.reason] ?? 0) + 1;
    if (report.explanation !== undefined) {
      explanations.push({
        reason: report.reason,
        explanation: report.explanation,
        receivedAt: report.receivedAt,
        ...(report.email ? { email: report.email } : {}),
      });
    }
  }
  explanations.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return { count: reports.length, reasons, explanations };
}
