/**
 * Undoing a moderator's decision (docs/moderation.md, "Undo"). A status change from the
 * operators' API records on the comment what it changed: the status it came from, whether it
 * took a pin away, and whether it is what made the author known. A change back to that status
 * while the decision can still be undone restores exactly that; later it is a new decision.
 * Mail about a decision waits until the decision can no longer be undone.
 */
import type { CommentStatus } from './comment';

/** What one status change did, kept on the comment until it is undone or replaced. */
export interface Decision {
  from: CommentStatus;
  to: CommentStatus;
  /** When it was made (ISO 8601). */
  at: string;
  /** The comment was pinned and the change unpinned it. */
  unpinned: boolean;
  /** The author was not yet known for good, and this approval counts among their grants. */
  grantedAuthor: boolean;
  /** It was a first decision on the screen's verdict, counted for tuning (domain/screen-tuning.ts). */
  tuned?: true;
}

/**
 * Time for an undo pressed at the console's last moment to reach the API: the console counts its
 * window from the answer, the API from the write.
 */
export const UNDO_TRAVEL_SECONDS = 5;

/** Seconds after a decision during which the API still takes its undo. */
export const undoDeadlineSeconds = (undoSeconds: number): number =>
  undoSeconds + UNDO_TRAVEL_SECONDS;

/**
 * Seconds mail about a decision waits before it leaves: past the undo deadline, so a decision
 * that is undone has had its undo written by then, and the sender, reading the comment again,
 * sends nothing.
 */
export const decisionMailDelaySeconds = (undoSeconds: number): number =>
  undoDeadlineSeconds(undoSeconds) + 1;

/** Whether changing the comment to `status` now undoes its recorded decision. */
export function undoes(
  decision: Decision | undefined,
  current: CommentStatus,
  status: CommentStatus,
  nowMs: number,
  undoSeconds: number,
): decision is Decision {
  return (
    decision !== undefined &&
    decision.to === current &&
    decision.from === status &&
    nowMs <= Date.parse(decision.at) + undoDeadlineSeconds(undoSeconds) * 1000
  );
}
