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

/** What Ada's comment holds under the same name in its record and in its item. */
const ADA_COMMENT = {
  commentId: COMMENT_ID,
  articleId: ARTICLE,
  authorName: 'Ada',
  email: 'ada@example.com',
  emailHash: EMAIL_HASH,
  editTokenHash: TOKEN_HASH,
  body: 'Hello.',
  status: 'published',
  createdAt: CREATED_AT,
} as const;

/** Ada's comment on ARTICLE at NOW, published, without a website, unless `overrides` say so. */
export function commentRecord(overrides: Partial<CommentRecord> = {}): CommentRecord {
  return {
    ...ADA_COMMENT,
    parentId: null,
    authorWebsite: null,
    editedAt: null,
    staff: false,
    pinned: false,
    ...overrides,
  };
}

/** The key of Ada's comment in the table. */
export const COMMENT_KEY = { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` };

/** commentRecord() as its item in the table: its key, its entity, and no null attribute. */
export const commentItem = (overrides: Record<string, unknown> = {}) => ({
  ...COMMENT_KEY,
  entity: 'Comment',
  ...ADA_COMMENT,
  ...overrides,
});

/**
 * The head (`COMMENT#!COUNT`) also lists the article in the index `articles`; `postedAt`, for a
 * comment that joins the count, is where the article's first comment time starts if it has none.
 */
const countUpdate = (SK: string, delta: number, now: string, postedAt?: string) => {
  const head = SK === 'COMMENT#!COUNT';
  return {
    Update: {
      TableName: TABLE,
      Key: { PK: `ARTICLE#${ARTICLE}`, SK },
      UpdateExpression: `ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now${head ? ', articleList = :articleList' : ''}${
        postedAt === undefined ? '' : ', firstCommentAt = if_not_exists(firstCommentAt, :postedAt)'
      }`,
      ExpressionAttributeValues: {
        ':delta': delta,
        ':entity': 'ArticleStats',
        ':articleId': ARTICLE,
        ':now': now,
        ...(head ? { ':articleList': 'ARTICLE' } : {}),
        ...(postedAt === undefined ? {} : { ':postedAt': postedAt }),
      },
    },
  };
};

/** The updates of both of ARTICLE's comment counts by `delta`, made at `now`. */
export const countUpdates = (delta: number, now: string, postedAt?: string) => [
  countUpdate('COMMENT#!COUNT', delta, now, postedAt),
  countUpdate('COMMENT#~COUNT', delta, now, postedAt),
];

/** The ExpressionAttributeNames that go with a projection of `#name` placeholders. */
export const namesOf = (projection: string): Record<string, string> =>
  Object.fromEntries(projection.split(', ').map((name) => [name, name.slice(1)]));
