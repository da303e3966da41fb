/**
 * Every item key in the table, built in one place so the console view reads like the product:
 *
 *   ARTICLE#<articleId>          COMMENT#!COUNT              ArticleStats (first in a comment page)
 *   ARTICLE#<articleId>          COMMENT#<createdAt>#<id>    Comment
 *   ARTICLE#<articleId>          COMMENT#~COUNT              ArticleStats mirror (first in newest-first)
 *   REACTIONS#<articleId>#<n>    COUNTS                      ReactionCounts shard n
 *   VOTE#<visitorHash>           ARTICLE#<articleId>         Vote
 *   AUTHOR#<emailHash>           AUTHOR                      Author (has a published comment)
 *   COMMENTER#<commenterId>      COMMENTER                   Commenter (a moderator's state and note)
 *   CLIENT#<clientHash>          RATE#<action>#<window>#<start>  RateWindow (expires by TTL)
 *   SUBSCRIBER#<emailHash>       SUBSCRIBER                  Subscriber (reply notifications)
 *   SUBSCRIBER#<emailHash>       HOUR#<hourStart>            NotifiedHour (replies sent, held for the digest; TTL)
 *   MAIL#<digest of mail key>    SENT                        MailMarker (sent once; expires by TTL)
 *   LINK#<digest of token>       USED                        LinkUse (a moderator link acted; TTL)
 *   SIGNALS#<commentId>          COMMENT                     CommentSignals (where the comment is, if it is published)
 *   LIKES#<commentId>#<n>        COUNTS                      LikeCounts shard n
 *   LIKE#<voterHash>             LIKED#<commentId>           Like
 *   REPORTS#<commentId>          REPORT#<reporterHash>       Report (a reader's, or a notice of illegal content)
 *   HOOK#<digest of delivery>    SENT                        HookMarker (a webhook delivered once; TTL)
 *   SCREEN#TUNING                MONTH#<yyyy-mm>#<reason>    ScreenTuning (screen verdicts overturned, upheld)
 *   TRANSPARENCY                 MONTH#<yyyy-mm>             Transparency (decisions, grounds, notices)
 *   SCREEN#RULES                 CURRENT                     HouseRules (the rules the console edits)
 *
 * '!' sorts before the digits of an ISO time and '~' after them, so one Query over
 * COMMENT#!COUNT..COMMENT#~COUNT returns a page of comments together with the count item
 * that sits at the start of the page in either order.
 */
import { ulidTime } from '../domain/ids';

export const ENTITY = {
  articleStats: 'ArticleStats',
  comment: 'Comment',
  reactionCounts: 'ReactionCounts',
  vote: 'Vote',
  author: 'Author',
  commenter: 'Commenter',
  rateWindow: 'RateWindow',
  subscriber: 'Subscriber',
  mailMarker: 'MailMarker',
  linkUse: 'LinkUse',
  notifiedHour: 'NotifiedHour',
  commentSignals: 'CommentSignals',
  likeCounts: 'LikeCounts',
  like: 'Like',
  report: 'Report',
  hookMarker: 'HookMarker',
  screenTuning: 'ScreenTuning',
  transparency: 'Transparency',
  houseRules: 'HouseRules',
} as const;

export interface ItemKey {
  PK: string;
  SK: string;
}

export const COMMENT_RANGE = { first: 'COMMENT#!COUNT', last: 'COMMENT#~COUNT' } as const;

/**
 * The list of articles: every article Talkback holds anything for (a comment, reactions, being
 * closed) has a head stats item, and the head, not the tail, carries `articleList`, which puts it
 * in the sparse index `articles` (keys only, sorted by article id) once. Every write that can
 * create the head sets it; its value never changes, so later updates of the head write nothing to
 * the index. Only operators read it (GET /admin/comments?view=articles, for the export).
 */
export const ARTICLE_LIST = {
  index: 'articles',
  attribute: 'articleList',
  value: 'ARTICLE',
  /** The SET clause and value that list the head item; nothing for the tail. */
  on: (isHead: boolean) =>
    isHead
      ? { set: ', articleList = :articleList', values: { ':articleList': 'ARTICLE' } }
      : { set: '', values: {} },
} as const;

