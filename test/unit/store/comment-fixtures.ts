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

const countUpdate = (SK: string, delta: number, now: string) => ({
  Update: {
    TableName: TABLE,
    Key: { PK: `ARTICLE#${ARTICLE}`, SK },
    // The first stats item also heads the article in index byTop.
    UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${
      SK === 'COMMENT#!COUNT' ? ', topOf = :topOf, topRank = :topRank' : ''
    }`,
    ExpressionAttributeValues: {
      ':delta': delta,
      ':entity': 'ArticleStats',
      ':articleId': ARTICLE,
      ':now': now,
      ...(SK === 'COMMENT#!COUNT' ? { ':topOf': `ARTICLE#${ARTICLE}`, ':topRank': '!' } : {}),
    },
  },
});

/** The updates of both of ARTICLE's comment counts by `delta`, made at `now`. */
export const countUpdates = (delta: number, now: string) => [
  countUpdate('COMMENT#!COUNT', delta, now),
  countUpdate('COMMENT#~COUNT', delta, now),
];
