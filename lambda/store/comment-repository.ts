import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CommentRecord, PublicCommentFields } from '../domain/comment';
import { ParentNotFoundError } from '../domain/errors';
import { ulidTime } from '../domain/ids';
import type { CommentPage, CommentPageQuery, CommentStore } from '../domain/ports';
import { PUBLIC_COMMENT_ATTRIBUTES, projection } from './attributes';
import { cancellationReasons, translateStoreError } from './errors';
import { COMMENT_RANGE, ENTITY, isCommentSortKey, keys } from './keys';

type Item = Record<string, unknown>;

const PAGE_PROJECTION = projection([
  'PK',
  'SK',
  'entity',
  ...PUBLIC_COMMENT_ATTRIBUTES,
  'commentCount',
]);

/** The count items at both ends of an article's comment range, as one transaction's updates. */
function countUpdates(tableName: string, articleId: string, delta: number, now: string) {
  return [keys.statsHead(articleId), keys.statsTail(articleId)].map((Key) => ({
    Update: {
      TableName: tableName,
      Key,
      UpdateExpression:
        'ADD commentCount :delta SET entity = :entity, articleId = :articleId, updatedAt = :now',
      ExpressionAttributeValues: {
        ':delta': delta,
        ':entity': ENTITY.articleStats,
        ':articleId': articleId,
        ':now': now,
      },
    },
  }));
}

function toFields(item: Item): PublicCommentFields {
  return {
    commentId: String(item.commentId),
    articleId: String(item.articleId),
    parentId: typeof item.parentId === 'string' ? item.parentId : null,
    authorName: String(item.authorName),
    authorWebsite: typeof item.authorWebsite === 'string' ? item.authorWebsite : null,
    body: String(item.body),
    createdAt: String(item.createdAt),
    editedAt: typeof item.editedAt === 'string' ? item.editedAt : null,
  };
}

export class CommentRepository implements CommentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async insert(record: CommentRecord): Promise<void> {
    const { articleId, parentId } = record;
    const item: Item = {
      ...keys.comment(articleId, record.createdAt, record.commentId),
      entity: ENTITY.comment,
      ...record,
      parentId: parentId ?? undefined,
      authorWebsite: record.authorWebsite ?? undefined,
      editedAt: record.editedAt ?? undefined,
    };
    const parentCheck =
      parentId === null
        ? []
        : [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.comment(articleId, new Date(ulidTime(parentId)).toISOString(), parentId),
                ConditionExpression: '#status = :published',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':published': 'published' },
              },
            },
          ];
    const counted = record.status === 'published';
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...parentCheck,
            {
              Put: {
                TableName: this.tableName,
                Item: item,
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...(counted ? countUpdates(this.tableName, articleId, 1, record.createdAt) : []),
          ],
        }),
      );
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (parentCheck.length > 0 && reasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new ParentNotFoundError();
      }
      translateStoreError(error);
    }
  }

  /**
   * One Query: the page of comments and, on a first page, the count item that sorts at its
   * start. One item more than asked is read to know whether another page follows.
   */
  async page(query: CommentPageQuery): Promise<CommentPage> {
    const { articleId, order, limit, after } = query;
    const partition = keys.articlePartition(articleId);
    let output: { Items?: Item[]; LastEvaluatedKey?: Item };
    try {
      output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
          FilterExpression: '#entity = :stats OR #status = :published',
          Select: 'SPECIFIC_ATTRIBUTES',
          ...PAGE_PROJECTION,
          ExpressionAttributeValues: {
            ':pk': partition,
            ':first': COMMENT_RANGE.first,
            ':last': COMMENT_RANGE.last,
            ':stats': ENTITY.articleStats,
            ':published': 'published',
          },
          ScanIndexForward: order === 'oldest',
          Limit: limit + (after === undefined ? 2 : 1),
          ExclusiveStartKey: after === undefined ? undefined : { PK: partition, SK: after },
        }),
      );
    } catch (error) {
      translateStoreError(error);
    }
    const items = output.Items ?? [];
    const stats = items.find((item) => item.entity === ENTITY.articleStats);
    const comments = items.filter((item) => item.entity === ENTITY.comment);
    const page = comments.slice(0, limit);
    let nextAfter: string | null = null;
    if (comments.length > limit) {
      nextAfter = String(page[page.length - 1]?.SK);
    } else if (output.LastEvaluatedKey && isCommentSortKey(String(output.LastEvaluatedKey.SK))) {
      nextAfter = String(output.LastEvaluatedKey.SK);
    }
    return {
      commentCount:
        after === undefined
          ? typeof stats?.commentCount === 'number'
            ? stats.commentCount
            : 0
          : undefined,
      comments: page.map(toFields),
      nextAfter,
    };
  }
}