/**
 * Index byTop (the Top order): an article's comments under `topOf` (its partition's key), by
 * `topRank`: the likes inverted and padded, then the time and the id, so ascending order is most
 * liked first and, among equals, oldest first. The article's first stats item ranks `!`, before
 * every comment, so one Query of the index returns it with the first page, as in the table.
 */
export const TOP_RANK_OF_STATS = '!';
const TOP_LIKES_CEILING = 9_999_999_999;

const ARTICLE_PREFIX = 'ARTICLE#';
/** The one partition of the screen's tuning counts: a few items a month, read by operators. */
export const SCREEN_TUNING_PARTITION = 'SCREEN#TUNING';
/** The transparency counters' partition (store/transparency.ts): one item per month. */
export const TRANSPARENCY_PARTITION = 'TRANSPARENCY';
const VOTE_PREFIX = 'VOTE#';
const LIKE_PREFIX = 'LIKE#';
const LIKED_PREFIX = 'LIKED#';
const REPORTS_PREFIX = 'REPORTS#';

export const keys = {
  articlePartition: (articleId: string): string => `${ARTICLE_PREFIX}${articleId}`,
  statsHead: (articleId: string): ItemKey => ({
    PK: keys.articlePartition(articleId),
    SK: COMMENT_RANGE.first,
  }),
  statsTail: (articleId: string): ItemKey => ({
    PK: keys.articlePartition(articleId),
    SK: COMMENT_RANGE.last,
  }),
  commentSortKey: (createdAt: string, commentId: string): string =>
    `COMMENT#${createdAt}#${commentId}`,
  comment: (articleId: string, createdAt: string, commentId: string): ItemKey => ({
    PK: keys.articlePartition(articleId),
    SK: keys.commentSortKey(createdAt, commentId),
  }),
  /** A comment's key from its id alone: the time in its sort key is the one its ULID carries. */
  commentById: (articleId: string, commentId: string): ItemKey =>
    keys.comment(articleId, new Date(ulidTime(commentId)).toISOString(), commentId),
  topRank: (likes: number, createdAt: string, commentId: string): string =>
    `${String(TOP_LIKES_CEILING - Math.min(Math.max(0, likes), TOP_LIKES_CEILING)).padStart(10, '0')}#${createdAt}#${commentId}`,
  reactionShard: (articleId: string, shard: number): ItemKey => ({
    PK: `REACTIONS#${articleId}#${shard}`,
    SK: 'COUNTS',
  }),
  vote: (articleId: string, visitorHash: string): ItemKey => ({
    PK: `${VOTE_PREFIX}${visitorHash}`,
    SK: keys.articlePartition(articleId),
  }),
  author: (emailHash: string): ItemKey => ({ PK: `AUTHOR#${emailHash}`, SK: 'AUTHOR' }),
  commenter: (commenterId: string): ItemKey => ({
    PK: `COMMENTER#${commenterId}`,
    SK: 'COMMENTER',
  }),
  rateWindow: (clientHash: string, action: string, window: string, start: string): ItemKey => ({
    PK: `CLIENT#${clientHash}`,
    SK: `RATE#${action}#${window}#${start}`,
  }),
  subscriber: (emailHash: string): ItemKey => ({ PK: `SUBSCRIBER#${emailHash}`, SK: 'SUBSCRIBER' }),
  mailMarker: (digest: string): ItemKey => ({ PK: `MAIL#${digest}`, SK: 'SENT' }),
  linkUse: (digest: string): ItemKey => ({ PK: `LINK#${digest}`, SK: 'USED' }),
  hookMarker: (digest: string): ItemKey => ({ PK: `HOOK#${digest}`, SK: 'SENT' }),
  houseRules: (): ItemKey => ({ PK: 'SCREEN#RULES', SK: 'CURRENT' }),
  transparency: (month: string): ItemKey => ({
    PK: TRANSPARENCY_PARTITION,
    SK: `MONTH#${month}`,
  }),
  screenTuning: (month: string, reason: string): ItemKey => ({
    PK: SCREEN_TUNING_PARTITION,
    SK: `MONTH#${month}#${reason}`,
  }),
  notifiedHour: (emailHash: string, hourStart: string): ItemKey => ({
    PK: `SUBSCRIBER#${emailHash}`,
    SK: `HOUR#${hourStart}`,
  }),
  /** What a like or a report reads to find a comment by its id alone (store/comment-signals.ts). */
  commentSignals: (commentId: string): ItemKey => ({ PK: `SIGNALS#${commentId}`, SK: 'COMMENT' }),
  likeShard: (commentId: string, shard: number): ItemKey => ({
    PK: `LIKES#${commentId}#${shard}`,
    SK: 'COUNTS',
  }),
  /** Under the comment: operators read its reports with one Query. */
  report: (commentId: string, reporterHash: string): ItemKey => ({
    PK: `${REPORTS_PREFIX}${commentId}`,
    SK: `REPORT#${reporterHash}`,
  }),
  reportsOf: (commentId: string): string => `${REPORTS_PREFIX}${commentId}`,
  like: (voterHash: string, commentId: string): ItemKey => ({
    PK: `${LIKE_PREFIX}${voterHash}`,
    SK: `${LIKED_PREFIX}${commentId}`,
  }),
};

