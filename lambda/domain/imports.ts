/**
 * Bringing comments over from another system (WordPress, Disqus, a Talkback export): what an
 * imported comment must satisfy, the deterministic id that makes a rerun a no-op, and the batch
 * write through the import store. The operators' route POST /admin/imports runs this.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { CommentRecord, CommentStatus } from './comment';
import { ulid, ulidTime } from './ids';
import type { KeyedHasher } from './keyed-hash';
import { normaliseEmail } from './moderation';
import { BADGE } from './reader-settings';
import type { Schemas } from './validation';
import { articleIdSchema, commentIdSchema } from './validation';

/**
 * The most comments one request may carry: a few transactions' worth, well inside a function's
 * 10 s and the 1 MiB the route reads.
 */
export const IMPORT_BATCH_MAX = 250;

/** The import route reads bodies up to this size (API Gateway allows 10 MB, Lambda 6 MB). */
export const IMPORT_BODY_MAX_BYTES = 1024 * 1024;

/**
 * The Talkback id of a comment brought from elsewhere: a ULID whose time is the comment's date
 * (so its key can be found from its id, as for every comment) and whose random part is a hash of
 * where it came from. The same source comment always gets the same id, so importing a file again
 * writes nothing new.
 */
export function importedCommentId(sourceKey: string, createdAtMs: number): string {
  const random = createHash('sha256').update(sourceKey).digest().subarray(0, 10);
  return ulid(createdAtMs, random);
}

const BADGES_MESSAGE = 'must be a list of up to 20 badge names of a-z 0-9 -';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isoTime = v.pipe(
  v.string('must be an ISO 8601 UTC time'),
  v.check(
    (time) => ISO_TIME.test(time) && new Date(Date.parse(time)).toISOString() === time,
    'must be an ISO 8601 UTC time such as 2026-11-26T21:19:00.000Z',
  ),
);

/**
 * One imported comment, checked by Talkback's own rules for a new comment (name, email, website,
 * body), plus what an import carries that a new comment does not: its id, status and dates. The
 * email may be absent (an erased author, or a source that had none).
 */
export function buildImportSchemas(schemas: Schemas, reactionKeys: readonly string[]) {
  const { name, email, website, body } = schemas.newComment.entries;
  const comment = v.pipe(
    v.object({
      id: commentIdSchema,
      articleId: articleIdSchema,
      parentId: v.pipe(
        v.nullish(v.string('must be a comment id'), null),
        v.check((id) => id === null || v.is(commentIdSchema, id), 'must be a comment id'),
      ),
      name,
      email: v.nullable(email),
      website,
      body,
      status: v.picklist(['published', 'pending', 'spam'], 'must be published, pending or spam'),
      createdAt: isoTime,
      editedAt: v.nullish(isoTime, null),
      // The sender saw an earlier batch import a published comment with this email, so the
      // author's record is there: leave it out of this comment's transaction. It can only spare
      // a write, never make an author known.
      authorRecorded: v.optional(v.boolean('must be true or false'), false),
      // A comment by the newsroom, as a Talkback export carries it.
      staff: v.optional(v.boolean('must be true or false'), false),
      // A reply whose parent its author deleted, as a Talkback export carries it: kept with its
      // parentId, without looking for the parent.
      parentGone: v.optional(v.boolean('must be true or false'), false),
      // A signed-in reader's comment, as a Talkback export carries it (docs/readers.md).
      verified: v.optional(v.boolean('must be true or false'), false),
      badges: v.optional(
        v.pipe(
          v.array(v.pipe(v.string(BADGES_MESSAGE), v.regex(BADGE, BADGES_MESSAGE)), BADGES_MESSAGE),
          v.maxLength(20, BADGES_MESSAGE),
        ),
        [],
      ),
      // The author's id at the site: a signed-in reader's sub, or the single sign-on id another
      // system knew them by (Coral), so that the reader owns the comment once signed in.
      commenterId: v.optional(
        v.pipe(
          v.string('must be text of 1 to 128 characters'),
          v.minLength(1, 'must be text of 1 to 128 characters'),
          v.maxLength(128, 'must be text of 1 to 128 characters'),
        ),
      ),
    }),
    v.forward(
      v.check(
        (input) => ulidTime(input.id) === Date.parse(input.createdAt),
        'must carry the time of createdAt',
      ),
      ['id'],
    ),
  );
  const count = v.pipe(
    v.number('must be a whole number'),
    v.integer('must be a whole number'),
    v.minValue(0, 'must not be negative'),
  );
  const reactions = v.object({
    articleId: articleIdSchema,
    counts: v.record(
      v.picklist(reactionKeys, `must be one of: ${reactionKeys.join(', ')}`),
      count,
      'must map reaction keys to counts',
    ),
  });
  const batch = v.pipe(
    v.object({
      comments: v.pipe(
        v.optional(v.array(comment, 'must be a list of comments'), []),
        v.maxLength(IMPORT_BATCH_MAX, `must list at most ${IMPORT_BATCH_MAX} comments`),
      ),
      reactions: v.pipe(
        v.optional(v.array(reactions, 'must be a list of reaction counts'), []),
        v.maxLength(IMPORT_BATCH_MAX, `must list at most ${IMPORT_BATCH_MAX} articles`),
      ),
    }),
    v.forward(
      v.check(
        (input) => input.comments.length + input.reactions.length > 0,
        'must list at least one comment or reaction count',
      ),
      ['comments'],
    ),
  );
  return { comment, batch };
}

