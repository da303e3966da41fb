/**
 * The attributes public reads may fetch. Functions that serve public reads are limited by IAM
 * (dynamodb:Attributes) to exactly this list, and every read they make names it as its
 * projection. Private attributes (the email) are absent, so IAM refuses any read of them.
 */
import type { Settings } from '../domain/settings';

export const PUBLIC_COMMENT_ATTRIBUTES = [
  'commentId',
  'articleId',
  'parentId',
  'authorName',
  'authorWebsite',
  'body',
  'createdAt',
  'editedAt',
  'status',
  'staff',
  'pinned',
  // A signed-in reader's marks (domain/readers.ts): shown on every comment.
  'verified',
  'badges',
  // Readers' likes, as tallied (domain/signals.ts), and when a moderator featured it.
  'likes',
  'featuredAt',
] as const;

/**
 * What a comment page reads from the stats item at its start: the count, the pinned and featured
 * comments' public copies, and what says whether the article is open and who may comment on it
 * (lambda/domain/article-settings.ts). Not its moderation policy: no public read needs it.
 */
export const STATS_ATTRIBUTES = [
  'commentCount',
  'pins',
  'features',
  'closed',
  'closeAt',
  'keepOpen',
  'commenting',
  'firstCommentAt',
] as const;

/**
 * What the create path's gate reads (one BatchGetItem, one projection for both items): of the
 * article's stats item its settings, the moderation policy among them; of the commenter's record
 * its state and until, never the note or who set it. Here, with no SDK import, because the
 * stack's grants list it too.
 */
export const GATE_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'closed',
  'closeAt',
  'keepOpen',
  'commenting',
  'firstCommentAt',
  'moderation',
  'state',
  'until',
];
/** The article's part of the gate alone: what an author's edit reads beside their comment. */
export const ARTICLE_GATE_ATTRIBUTES: readonly string[] = GATE_ATTRIBUTES.filter(
  (name) => name !== 'state' && name !== 'until',
);

/**
 * A moderator's link page (lambda/store/moderation-link-repository.ts): the comment's public
 * fields and status. Here, with no SDK import, because the stack's grants list it too.
 */
export const LINK_PAGE_ATTRIBUTES: readonly string[] = ['PK', 'SK', ...PUBLIC_COMMENT_ATTRIBUTES];
/**
 * What a link's action needs besides: the email's keyed hash, to record an approved author, and
 * the screen's reasons and any decision since, to count a first decision on the screen's verdict
 * (lambda/domain/screen-tuning.ts).
 */
export const LINK_ACTION_ATTRIBUTES: readonly string[] = [
  ...LINK_PAGE_ATTRIBUTES,
  'emailHash',
  'holdReasons',
  'decision',
];

/** What the screen's tuning counts' Updates name (lambda/store/screen-tuning.ts). */
export const SCREEN_TUNING_ATTRIBUTES: readonly string[] = [
  'entity',
  'month',
  'reason',
  'overturned',
  'upheld',
];

/**
 * What the webhook functions read of a comment (lambda/store/webhook-repository.ts): its public
 * fields, why it waits, whether it was imported, and when and from what a moderator last decided
 * it; its email only where an endpoint opted in. Never its hashes.
 */
export const HOOK_READ_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  ...PUBLIC_COMMENT_ATTRIBUTES,
  'holdReasons',
  'imported',
  'moderatedAt',
  'decision',
];

/**
 * Never readable by a public function: the email, its hash, the edit token's hash, a signed-in
 * reader's user id at the site, and the key of their reply notifications.
 */
export const PRIVATE_ATTRIBUTES = [
  'email',
  'emailHash',
  'editTokenHash',
  'commenterId',
  'subscriberHash',
] as const;

/** The author's own routes also read the edit token's hash, to check the token. */
export const OWNER_ATTRIBUTES = [...PUBLIC_COMMENT_ATTRIBUTES, 'editTokenHash'] as const;

/** What the edit path reads in one batch: its comment as the owner's routes do, and the gate. */
export const EDIT_READ_ATTRIBUTES: readonly string[] = [
  ...new Set([...ARTICLE_GATE_ATTRIBUTES, ...OWNER_ATTRIBUTES]),
];

/** What one Query of a comment page (or the thread) reads: comments and the stats items. */
export const PAGE_ATTRIBUTES = [
  'PK',
  'SK',
  'entity',
  ...PUBLIC_COMMENT_ATTRIBUTES,
  // The article's stats items: the count, whether a moderator closed the article, the pinned
  // comments' public copies, and each reaction's count as last tallied (all public: the thread
  // shows them to every reader).
  ...STATS_ATTRIBUTES,
  'reactionTotal',
  'reactionCounts',
] as const;

