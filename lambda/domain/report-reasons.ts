/**
 * What a reader may report a comment for (contract v1.2, "Reports"), and what operators see of a
 * comment's reports. No imports: the console and the CLI read these types too (web/shared).
 */
export const REPORT_REASONS = [
  'spam',
  'abuse',
  'off-topic',
  'personal-information',
  'illegal',
  'other',
] as const;

export type ReportReason = (typeof REPORT_REASONS)[number];

/** What operators see of a comment's open reports on AdminComment (`reports`). */
export interface ReportSummary {
  /** Counted reports not yet decided. */
  count: number;
  /** How many of them give each reason. */
  reasons: Partial<Record<ReportReason, number>>;
  /** Each explanation given, with its reason and time; a notifier's email where one was given. */
  explanations: { reason: ReportReason; explanation: string; receivedAt: string; email?: string }[];
}
