/**
 * Who wrote a comment, as moderators remember them (docs/moderation.md, "Commenter records"): a
 * stable `commenterId` (a signed-in reader's `sub`, else an opaque id per email) and the state a
 * moderator set for it. The create path's gate (step 3 of the agreed order) reads the state in
 * one item read: a banned commenter is refused, a suspended one until `until`, and a trusted
 * one's comments skip the `first-time` and `links` holds (not the screen, not reports).
 */
import type { KeyedHasher } from './keyed-hash';
import { normaliseEmail } from './moderation';

export const COMMENTER_STATES = ['normal', 'trusted', 'suspended', 'banned'] as const;
export type CommenterState = (typeof COMMENTER_STATES)[number];

/** What the gate reads of a commenter's record: no note, no name of who set it. */
export interface CommenterGate {
  state: CommenterState;
  /** A suspension's end (ISO 8601); only with `suspended`. */
  until?: string;
}

/**
 * A guest's commenterId: a keyed hash of the normalised email under a purpose of its own, so it
 * is neither the email nor the stored email hash that erasure and subscriptions are keyed by.
 */
export function guestCommenterId(hasher: KeyedHasher, email: string): string {
  return hasher.hash('commenter', normaliseEmail(email));
}

/** A banned commenter's comment; the answer names no rule and no state. */
export class CommenterRefusedError extends Error {
  override name = 'CommenterRefusedError';
  constructor() {
    super('this commenter may not comment');
  }
}

/** A suspended commenter's comment, refused until the suspension ends. */
export class CommenterSuspendedError extends CommenterRefusedError {
  override name = 'CommenterSuspendedError';
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

/**
 * The gate's answer for a commenter's record at `nowMs`: throws for a banned commenter or one
 * suspended until later; otherwise whether the commenter is trusted. No record is `normal`, and
 * a suspension that has ended is too.
 */
export function gateCommenter(record: CommenterGate | undefined, nowMs: number): boolean {
  switch (record?.state) {
    case 'banned':
      throw new CommenterRefusedError();
    case 'suspended': {
      const untilMs = record.until === undefined ? Number.NaN : Date.parse(record.until);
      // A suspension without a readable end holds until a moderator lifts it: refuse for a day.
      if (Number.isNaN(untilMs)) throw new CommenterSuspendedError(86_400);
      if (untilMs > nowMs) throw new CommenterSuspendedError(Math.ceil((untilMs - nowMs) / 1000));
      return false;
    }
    case 'trusted':
      return true;
    default:
      return false;
  }
}
