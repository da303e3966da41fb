/**
 * Commenter records as operators see and change them (docs/moderation.md, "Commenter records"):
 * the state a moderator set (normal, trusted, suspended until a time, banned), their note, who
 * set it and when, each earlier setting, and the commenter's comments across articles (counts by
 * status, first seen, the most recent). The create path's side, the gate, is domain/commenters.ts.
 */
import { type AdminComment, type CommentRecord, toAdminComment } from './comment';
import { type CommenterState, guestCommenterId } from './commenters';
import { CommenterNotFoundError } from './errors';
import type { KeyedHasher } from './keyed-hash';
import { normaliseEmail } from './moderation';

/** One setting of a record: the state, a suspension's end, and who set it when. */
export interface CommenterSetting {
  state: CommenterState;
  /** A suspension's end (ISO 8601); only with `suspended`. */
  until?: string;
  /** The operator (an IAM principal's ARN, or the local server's operator). */
  setBy: string;
  setAt: string;
}

/** A record as stored: its current setting, the note, and the settings before it. */
export interface StoredCommenter extends CommenterSetting {
  /** A moderator's note; the record's only personal data, removed by an erasure. */
  note?: string;
  /** Earlier settings, newest first, at most HISTORY_MAX (notes are not kept in them). */
  history: CommenterSetting[];
}

export interface CommenterActivity {
  counts: { published: number; pending: number; spam: number };
  /** When the first comment was written; null for none. */
  firstSeen: string | null;
  /** The most recent comments, newest first, across articles. */
  recent: CommentRecord[];
}

export interface CommenterStore {
  /** The record, read consistently; undefined when no moderator has set one. */
  record(commenterId: string): Promise<StoredCommenter | undefined>;
  /** The commenter's comments (index byCommenter): counts by status, first seen, the latest. */
  activity(commenterId: string, recent: number): Promise<CommenterActivity>;
  /**
   * Writes the record if it is still as read (`previousSetAt`, null for none): otherwise throws
   * CommenterChangedError (domain/errors.ts), and nothing is written.
   */
  save(commenterId: string, next: StoredCommenter, previousSetAt: string | null): Promise<void>;
  /** The commenterIds named by the comments of an email's hash (signed-in readers' subs too). */
  idsOfEmail(emailHash: string): Promise<string[]>;
  /** Removes the note of the record, if there is one (an erasure). */
  forgetNote(commenterId: string): Promise<void>;
}

export interface CommenterDeps {
  commenters: CommenterStore;
  hasher: KeyedHasher;
  clock: () => number;
}

/** A change as PUT /admin/commenters/{commenterId} takes it (validated: commenter-schemas.ts). */
export interface CommenterChange {
  state: CommenterState;
  until?: string;
  /** Absent keeps the note; null or empty clears it. */
  note?: string | null;
}

/** GET /admin/commenters/{commenterId} and the PUT's answer. */
export interface CommenterView {
  commenterId: string;
  state: CommenterState;
  until: string | null;
  note: string | null;
  setBy: string | null;
  setAt: string | null;
  history: { state: CommenterState; until: string | null; setBy: string; setAt: string }[];
  counts: CommenterActivity['counts'];
  firstSeen: string | null;
  comments: AdminComment[];
}

/** Earlier settings kept on a record. */
export const HISTORY_MAX = 20;
/** Recent comments shown on a record. */
export const RECENT_COMMENTS = 20;

function view(
  commenterId: string,
  record: StoredCommenter | undefined,
  activity: CommenterActivity,
): CommenterView {
  return {
    commenterId,
    state: record?.state ?? 'normal',
    until: record?.until ?? null,
    note: record?.note ?? null,
    setBy: record?.setBy ?? null,
    setAt: record?.setAt ?? null,
    history: (record?.history ?? []).map((setting) => ({
      state: setting.state,
      until: setting.until ?? null,
      setBy: setting.setBy,
      setAt: setting.setAt,
    })),
    counts: activity.counts,
    firstSeen: activity.firstSeen,
    comments: activity.recent.map((comment) => toAdminComment(comment)),
  };
}

const unknown = (record: StoredCommenter | undefined, activity: CommenterActivity) =>
  record === undefined && activity.firstSeen === null;

export async function commenterRecord(
  deps: Pick<CommenterDeps, 'commenters'>,
  commenterId: string,
): Promise<CommenterView> {
  const [record, activity] = await Promise.all([
    deps.commenters.record(commenterId),
    deps.commenters.activity(commenterId, RECENT_COMMENTS),
  ]);
  if (unknown(record, activity)) throw new CommenterNotFoundError();
  return view(commenterId, record, activity);
}

/**
 * Sets a commenter's state (and note) as `by`: the setting it replaces joins the history. An id
 * with neither a record nor a comment is refused, so a mistyped id makes no record.
 */
export async function changeCommenter(
  deps: CommenterDeps,
  commenterId: string,
  change: CommenterChange,
  by: string,
): Promise<CommenterView> {
  const [record, activity] = await Promise.all([
    deps.commenters.record(commenterId),
    deps.commenters.activity(commenterId, RECENT_COMMENTS),
  ]);
  if (unknown(record, activity)) throw new CommenterNotFoundError();
  const note = change.note === undefined ? record?.note : change.note || undefined;
  const previous: CommenterSetting[] = record
    ? [
        {
          state: record.state,
          ...(record.until === undefined ? {} : { until: record.until }),
          setBy: record.setBy,
          setAt: record.setAt,
        },
      ]
    : [];
  const next: StoredCommenter = {
    state: change.state,
    ...(change.state === 'suspended' && change.until !== undefined ? { until: change.until } : {}),
    ...(note === undefined ? {} : { note }),
    setBy: by,
    setAt: new Date(deps.clock()).toISOString(),
    history: [...previous, ...(record?.history ?? [])].slice(0, HISTORY_MAX),
  };
  await deps.commenters.save(commenterId, next, record?.setAt ?? null);
  return view(commenterId, next, activity);
}

/**
 * The commenterIds an email stands for: a guest's id from the address, and any signed-in
 * reader's id its comments name. For operators only (the CLI's `commenter <email>`).
 */
export async function commenterIdsOfEmail(
  deps: Pick<CommenterDeps, 'commenters' | 'hasher'>,
  email: string,
): Promise<string[]> {
  const emailHash = deps.hasher.hash('email', normaliseEmail(email));
  const named = await deps.commenters.idsOfEmail(emailHash);
  return [...new Set([guestCommenterId(deps.hasher, email), ...named])];
}

/** An erasure's part in the records: the notes of every id the email stands for. */
export async function forgetCommenterNotes(
  deps: Pick<CommenterDeps, 'commenters' | 'hasher'>,
  email: string,
): Promise<void> {
  for (const commenterId of await commenterIdsOfEmail(deps, email)) {
    await deps.commenters.forgetNote(commenterId);
  }
}

/** Whether a suspension's end is in the future at `nowMs`. */
export const isFuture = (until: string, nowMs: number) => Date.parse(until) > nowMs;
