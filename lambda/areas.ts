/**
 * What each area's handlers hand the domain, with the metrics wrappers applied, so no handler
 * rebuilds or wraps its dependencies. Each area has its own builder: a handler names the
 * builders of the areas it uses (runtime.ts, loadHandlerDeps), so its bundle holds only those
 * repositories and the others are left out of its cold start. Tests build an area the same
 * way, around a fake store.
 */
import type { AdminDeps } from './domain/admin';
import type { CommentDeps } from './domain/comments';
import type { ImportDeps, ImportStore } from './domain/imports';
import type { CountsStore, ModerationStore } from './domain/ports';
import type { ReactionDeps } from './domain/reactions';
import type { Screening } from './domain/screen';
import type { TallyStore } from './domain/tally';
import { countingCommentStore, countingReactionStore } from './http/metrics';
import type { Foundation } from './runtime';
import { CommentRepository } from './store/comment-repository';
import { ImportRepository } from './store/import-repository';
import { ModerationRepository } from './store/moderation-repository';
import { ReactionRepository } from './store/reaction-repository';

export interface Areas {
  comments: CommentDeps;
  reactions: ReactionDeps;
  counts: CountsStore;
  moderation: AdminDeps;
  tally: TallyStore;
  imports: ImportDeps;
  /** Only the create and edit functions screen (screen/screening-from.ts builds it). */
  screening: Screening;
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

export const commentRepository = (base: Foundation) =>
  new CommentRepository(base.client, base.tableName, base.clock);
export const reactionRepository = (base: Foundation) =>
  new ReactionRepository(base.client, base.tableName, base.settings, base.clock);
export const moderationRepository = (base: Foundation) =>
  new ModerationRepository(base.client, base.tableName, base.clock);

/*
 * One builder per area. The store is a parameter so that a runtime building every area
 * (runtime.ts, loadRuntime) can share one repository between the areas it serves.
 */

export const commentsFrom = (base: Foundation, store = commentRepository(base)): CommentDeps =>
  commentArea({
    store,
    hasher: base.hasher,
    settings: base.settings,
    clock: base.clock,
    newId: base.newId,
  });

export const reactionsFrom = (base: Foundation, store = reactionRepository(base)): ReactionDeps =>
  reactionArea({ store, hasher: base.hasher, settings: base.settings, clock: base.clock });

export const countsFrom = (base: Foundation, store = reactionRepository(base)): CountsStore =>
  store;

export const tallyFrom = (base: Foundation, store = reactionRepository(base)): TallyStore => store;

export const moderationFrom = (base: Foundation, store = moderationRepository(base)): AdminDeps =>
  moderationArea(store, { hasher: base.hasher });

export const importsFrom = (base: Foundation): ImportDeps =>
  importArea(new ImportRepository(base.client, base.tableName, base.clock), {
    hasher: base.hasher,
  });
