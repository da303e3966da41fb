/**
 * What a function may name in its table requests: the partitions (`dynamodb:LeadingKeys`) and the
 * attribute allow-lists (`dynamodb:Attributes`) of every grant, and the IAM conditions built from
 * them. The grants themselves are rows of lib/table-grants.ts. No CDK and no SDK here: only the
 * lists the store modules write, so the stack tests and the grants read one source.
 */
import type { Settings } from '../lambda/domain/settings';
import {
  HOUSE_RULES_ATTRIBUTES,
  LIKE_WRITE_ATTRIBUTES,
  OWNER_ATTRIBUTES,
  publicAttributes,
  REPORT_COMMENT_WRITE_ATTRIBUTES,
  SCREEN_TUNING_ATTRIBUTES,
} from '../lambda/store/attributes';
import { TABLE_DEFINITION } from '../lambda/store/table-definition';

/**
 * A write hands nothing back: `dynamodb:ReturnValues` NONE (or absent). UPDATED_OLD or
 * UPDATED_NEW would let a function `SET email = email` and read the email from the answer;
 * ALL_OLD / ALL_NEW would return whole items. No code sets ReturnValues.
 */
const RETURNS_NOTHING = { 'dynamodb:ReturnValues': 'NONE' };

/** `ForAllValues:StringLike` patterns on `dynamodb:LeadingKeys`: the partitions a grant may touch. */
export const PARTITIONS = {
  article: 'ARTICLE#*',
  reactions: 'REACTIONS#*',
  vote: 'VOTE#*',
  author: 'AUTHOR#*',
  /** Commenters' records, a moderator's state and note (lambda/store/commenter-items.ts). */
  commenter: 'COMMENTER#*',
  client: 'CLIENT#*',
  subscriber: 'SUBSCRIBER#*',
  mailMarker: 'MAIL#*',
  /** Markers of used moderator links (lambda/store/moderation-link-repository.ts). */
  link: 'LINK#*',
  /** Markers of imported reaction counts (lambda/store/import-repository.ts). */
  imported: 'IMPORT#*',
  /** Comments' signals items, like counters and likes (lambda/store/keys.ts). */
  signals: 'SIGNALS#*',
  likes: 'LIKES#*',
  like: 'LIKE#*',
  /** Readers' reports, under their comment's id. */
  reports: 'REPORTS#*',
  /** Markers of webhook and Slack deliveries made (lambda/store/webhook-repository.ts). */
  hookMarker: 'HOOK#*',
  /** The screen's tuning counts (lambda/store/screen-tuning.ts). */
  screenTuning: 'SCREEN#*',
  /** The house rules' one partition (lambda/store/house-rules-repository.ts), and only it. */
  houseRules: 'SCREEN#RULES',
} as const;

export type Conditions = Record<string, Record<string, unknown>>;

/**
 * The conditions that confine a write (PutItem, UpdateItem, DeleteItem, ConditionCheckItem,
 * also as actions of a TransactWriteItems, whose actions IAM authorizes as these) to an
 * allow-list of attributes and to some partitions, handing nothing back.
 *
 * - `ForAllValues:StringEquals dynamodb:Attributes`: every attribute the request names (its
 *   item's, its update's and its condition's) is on the list, so a write that does not need the
 *   email cannot name it, neither to set it nor to test it in a condition (`begins_with(email,
 *   :guess)` would probe it one character at a time).
 * - `Null dynamodb:Attributes = false`: a request that names no attribute at all is refused, as
 *   for reads; every write Talkback makes names at least one.
 * - `ForAllValues:StringLike dynamodb:LeadingKeys`: the partition keys it may touch.
 * - `StringEqualsIfExists dynamodb:ReturnValues = NONE`.
 */
export function attributeWriteConditions(
  allowList: readonly string[],
  partitions: readonly string[],
): Conditions {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': unique(allowList) },
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] },
    Null: { 'dynamodb:Attributes': 'false' },
    StringEqualsIfExists: RETURNS_NOTHING,
  };
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

const KEY_ATTRIBUTES = [TABLE_DEFINITION.partitionKey.name, TABLE_DEFINITION.sortKey.name];
/** Index byTop's keys (the Top order), on comments and the first stats item. */
const TOP_INDEX_KEYS = ['topOf', 'topRank'];
/** A rate-limit window's update (lambda/store/rate-windows.ts). */
const RATE_WINDOW_WRITE = ['entity', 'requests', 'expiresAt'];
/**
 * An article's two comment-count items (lambda/store/comment-items.ts countUpdates): the head
 * also carries `articleList`, which lists the article (lambda/store/keys.ts ARTICLE_LIST), heads
 * the article in index byTop, and both the time of its first comment, where autoCloseDays counts
 * from.
 */
