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
] as const;

/**
 * What a comment page reads from the stats item at its start: the count, the pinned comments'
 * public copies, and what says whether the article is open and who may comment on it
 * (lambda/domain/article-settings.ts). Not its moderation policy: no public read needs it.
 */
export const STATS_ATTRIBUTES = [
  'commentCount',
  'pins',
  'closed',
  'closeAt',
  'keepOpen',
  'commenting',
  'firstCommentAt',
] as const;

/**
 * What the create path's gate reads of the article's stats item (one GetItem): its settings, the
 * moderation policy among them. Here, with no SDK import, because the stack's grants list it too.
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
];

/**
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

const BASE_PUBLIC_ATTRIBUTES = [...PAGE_ATTRIBUTES, 'reaction'];

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