export function isCommentSortKey(sortKey: string): boolean {
  return (
    sortKey.startsWith('COMMENT#') &&
    sortKey !== COMMENT_RANGE.first &&
    sortKey !== COMMENT_RANGE.last
  );
}

/**
 * The articles whose votes changed, from the keys of vote items (a stream's records); keys of
 * other items are passed over.
 */
export function articlesOfVoteKeys(itemKeys: { PK?: string; SK?: string }[]): string[] {
  const articles = new Set<string>();
  for (const { PK, SK } of itemKeys) {
    if (PK?.startsWith(VOTE_PREFIX) && SK?.startsWith(ARTICLE_PREFIX))
      articles.add(SK.slice(ARTICLE_PREFIX.length));
  }
  return [...articles];
}

/**
 * A comment's table key from its rank in index byTop, which names its time and id (the stats
 * item's rank names the article's first stats item).
 */
export function keyOfTopRank(articleId: string, topRank: string): ItemKey {
  if (topRank === TOP_RANK_OF_STATS) return keys.statsHead(articleId);
  const [, createdAt = '', commentId = ''] = topRank.split('#');
  return keys.comment(articleId, createdAt, commentId);
}

/** The comment a stream record's keys name, or undefined for any other item. */
export function commentOfKey(
  key: Partial<ItemKey>,
): { articleId: string; commentId: string } | undefined {
  const { PK, SK } = key;
  if (!PK?.startsWith(ARTICLE_PREFIX) || !SK || !isCommentSortKey(SK)) return undefined;
  const commentId = SK.slice(SK.lastIndexOf('#') + 1);
  return { articleId: PK.slice(ARTICLE_PREFIX.length), commentId };
}

/** The report a stream record's keys name (REPORTS#<commentId>, REPORT#<reporterHash>), if any. */
export function reportOfKey(
  key: Partial<ItemKey>,
): { commentId: string; reporterHash: string } | undefined {
  const { PK, SK } = key;
  if (!PK?.startsWith(REPORTS_PREFIX) || !SK?.startsWith('REPORT#')) return undefined;
  return { commentId: PK.slice(REPORTS_PREFIX.length), reporterHash: SK.slice('REPORT#'.length) };
}

/** The comments whose likes changed, from the keys of like items (a stream's records). */
export function commentsOfLikeKeys(itemKeys: { PK?: string; SK?: string }[]): string[] {
  const comments = new Set<string>();
  for (const { PK, SK } of itemKeys) {
    if (PK?.startsWith(LIKE_PREFIX) && SK?.startsWith(LIKED_PREFIX))
      comments.add(SK.slice(LIKED_PREFIX.length));
  }
  return [...comments];
}

/** The comments whose items changed, from a stream's keys (stats items and others passed over). */
export function commentsOfKeys(
  itemKeys: Partial<ItemKey>[],
): { articleId: string; createdAt: string; commentId: string }[] {
  const comments = new Map<string, { articleId: string; createdAt: string; commentId: string }>();
  for (const key of itemKeys) {
    const comment = commentOfKey(key);
    if (comment === undefined || key.SK === undefined) continue;
    const createdAt = key.SK.slice('COMMENT#'.length, key.SK.lastIndexOf('#'));
    comments.set(`${key.PK} ${key.SK}`, { ...comment, createdAt });
  }
  return [...comments.values()];
}
