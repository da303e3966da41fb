/**
 * What each area's handlers hand the domain, assembled once by the composition root
 * (runtime.ts) with the metrics wrappers applied, so no handler rebuilds or wraps its
 * dependencies. Tests build an area the same way, around a fake store.
 */
import type { AdminDeps } from './domain/admin';
import type { CommentDeps } from './domain/comments';
import type { ImportDeps, ImportStore } from './domain/imports';
import type { CountsStore, ModerationStore } from './domain/ports';
import type { ReactionDeps } from './domain/reactions';
import type { TallyStore } from './domain/tally';
import { countingCommentStore, countingReactionStore } from './http/metrics';

export interface Areas {
  comments: CommentDeps;
  reactions: ReactionDeps;
  counts: CountsStore;
  moderation: AdminDeps;
  tally: TallyStore;
  imports: ImportDeps;
}

/** The comments area: its store counts each comment it stores (CommentsPosted). */
export function commentArea({ store, ...shared }: CommentDeps): CommentDeps {
  return { ...shared, store: countingCommentStore(store) };
}

/** The reactions area: its store counts each vote change once committed (ReactionsWritten). */
export function reactionArea({ store, ...shared }: ReactionDeps): ReactionDeps {
  return { ...shared, store: countingReactionStore(store) };
}

/** The moderation area: operators' reads and changes, nothing counted. */
export function moderationArea(
  store: ModerationStore,
  shared: Omit<AdminDeps, 'store'>,
): AdminDeps {
  return { ...shared, store };
}

/** The imports area: operators' batch imports, nothing counted (the report counts them). */
export function importArea(store: ImportStore, shared: Omit<ImportDeps, 'store'>): ImportDeps {
  return { ...shared, store };
}