const COMMENT_COUNT_WRITE = [
  'entity',
  'articleId',
  'commentCount',
  'updatedAt',
  'articleList',
  ...TOP_INDEX_KEYS,
  'firstCommentAt',
];

/** A new comment's Put: the only public write that names the email and its hash. */
export const COMMENT_PUT_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  ...OWNER_ATTRIBUTES,
  'email',
  'emailHash',
  // Asked for reply notifications (docs/notifications.md).
  'notify',
  // Why the screen held it (docs/screening.md).
  'holdReasons',
  'screenScores',
  // Its place in the Top order.
  ...TOP_INDEX_KEYS,
  // A signed-in reader's id at the site and the key of their reply notifications
  // (docs/readers.md): written, never publicly read.
  'commenterId',
  'subscriberHash',
]);

/**
 * The author item's trust: an approval that can be undone marks it `provisional` with its
 * `grantedBy` set; a publication that cannot be undone removes both (lambda/store/moderation-decisions.ts).
 */
const AUTHOR_TRUST_WRITE = ['lastPublishedAt', 'provisional', 'grantedBy'];

/**
 * The rest of a new comment's transaction: its rate-limit windows, the parent's ConditionCheck
 * (its status), the count items (only while the article is not `closed`) and the author item
 * (by the email's hash in its key, never an attribute).
 */
export const COMMENT_TRANSACTION_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  ...RATE_WINDOW_WRITE,
  'status',
  ...COMMENT_COUNT_WRITE,
  'closed',
  ...AUTHOR_TRUST_WRITE,
]);

/** A like's Put or Delete, its counter shard's update and the rate-limit windows. */
export const LIKE_TRANSACTION_ATTRIBUTES: readonly string[] = unique([
  ...LIKE_WRITE_ATTRIBUTES,
  ...RATE_WINDOW_WRITE,
]);

/**
 * A report's transaction: the rate-limit windows, the comment's count (and at the threshold its
 * status, hold and pin) and both count items, with the pinned copy leaving them.
 */
export const REPORT_TRANSACTION_ATTRIBUTES: readonly string[] = unique([
  ...RATE_WINDOW_WRITE,
  ...REPORT_COMMENT_WRITE_ATTRIBUTES,
  ...COMMENT_COUNT_WRITE,
  'pins',
]);

/** A vote's Put, Update or Delete, its counter shard's update and the rate-limit windows. */
export function reactionWriteAttributes(settings: Settings): string[] {
  return unique([
    ...KEY_ATTRIBUTES,
    ...RATE_WINDOW_WRITE,
    'articleId',
    'reaction',
    'updatedAt',
    'shard',
    'writes',
    ...settings.reactions.map((reaction) => reaction.key),
  ]);
}

/** An author's edit or delete of their comment (conditional on the edit token's hash) and the counts. */
export const OWN_COMMENT_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'body',
  'editedAt',
  'status',
  'editTokenHash',
  // An edit is screened again: the new text's reasons replace the old (docs/screening.md).
  'holdReasons',
  'screenScores',
  ...COMMENT_COUNT_WRITE,
]);

/** Confirming or unsubscribing an address (lambda/store/notification-repository.ts). */
export const SUBSCRIPTION_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'state',
  'confirmedAt',
  'unsubscribedAt',
  // Read by the confirm condition, removed by unsubscribing.
  'pendingSince',
]);

/** The confirmation page's read of a subscriber: its state, never its email. */
export const SUBSCRIPTION_READ_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'state',
  'pendingSince',
]);

/** The mail dispatcher's mark on a subscriber that a confirmation goes out. */
export const CONFIRMATION_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'email',
  'state',
  'confirmationSentAt',
  'confirmationFor',
  'pendingSince',
]);

/** The dispatcher's count of an address's reply notifications in an hour (NotifiedHour). */
export const REPLY_COUNT_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'expiresAt',
  'sent',
  'held',
]);

/** The mail sender's once-only markers, and the moderators' links' and the webhook deliveries' (the same item shape). */
export const MAIL_MARKER_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'expiresAt',
]);

/** A moderator's link acting: the comment's status, its counts, its approved author. */
export const MODERATION_LINK_UPDATE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'status',
  'moderatedAt',
  // A pinned comment marked as spam loses its pin, and its copy leaves the stats items.
  'pinned',
  'pins',
  ...COMMENT_COUNT_WRITE,
  ...AUTHOR_TRUST_WRITE,
  // A first decision on the screen's verdict counts for tuning.
  ...SCREEN_TUNING_ATTRIBUTES,
]);