/**
 * What a page in the Top order reads of index byTop besides its keys and the table's: a page's
 * attributes but `entity` and `articleId`, which it knows from the rank and the article it asked
 * for.
 */
export const TOP_INDEX_ATTRIBUTES: readonly string[] = PAGE_ATTRIBUTES.filter(
  (name) => !['PK', 'SK', 'entity', 'articleId'].includes(name),
);

// Index byTop's keys: a page in the Top order reads each item's rank, to continue after it.
const BASE_PUBLIC_ATTRIBUTES = [...PAGE_ATTRIBUTES, 'reaction', 'topOf', 'topRank'];

/*
 * Readers' signals (lambda/domain/likes.ts, signals.ts). Here, with no SDK import, because the
 * stack's grants list them too.
 */

/** What a like reads: the signals' `published`, the shards' `likes`, and whether a like exists. */
export const LIKE_READ_ATTRIBUTES: readonly string[] = ['PK', 'SK', 'entity', 'published', 'likes'];
/** A like's writes: the like item, its counter shard (and the rate-limit windows, granted apart). */
export const LIKE_WRITE_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'entity',
  'likedAt',
  'likes',
  'writes',
  'shard',
  'updatedAt',
];
/** The signals item, as the tally writes it from its comment. */
export const SIGNALS_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'entity',
  'articleId',
  'createdAt',
  'published',
  'pinned',
  'featured',
  'updatedAt',
];
/**
 * What the tally reads to sync a signals item (the comment's status and marks, and the public
 * fields of a featured comment's copies) and to tally likes. Never the email nor any hash.
 */
export const SIGNALS_TALLY_READ_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'entity',
  ...PUBLIC_COMMENT_ATTRIBUTES,
  'published',
  'featured',
  'writes',
];
/**
 * What the tally writes on a comment and its stats items: its likes and Top rank, a pinned
 * copy's likes, a featured copy, and the mark of a featured comment that left the public list.
 */
export const LIKE_TALLY_WRITE_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'likes',
  'likeWrites',
  'topOf',
  'topRank',
  'pins',
  'features',
  'featuredAt',
  'status',
];

export function publicAttributes(settings: Settings): string[] {
  return [...BASE_PUBLIC_ATTRIBUTES, ...settings.reactions.map((reaction) => reaction.key)];
}

/** The placeholder for an attribute name: `#name`, or `#_<hex>` for names like `in-love`. */
export function placeholder(attribute: string): string {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(attribute)
    ? `#${attribute}`
    : `#_${Buffer.from(attribute).toString('hex')}`;
}

/**
 * A ProjectionExpression for the given attributes with every name aliased (so reserved words
 * such as `status` and reaction keys with dashes are safe). Other expressions of the same
 * request refer to these names through `placeholder`.
 */
export function projection(attributes: readonly string[]): {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
} {
  const names: Record<string, string> = {};
  for (const attribute of attributes) names[placeholder(attribute)] = attribute;
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

/** What a report reads: where the comment is, whether it is public or pinned; whether reported. */
export const REPORT_READ_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'entity',
  'articleId',
  'createdAt',
  'published',
  'pinned',
];
/** What a report reads of the comment itself when it hides it: its status and pin. */
export const REPORT_COMMENT_READ_ATTRIBUTES: readonly string[] = ['PK', 'SK', 'status', 'pinned'];
/**
 * A report item (lambda/store/report-repository.ts): the only public write that names an email,
 * a notifier's, which no public function may read back.
 */
export const REPORT_PUT_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'entity',
  'articleId',
  'reason',
  'explanation',
  'email',
  'goodFaith',
  'receivedAt',
];
/** What a report changes on its comment: its count, and at the threshold its status and hold. */
export const REPORT_COMMENT_WRITE_ATTRIBUTES: readonly string[] = [
  'PK',
  'SK',
  'status',
  'pinned',
  'reportCount',
  'reportedAt',
  'moderatedAt',
  'holdReasons',
];
/**
 * The house rules' item besides its key (lambda/store/house-rules-repository.ts): what its reads
 * project, and all the screening functions may read of it (lib/table-grants.ts).
 */
export const HOUSE_RULES_ATTRIBUTES = [
  'hold',
  'block',
  'emailHold',
  'emailBlock',
  'emailDisposable',
  'version',
  'updatedAt',
] as const;
