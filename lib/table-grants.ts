/**
 * What each kind of table access may do: the rows of every function's table policy, one list of
 * statements per `TableAccess` of the route table (lambda/routes.ts), in the style of the route
 * table itself. `TalkbackFunction.grantTableAccess` turns a row into IAM statements; a new
 * `TableAccess` kind fails to compile here until it has a row.
 */
import type { Settings } from '../lambda/domain/settings';
import type { TableAccess } from '../lambda/routes';
import {
  ARTICLE_GATE_ATTRIBUTES,
  GATE_ATTRIBUTES,
  LIKE_READ_ATTRIBUTES,
  LIKE_TALLY_WRITE_ATTRIBUTES,
  LINK_ACTION_ATTRIBUTES,
  LINK_PAGE_ATTRIBUTES,
  REPORT_COMMENT_READ_ATTRIBUTES,
  REPORT_PUT_ATTRIBUTES,
  REPORT_READ_ATTRIBUTES,
  SIGNALS_ATTRIBUTES,
  SIGNALS_TALLY_READ_ATTRIBUTES,
} from '../lambda/store/attributes';
import {
  attributeReadConditions,
  attributeWriteConditions,
  COMMENT_PUT_ATTRIBUTES,
  COMMENT_TRANSACTION_ATTRIBUTES,
  type Conditions,
  HOUSE_RULES_READ_ATTRIBUTES,
  HOUSE_RULES_WRITE_ATTRIBUTES,
  IMPORT_PUT_ATTRIBUTES,
  importUpdateAttributes,
  LIKE_TRANSACTION_ATTRIBUTES,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  MODERATION_LINK_UPDATE_ATTRIBUTES,
  OWN_COMMENT_WRITE_ATTRIBUTES,
  OWNER_READ_ATTRIBUTES,
  PARTITIONS,
  publicReadConditions,
  REPORT_TRANSACTION_ATTRIBUTES,
  reactionWriteAttributes,
  SUBSCRIPTION_READ_ATTRIBUTES,
  SUBSCRIPTION_WRITE_ATTRIBUTES,
  TALLY_WRITE_ATTRIBUTES,
  tallyReadAttributes,
} from './table-conditions';

type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

/**
 * One statement: a Query of one index (by name, never index/*), under conditions where a public
 * function reads it, or actions on the table itself.
 */
export type TableGrant =
  | { index: string; conditions?: (settings: Settings) => Conditions }
  | { actions: readonly DynamoAction[]; conditions?: (settings: Settings) => Conditions };

const {
  article,
  reactions,
  vote,
  author,
  commenter,
  client,
  subscriber,
  link,
  imported,
  screenTuning,
  houseRules,
} = PARTITIONS;
const { signals, likes, like, reports } = PARTITIONS;

const onTable = (
  actions: readonly DynamoAction[],
  conditions?: (settings: Settings) => Conditions,
): TableGrant => (conditions ? { actions, conditions } : { actions });