/** The tally's conditional update of an article's count item. */
export const TALLY_WRITE_ATTRIBUTES: readonly string[] = unique([
  ...KEY_ATTRIBUTES,
  'entity',
  'articleId',
  'reactionTotal',
  'reactionCounts',
  'reactionWrites',
  'updatedAt',
  ...TOP_INDEX_KEYS,
  // The head lists the article (lambda/store/keys.ts ARTICLE_LIST).
  'articleList',
]);

/**
 * An import's Puts (lambda/store/import-repository.ts): each comment as a new comment's Put, and
 * the marker of an article's imported reaction counts.
 */
export const IMPORT_PUT_ATTRIBUTES: readonly string[] = unique([
  ...COMMENT_PUT_ATTRIBUTES,
  // Marks an imported comment, which asks for no mail.
  'imported',
  'counts',
]);

/**
 * The rest of an import's transactions: a reply's parent's ConditionCheck (on its key), the
 * count items and author items as for a new comment, and for reaction counts the first counter
 * shard and the article's total.
 */
export function importUpdateAttributes(settings: Settings): string[] {
  return unique([
    ...KEY_ATTRIBUTES,
    ...COMMENT_COUNT_WRITE,
    ...AUTHOR_TRUST_WRITE,
    'shard',
    'writes',
    'reactionTotal',
    'reactionCounts',
    'reactionWrites',
    ...settings.reactions.map((reaction) => reaction.key),
  ]);
}

/**
 * The conditions that confine a read to an allow-list of attributes.
 *
 * - `ForAllValues:StringEquals dynamodb:Attributes`: every attribute the request names (its
 *   projection, and its key and filter attributes) must be on the allow-list, which has no
 *   email.
 * - `Null dynamodb:Attributes = false`: a `ForAllValues` condition is true when the request
 *   carries no attribute names at all, and a GetItem, BatchGetItem or Query without a
 *   ProjectionExpression names none and returns the whole item. Requiring the key to be
 *   present refuses such a "give me everything" read outright, whatever the action.
 * - `StringEqualsIfExists dynamodb:Select = SPECIFIC_ATTRIBUTES`: Select exists only on Query
 *   and Scan; when it is given it must not be ALL_ATTRIBUTES (or an index's
 *   ALL_PROJECTED_ATTRIBUTES), which would return attributes beyond the projection. GetItem and
 *   BatchGetItem have no Select, hence IfExists; for them the two Attributes conditions decide.
 *
 * This is AWS's documented pattern for attribute-level access (IAM User Guide, "Amazon
 * DynamoDB: Allows access to specific attributes") with the Null guard added.
 */
export function attributeReadConditions(
  allowList: readonly string[],
  partitions?: readonly string[],
): Conditions {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...allowList] },
    ...(partitions
      ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } }
      : {}),
    Null: { 'dynamodb:Attributes': 'false' },
    StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
  };
}

/** What public reads may fetch: the public attributes of every item type. */
export function publicReadConditions(
  settings: Settings,
  partitions: readonly string[],
): Conditions {
  return attributeReadConditions(publicAttributes(settings), partitions);
}

/**
 * What the reaction tally may read: the counter shards' keys, reaction counts and `writes`
 * count, which orders tallies. Never the email, its hash or the edit token's hash.
 */
export function tallyReadAttributes(settings: Settings): string[] {
  return [...KEY_ATTRIBUTES, 'writes', ...settings.reactions.map((reaction) => reaction.key)];
}

/**
 * What the author's own routes may read of their comment: the key, the public fields and the
 * edit token's hash (to check the token). Never the email or its hash.
 */
export const OWNER_READ_ATTRIBUTES: readonly string[] = [
  TABLE_DEFINITION.partitionKey.name,
  TABLE_DEFINITION.sortKey.name,
  ...OWNER_ATTRIBUTES,
];

/** What the house rules' reads may fetch: the key and the rules, nothing else of the table. */
export const HOUSE_RULES_READ_ATTRIBUTES: readonly string[] = [
  ...KEY_ATTRIBUTES,
  ...HOUSE_RULES_ATTRIBUTES,
];

/** What replacing the house rules names: the item, and `version` in its condition. */
export const HOUSE_RULES_WRITE_ATTRIBUTES: readonly string[] = [
  ...KEY_ATTRIBUTES,
  'entity',
  ...HOUSE_RULES_ATTRIBUTES,
];
