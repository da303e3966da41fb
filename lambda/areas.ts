/**
 * What each area's handlers hand the domain, built from the foundation the composition root
 * (runtime.ts) reads once per cold start, with the metrics wrappers applied, so no handler
 * rebuilds or wraps its dependencies. Each area has its own builder: a handler names the
 * builders of the areas it uses (runtime.ts, loadHandlerDeps), so its bundle holds only those
 * repositories and clients and the others are left out of its cold start. Tests build an area
 * the same way, around a fake store.
 *
 * The builders of the areas behind and for mail are in lambda/mail/mail-areas.ts and
 * sender-area.ts, the webhook functions' in lambda/webhooks/webhook-areas.ts: their modules do
 * work at import (a settings schema, a MIME library, attribute lists), which esbuild cannot leave
 * out of a bundle that imports them, used or not.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Waits } from './before-request';
import type { AdminDeps } from './domain/admin';
import type { CommentDeps } from './domain/comments';
import type { FeatureDeps } from './domain/featured';
import type { Clock, IdGenerator } from './domain/ids';
import type { ImportDeps, ImportStore } from './domain/imports';
import type { KeyedHasher } from './domain/keyed-hash';
import type { LikeDeps } from './domain/likes';
import type { MailSender } from './domain/mail';
import type { ModerationLinkDeps } from './domain/notification-links';
import type { MailQueue, NotificationDeps } from './domain/notifications';
import type { CountsStore, ModerationStore } from './domain/ports';
import type { ReactionDeps } from './domain/reactions';
import type { ReportDeps } from './domain/reports';
import type { Screening } from './domain/screen';
import type { RulesDeps } from './domain/screen-rules';
import type { TuningStore } from './domain/screen-tuning';
import type { Settings } from './domain/settings';
import type { SignalsStore } from './domain/signals';
import type { TallyStore } from './domain/tally';
import type { TransparencyStore } from './domain/transparency';
import type { Schemas } from './domain/validation';
import type { DeliveryQueue, HookDispatchDeps, HookSendDeps } from './domain/webhooks';
import { required, TABLE_NAME_ENV } from './env';
import { countingCommentStore, countingReactionStore } from './http/metrics';
import type { ReaderArea } from './readers/reader-verifier-from';
import type { OriginVerify } from './secrets/origin-verify-from-env';
import { createDocumentClient } from './store/client';
import { CommentRepository } from './store/comment-repository';
import { CommentSignalsRepository } from './store/comment-signals';
import { CommenterRepository } from './store/commenter-repository';
import { FeatureRepository } from './store/feature-repository';
import { ImportRepository } from './store/import-repository';
import { LikeRepository } from './store/like-repository';
import { ModerationRepository } from './store/moderation-repository';
import { ReactionRepository } from './store/reaction-repository';
import { ReportDecisionRepository } from './store/report-decisions';
import { ReportRepository } from './store/report-repository';
import { ScreenTuningRepository } from './store/screen-tuning';
import { TransparencyRepository } from './store/transparency-repository';
import type { RetryLater } from './webhooks/sender';

/** The deployment's settings and the request schemas built from them. */
export interface Configuration {
  settings: Settings;
  schemas: Schemas;
}

/**
 * What every area is built from: the configuration, the secrets, what the domain shares, and
 * what each request waits for first (`beforeRequest`: the secrets' first fetch).
 */
export interface Foundation extends Configuration, Waits {
  /** Read only by the builders below, once, at the cold start. */
  env: NodeJS.ProcessEnv;
  /** The keyring: each purpose hashed under its own key (domain/keyring.ts). */
  hasher: KeyedHasher;
  clock: Clock;
  newId: IdGenerator;
  /** What CloudFront proves itself with to the write functions (http/request.ts clientAddress). */
  originVerify?: OriginVerify;
  /** A client to use instead of opening one: benchmarks meter every DynamoDB call with it. */
  client?: DynamoDBDocumentClient;
}

/** The subscriber items behind the mail's links: conditional updates only, no reads. */
export type SubscriptionDeps = Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>;