export const TABLE_GRANTS: Readonly<Record<TableAccess, readonly TableGrant[]>> = {
  none: [],
  // One Query of the article's partition (or, for the Top order, of its part of index byTop): a
  // page of comments and its count item.
  'comment-read': [
    onTable(['dynamodb:Query'], (s) => publicReadConditions(s, [article])),
    { index: 'byTop', conditions: (s) => publicReadConditions(s, [article]) },
  ],
  // The article's counter shards and the visitor's vote, batched.
  'reaction-read': [
    onTable(['dynamodb:BatchGetItem'], (s) => publicReadConditions(s, [reactions, vote])),
  ],
  // The count items of up to 100 articles, batched.
  'counts-read': [onTable(['dynamodb:BatchGetItem'], (s) => publicReadConditions(s, [article]))],
  // The gate's one BatchGetItem: the article's settings (its stats item) and the commenter's
  // state and until, never the note; then the TransactWriteItems of a new comment: Update the
  // rate-limit windows, ConditionCheck the parent, Put the comment, Update the counts and the
  // author item. Only the Put names the email.
  'comment-write': [
    onTable(['dynamodb:BatchGetItem'], () =>
      attributeReadConditions(GATE_ATTRIBUTES, [article, commenter]),
    ),
    onTable(['dynamodb:PutItem'], () =>
      attributeWriteConditions(COMMENT_PUT_ATTRIBUTES, [article]),
    ),
    onTable(['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], () =>
      attributeWriteConditions(COMMENT_TRANSACTION_ATTRIBUTES, [client, article, author]),
    ),
  ],
  // Reads the counters and the visitor's vote (public attributes only), then one
  // TransactWriteItems: Put/Update/Delete the vote, Update the counter shard and the rate-limit
  // windows.
  'reaction-write': [
    onTable(['dynamodb:BatchGetItem'], (s) => publicReadConditions(s, [reactions, vote])),
    onTable(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], (s) =>
      attributeWriteConditions(reactionWriteAttributes(s), [client, vote, reactions]),
    ),
  ],
  // The comment's signals item (whether it is published; never the comment itself), the voter's
  // like and the counter shards, batched; then one TransactWriteItems: Put or Delete the like,
  // Update its shard and the rate-limit windows. Nothing in an article's partition.
  'like-write': [
    onTable(['dynamodb:BatchGetItem'], () =>
      attributeReadConditions(LIKE_READ_ATTRIBUTES, [signals, like, likes]),
    ),
    onTable(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], () =>
      attributeWriteConditions(LIKE_TRANSACTION_ATTRIBUTES, [client, like, likes]),
    ),
  ],
  // The comment's signals item and the reporter's report (keys only), batched; then one
  // TransactWriteItems: Put the report (the one public write that names an email: a notifier's,
  // which nothing public reads back), Update the comment's count, at the threshold its status
  // and both count items, and the rate-limit windows. A GetItem of the comment's status and pin
  // when its signals were behind.
  'report-write': [
    onTable(['dynamodb:BatchGetItem'], () =>
      attributeReadConditions(REPORT_READ_ATTRIBUTES, [signals, reports]),
    ),
    onTable(['dynamodb:GetItem'], () =>
      attributeReadConditions(REPORT_COMMENT_READ_ATTRIBUTES, [article]),
    ),
    onTable(['dynamodb:PutItem'], () => attributeWriteConditions(REPORT_PUT_ATTRIBUTES, [reports])),
    onTable(['dynamodb:UpdateItem'], () =>
      attributeWriteConditions(REPORT_TRANSACTION_ATTRIBUTES, [client, article]),
    ),
  ],
  // A GetItem of the comment projected to the owner's attributes, then one TransactWriteItems:
  // Update or Delete the comment and Update the two count items.
  'own-comment': [
    onTable(['dynamodb:GetItem'], () => attributeReadConditions(OWNER_READ_ATTRIBUTES, [article])),
    onTable(['dynamodb:UpdateItem', 'dynamodb:DeleteItem'], () =>
      attributeWriteConditions(OWN_COMMENT_WRITE_ATTRIBUTES, [article]),
    ),
  ],
  // The same for an edit, whose read is one BatchGetItem of the comment and its article's stats
  // item (the article's own moderation policy), projected to the owner's and the gate's
  // attributes; it only updates.
  'own-comment-edit': [
    onTable(['dynamodb:BatchGetItem'], () =>
      attributeReadConditions(
        [...new Set([...OWNER_READ_ATTRIBUTES, ...ARTICLE_GATE_ATTRIBUTES])],
        [article],
      ),
    ),
    onTable(['dynamodb:UpdateItem'], () =>
      attributeWriteConditions(OWN_COMMENT_WRITE_ATTRIBUTES, [article]),
    ),
  ],
  // Operators read whole comments, email included, so their grants carry no attribute
  // conditions; each gets only the index and the actions its route uses
  // (lambda/store/moderation-repository.ts). No Scan; only a staff reply ConditionChecks (its
  // parent).
  //
  // The queue by status (index byStatus) or one article's queue (a Query of its partition), and
  // which authors have published (a BatchGetItem of author items); the list of articles (index
  // articles, keys only).
  'admin-list': [
    { index: 'byStatus' },
    { index: 'articles' },
    onTable(['dynamodb:Query', 'dynamodb:BatchGetItem']),
  ],
  // Counts of the queue by status (index byStatus) or of one article's (its partition).
  'admin-counts': [{ index: 'byStatus' }, onTable(['dynamodb:Query'])],
  // A month range of the transparency counters and of the screen's tuning counts: a Query of
  // each one's partition, nothing written.
  'admin-transparency': [onTable(['dynamodb:Query'])],
  // A count of the email's comments by its hash; nothing on the table itself.
  'admin-erasure-count': [{ index: 'byEmailHash' }],
  // The article's stats item: its count, whether it is closed, its pins.
  'admin-article-read': [onTable(['dynamodb:GetItem'])],
  // One TransactWriteItems of Updates of the two stats items, then the GetItem above.
  'admin-article-change': [onTable(['dynamodb:UpdateItem', 'dynamodb:GetItem'])],
  // The comment by id (index, then a consistent GetItem); Updates of the comment and of the
  // stats items' pinned copies, in one TransactWriteItems when pinning.
  'admin-pin': [{ index: 'byCommentId' }, onTable(['dynamodb:GetItem', 'dynamodb:UpdateItem'])],
  // The comment by id (index, then a consistent GetItem); `features` ensured on the stats items,
  // then one TransactWriteItems of Updates: the comment's mark, the copies on both stats items.
  'admin-feature': [{ index: 'byCommentId' }, onTable(['dynamodb:GetItem', 'dynamodb:UpdateItem'])],
  // A new comment's TransactWriteItems with no email and no rate limit: Put the comment,
  // ConditionCheck the parent, Update the counts. Nothing is read.
  'admin-reply': [
    onTable(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']),
  ],
  // The comment by id (index, then a consistent GetItem); one TransactWriteItems of Updates: its
  // status, the counts, the author item; then its open reports (a Query of their partition) each
  // Updated with the decision.
  'admin-moderate': [
    { index: 'byCommentId' },
    onTable(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
  ],
  // The comment by id; one TransactWriteItems: Delete it, Update the counts; then, for a reported
  // comment, its open reports (a Query of their partition) each Updated with the decision.
  'admin-delete': [
    { index: 'byCommentId' },
    onTable(['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
  ],
  // The email's comments by its hash; which of them name a signed-in reader's own subscription
  // (BatchGetItem), a Delete of each such subscriber, an Update of each comment (and of the stats
  // items' copy of a pinned one), a Delete of the author item and the address's subscriber;
  // before them, the commenterIds its comments name (BatchGetItem) and an Update of each such
  // commenter's record (its note removed).
  'admin-erase': [
    { index: 'byEmailHash' },
    onTable(['dynamodb:BatchGetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
  ],
  // A commenter's record (GetItem) and comments: their keys and statuses (index byCommenter), the
  // latest read whole (BatchGetItem). A change then Puts the record, on the condition that it is
  // as read.
  'admin-commenter-read': [
    { index: 'byCommenter' },
    onTable(['dynamodb:GetItem', 'dynamodb:BatchGetItem']),
  ],
  'admin-commenter-change': [
    { index: 'byCommenter' },
    onTable(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem']),
  ],
  // The commenterIds an email's comments name: their keys by its hash, then their commenterId.
  'admin-commenter-find': [{ index: 'byEmailHash' }, onTable(['dynamodb:BatchGetItem'])],
  // The house rules' one item, read by its attributes (GET /admin/house-rules).
  'admin-house-rules-read': [
    onTable(['dynamodb:GetItem'], () =>
      attributeReadConditions(HOUSE_RULES_READ_ATTRIBUTES, [houseRules]),
    ),
  ],
  // The house rules' one item replaced, on the condition of its version; nothing read.
  'admin-house-rules-write': [
    onTable(['dynamodb:PutItem'], () =>
      attributeWriteConditions(HOUSE_RULES_WRITE_ATTRIBUTES, [houseRules]),
    ),
  ],
  // Confirm and unsubscribe: one conditional UpdateItem of a subscriber item; no read.
  subscription: [
    onTable(['dynamodb:UpdateItem'], () =>
      attributeWriteConditions(SUBSCRIPTION_WRITE_ATTRIBUTES, [subscriber]),
    ),
  ],
  // The confirmation page: one GetItem of a subscriber's state (never its email); no write.
  'subscription-read': [
    onTable(['dynamodb:GetItem'], () =>
      attributeReadConditions(SUBSCRIPTION_READ_ATTRIBUTES, [subscriber]),
    ),
  ],
  // The comment's public fields and the link's marker, each one GetItem; no write.
  'moderation-link-page': [
    onTable(['dynamodb:GetItem'], () =>
      attributeReadConditions(LINK_PAGE_ATTRIBUTES, [article, link]),
    ),
  ],
  // The link's marker, and the comment with its email's hash (to record the approved author;
  // never the email), the screen's reasons and any decision, each one GetItem; then one
  // TransactWriteItems: Put the link's marker, Update the comment, its counts, its author item
  // and, for a first decision on the screen's verdict, the screen's tuning counts.
  'moderation-link': [
    onTable(['dynamodb:GetItem'], () =>
      attributeReadConditions(LINK_ACTION_ATTRIBUTES, [article, link]),
    ),
    onTable(['dynamodb:PutItem'], () =>
      attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [link]),
    ),
    onTable(['dynamodb:UpdateItem'], () =>
      attributeWriteConditions(MODERATION_LINK_UPDATE_ATTRIBUTES, [article, author, screenTuning]),
    ),
  ],
  // One TransactWriteItems per run of a batch: Put each comment on a free key (the only write
  // that names the email), ConditionCheck a reply's parent, Update the count and author items;
  // for reaction counts a marker Put and Updates of shard 0 and the total. Nothing is read.
  import: [
    onTable(['dynamodb:PutItem'], () =>
      attributeWriteConditions(IMPORT_PUT_ATTRIBUTES, [article, imported]),
    ),
    onTable(['dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], (s) =>
      attributeWriteConditions(importUpdateAttributes(s), [article, author, reactions]),
    ),
  ],
};

/**
 * The screening functions' (`screens` in the route table: create and edit), beside their route's
 * access: a GetItem of the house rules' one item, projected to the rules, at most once a minute
 * per instance (lambda/domain/rules-cache.ts cachedRules). Only the PUT route writes it.
 */
export const HOUSE_RULES_SCREEN_GRANTS: readonly TableGrant[] = [
  onTable(['dynamodb:GetItem'], () =>
    attributeReadConditions(HOUSE_RULES_READ_ATTRIBUTES, [houseRules]),
  ),
];

/**
 * The reaction tally's (not a route, so not a TableAccess of the route table): one consistent
 * BatchGetItem of an article's counter shards, projected to their `writes` and reaction counts,
 * and a conditional UpdateItem of each of the article's two stats items. Reading the table's
 * stream is granted by its event source (see ReactionTally).
 */
export const TALLY_GRANTS: readonly TableGrant[] = [
  onTable(['dynamodb:BatchGetItem'], (s) =>
    attributeReadConditions(tallyReadAttributes(s), [reactions]),
  ),
  onTable(['dynamodb:UpdateItem'], () =>
    attributeWriteConditions(TALLY_WRITE_ATTRIBUTES, [article]),
  ),
  // Readers' signals (lambda/store/comment-signals.ts): a comment's status and marks, its signals
  // item and its like counters, each read consistently and batched; its signals item Put or
  // Deleted; its likes and Top rank, and a pinned copy's likes, Updated. No email, no hash.
  onTable(['dynamodb:BatchGetItem'], () =>
    attributeReadConditions(SIGNALS_TALLY_READ_ATTRIBUTES, [article, signals, likes]),
  ),
  onTable(['dynamodb:PutItem', 'dynamodb:DeleteItem'], () =>
    attributeWriteConditions(SIGNALS_ATTRIBUTES, [signals]),
  ),
  onTable(['dynamodb:UpdateItem'], () =>
    attributeWriteConditions(LIKE_TALLY_WRITE_ATTRIBUTES, [article]),
  ),
];
