/**
 * What the comment and moderation repository tests share: one comment, and the count updates
 * they expect, spelled out as literals rather than built by the code under test.
 */
import type { CommentRecord } from '../../../lambda/domain/comment';
import { fixedId, NOW } from '../fakes';

export const TABLE = 'talkback-test';
export const ARTICLE = 'russia-north-korea-ties';
export const CREATED_AT = new Date(NOW).toISOString();
export const COMMENT_ID = fixedId(NOW);
export const EMAIL_HASH = 'em4ilHash0123456789abc';
export const TOKEN_HASH = 't0kenHash0123456789abc';

/** Ada's comment on ARTICLE at NOW, published, without a website, unless `overrides` say so. */
export function commentRecord(overrides: Partial<CommentRecord> = {}): CommentRecord {
  return {
    commentId: COMMENT_ID,
    articleId: ARTICLE,
    parentId: null,
    authorName: 'Ada',
    authorWebsite: null,
    email: 'ada@example.com',
    emailHash: EMAIL_HASH,
    editTokenHash: TOKEN_HASH,
    body: 'Hello.',
    status: 'published',
    createdAt: CREATED_AT,
    editedAt: null,
    staff: false,
    pinned: false,
    ...overrides,
  };
}

const countUpdate = (SK: string, delta: number, now: string, postedAt?: string) => ({
  Update: {
    TableName: TABLE,
    Key: { PK: `ARTICLE#${ARTICLE}`, SK },
    UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${
      postedAt === undefined ? '' : ', firstCommentAt = if_not_exists(firstCommentAt, :postedAt)'
    }`,
    ExpressionAttributeValues: {
      ':delta': delta,
      ':entity': 'ArticleStats',
      ':articleId': ARTICLE,
      ':now': now,
      ...(postedAt === undefined ? {} : { ':postedAt': postedAt }),
    },
  },
});

/**
 * The updates of both of ARTICLE's comment counts by `delta`, made at `now`; `postedAt`, for a
 * comment that joins the count, is where the article's first comment time starts if it has none.
 */
export const countUpdates = (delta: number, now: string, postedAt?: string) => [
  countUpdate('COMMENT#!COUNT', delta, now, postedAt),
  countUpdate('COMMENT#~COUNT', delta, now, postedAt),
];