export interface Areas {
  comments: CommentDeps;
  reactions: ReactionDeps;
  counts: CountsStore;
  moderation: AdminDeps;
  tally: TallyStore;
  /** Likes on comments (domain/likes.ts). */
  likes: LikeDeps;
  /** The tally's: comments' signals items and likes (domain/signals.ts). */
  signals: SignalsStore;
  /** Readers' reports (domain/reports.ts). */
  reports: ReportDeps;
  /** Operators: featured comments (domain/featured.ts), found through the moderation area. */
  featured: Omit<FeatureDeps, 'find'>;
  imports: ImportDeps;
  /** Operators: the transparency report's counters and the screen's tuning counts. */
  transparency: { store: TransparencyStore; tuning: TuningStore };
  /** Only the create and edit functions screen (screen/screening-from.ts builds it). */
  screening: Screening;
  /** The operators' house-rules routes (screen/house-rules-routes.ts houseRulesFrom builds it). */
  houseRules: RulesDeps;
  /** Only the functions that take a `reader` verify one (readers/reader-verifier-from.ts). */
  readers: ReaderArea;
  subscriptions: SubscriptionDeps;
  moderationLinks: ModerationLinkDeps;
  /** The mail functions': the only ones besides the operators' that read an email. */
  notifications: NotificationDeps;
  mailQueue: MailQueue;
  mailSender: MailSender;
  /** The webhook functions' (lambda/webhooks/webhook-areas.ts builds them). */
  hookDispatch: HookDispatchDeps;
  hookSend: HookSendDeps;
  hookQueue: DeliveryQueue;
  hookRetry: RetryLater;
}

export interface Table {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const tables = new WeakMap<Foundation, Table>();

/**
 * The table, opened on the first area that uses it and shared by the foundation's other areas:
 * a function that uses none (the unsubscribe page) neither needs TABLE_NAME nor loads a client.
 */
export function tableOf(base: Foundation): Table {
  let table = tables.get(base);
  if (table === undefined) {
    table = {
      client: base.client ?? createDocumentClient(base.env),
      tableName: required(base.env, TABLE_NAME_ENV),
    };
    tables.set(base, table);
  }
  return table;
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

export const commentRepository = (base: Foundation) => {
  const { client, tableName } = tableOf(base);
  return new CommentRepository(client, tableName, base.clock);
};
export const reactionRepository = (base: Foundation) => {
  const { client, tableName } = tableOf(base);
  return new ReactionRepository(client, tableName, base.settings, base.clock);
};
export const commenterRepository = (base: Foundation) => {
  const { client, tableName } = tableOf(base);
  return new CommenterRepository(client, tableName);
};
export const moderationRepository = (base: Foundation) => {
  const { client, tableName } = tableOf(base);
  return new ModerationRepository(client, tableName, base.clock);
};

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

export const likesFrom = (base: Foundation): LikeDeps => {
  const { client, tableName } = tableOf(base);
  return {
    store: new LikeRepository(client, tableName, base.clock),
    hasher: base.hasher,
    settings: base.settings,
    clock: base.clock,
  };
};

export const reportsFrom = (base: Foundation): ReportDeps => {
  const { client, tableName } = tableOf(base);
  return {
    store: new ReportRepository(client, tableName, base.clock),
    hasher: base.hasher,
    settings: base.settings,
    clock: base.clock,
  };
};

export const featuredFrom = (base: Foundation): Omit<FeatureDeps, 'find'> => {
  const { client, tableName } = tableOf(base);
  return { store: new FeatureRepository(client, tableName), clock: base.clock };
};

export const signalsFrom = (base: Foundation): SignalsStore => {
  const { client, tableName } = tableOf(base);
  return new CommentSignalsRepository(client, tableName, base.clock);
};

export const moderationFrom = (base: Foundation, store = moderationRepository(base)): AdminDeps => {
  const { client, tableName } = tableOf(base);
  return moderationArea(store, {
    commenters: commenterRepository(base),
    hasher: base.hasher,
    clock: base.clock,
    undoSeconds: base.settings.moderation.undoSeconds,
    reports: new ReportDecisionRepository(client, tableName),
    defaultGround: base.settings.decisions.grounds[0]?.id,
    articles: { autoCloseDays: base.settings.autoCloseDays },
  });
};

export const transparencyFrom = (base: Foundation): Areas['transparency'] => {
  const { client, tableName } = tableOf(base);
  return {
    store: new TransparencyRepository(client, tableName),
    tuning: new ScreenTuningRepository(client, tableName),
  };
};

export const importsFrom = (base: Foundation): ImportDeps => {
  const { client, tableName } = tableOf(base);
  return importArea(new ImportRepository(client, tableName, base.clock), { hasher: base.hasher });
};
