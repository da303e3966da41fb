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
 *   HOOK#<digest of delivery>    SENT                        HookMarker (a webhook delivered once; TTL)
 *   SCREEN#TUNING                MONTH#<yyyy-mm>#<reason>    ScreenTuning (screen verdicts overturned, upheld)
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
  hookMarker: 'HookMarker',
  screenTuning: 'ScreenTuning',
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

const ARTICLE_PREFIX = 'ARTICLE#';
/** The one partition of the screen's tuning counts: a few items a month, read by operators. */
export const SCREEN_TUNING_PARTITION = 'SCREEN#TUNING';
const VOTE_PREFIX = 'VOTE#';

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
  screenTuning: (month: string, reason: string): ItemKey => ({
    PK: SCREEN_TUNING_PARTITION,
    SK: `MONTH#${month}#${reason}`,
  }),
  notifiedHour: (emailHash: string, hourStart: string): ItemKey => ({
    PK: `SUBSCRIBER#${emailHash}`,
    SK: `HOUR#${hourStart}`,
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

/** The comment a stream record's keys name, or undefined for any other item. */
export function commentOfKey(
  key: Partial<ItemKey>,
): { articleId: string; commentId: string } | undefined {
  const { PK, SK } = key;
  if (!PK?.startsWith(ARTICLE_PREFIX) || !SK || !isCommentSortKey(SK)) return undefined;
  const commentId = SK.slice(SK.lastIndexOf('#') + 1);
  return { articleId: PK.slice(ARTICLE_PREFIX.length), commentId };
}