export type ImportSchemas = ReturnType<typeof buildImportSchemas>;
export type ImportComment = v.InferOutput<ImportSchemas['comment']>;

/** What became of each comment of a batch. */
export interface ImportResult {
  /** Written now. */
  imported: string[];
  /** Already there from an earlier run: left exactly as it was. */
  existing: string[];
  /** A reply whose parent is neither in the batch nor in the table: not written. */
  parentMissing: string[];
  /** Articles whose reaction counts were added now. */
  reactionsImported: string[];
  /** Articles whose reaction counts an earlier import already added: left as they are. */
  reactionsExisting: string[];
}

export interface ImportedReactions {
  articleId: string;
  counts: Record<string, number>;
}

export interface ImportStore {
  /**
   * Writes each comment that is not already there, each on the condition that its key is free,
   * with the count items, author items and indexes the service keeps for a new comment.
   */
  importComments(
    records: CommentRecord[],
    /** Email hashes whose author record an earlier batch wrote: not written again. */
    recordedAuthors?: ReadonlySet<string>,
    /** Replies whose parent was deleted: written without looking for the parent. */
    parentGone?: ReadonlySet<string>,
  ): Promise<Pick<ImportResult, 'imported' | 'existing' | 'parentMissing'>>;
  /**
   * Adds an article's imported reaction counts once: true when added now, false when an earlier
   * import of that article's counts is already there.
   */
  importReactions(reactions: ImportedReactions): Promise<boolean>;
}

export interface ImportDeps {
  store: ImportStore;
  hasher: KeyedHasher;
}

export function toImportedRecord(comment: ImportComment, hasher: KeyedHasher): CommentRecord {
  return {
    commentId: comment.id,
    articleId: comment.articleId,
    parentId: comment.parentId,
    authorName: comment.name,
    authorWebsite: comment.website,
    email: comment.email,
    emailHash: comment.email === null ? null : hasher.hash('email', normaliseEmail(comment.email)),
    // An imported comment has no edit token: its author cannot edit it through the widget.
    editTokenHash: null,
    body: comment.body,
    status: comment.status as CommentStatus,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    // A pin is set again through the operators' pin route, once the comment is in.
    staff: comment.staff,
    pinned: false,
    ...(comment.verified ? { verified: true as const } : {}),
    ...(comment.badges.length > 0 ? { badges: comment.badges } : {}),
    ...(comment.commenterId === undefined ? {} : { commenterId: comment.commenterId }),
    imported: true,
  };
}

/**
 * The comments with every parent before its replies (a stable order otherwise), so a reply whose
 * parent turns out to be missing can take its own replies with it.
 */
export function parentsFirst<T extends { id: string; parentId: string | null }>(
  comments: readonly T[],
): T[] {
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const placed = new Set<string>();
  const ordered: T[] = [];
  const place = (comment: T, seen: Set<string>) => {
    if (placed.has(comment.id) || seen.has(comment.id)) return;
    seen.add(comment.id);
    const parent = comment.parentId === null ? undefined : byId.get(comment.parentId);
    if (parent) place(parent, seen);
    placed.add(comment.id);
    ordered.push(comment);
  };
  for (const comment of comments) place(comment, new Set());
  return ordered;
}

/** Imports a validated batch; the same batch again changes nothing. */
export async function importBatch(
  deps: ImportDeps,
  batch: { comments: readonly ImportComment[]; reactions: readonly ImportedReactions[] },
): Promise<ImportResult> {
  // The same id twice in one batch is one comment (a transaction may not touch an item twice).
  const unique = [...new Map(batch.comments.map((comment) => [comment.id, comment])).values()];
  const ordered = parentsFirst(unique);
  const records = ordered.map((comment) => toImportedRecord(comment, deps.hasher));
  const recorded = new Set(
    records.flatMap((record, index) =>
      record.emailHash !== null && ordered[index]?.authorRecorded ? [record.emailHash] : [],
    ),
  );
  const parentGone = new Set(
    ordered.flatMap((comment) => (comment.parentGone && comment.parentId ? [comment.id] : [])),
  );
  const written = await deps.store.importComments(records, recorded, parentGone);
  const result: ImportResult = { ...written, reactionsImported: [], reactionsExisting: [] };
  for (const reactions of batch.reactions) {
    const added = await deps.store.importReactions(reactions);
    (added ? result.reactionsImported : result.reactionsExisting).push(reactions.articleId);
  }
  return result;
}
