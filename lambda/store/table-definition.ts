/**
 * The one definition of the Talkback table: key schema, indexes and TTL attribute. The CDK
 * construct builds the deployed table from it and the local bootstrap creates the DynamoDB
 * Local table from it, so the two cannot drift.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Attributes copied into the index besides the keys. */
  projection: 'KEYS_ONLY' | 'ALL' | { include: string[] };
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  /** The table's stream: the tally of reaction totals reads it (keys are all it needs). */
  stream: 'KEYS_ONLY';
  globalIndexes: IndexDefinition[];
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  // Epoch seconds; items that carry it (rate-limit windows) expire on their own.
  timeToLiveAttribute: 'expiresAt',
  stream: 'KEYS_ONLY',
  globalIndexes: [
    // The moderation queue: comments by status across all articles, oldest first. Only
    // comments carry `status`, so the index holds nothing else. Operators' reads only.
    {
      indexName: 'byStatus',
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'ALL',
    },
    // Erasure: every comment by one email, found by a keyed hash of the normalised email
    // (never the email itself as a key).
    {
      indexName: 'byEmailHash',
      partitionKey: { name: 'emailHash', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    // Operators list the articles (the export): only an article's head stats item carries
    // `articleList` (lambda/store/keys.ts ARTICLE_LIST), one per article, written once.
    {
      indexName: 'articles',
      partitionKey: { name: 'articleList', type: 'S' },
      sortKey: { name: 'articleId', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    // A commenter's record (docs/moderation.md): their comments across articles, oldest first,
    // with each one's status for the counts. Only comments carry `createdAt` with `commenterId`.
    {
      indexName: 'byCommenter',
      partitionKey: { name: 'commenterId', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: { include: ['status'] },
    },
    // Operators act on a comment by its id alone.
    {
      indexName: 'byCommentId',
      partitionKey: { name: 'commentId', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    // The Top order: an article's comments by likes, most first, then oldest first, headed by
    // its first stats item (lambda/store/keys.ts, topRank), so a page in this order is one Query
    // as in the table. It projects ALL: a page reads more attributes (24 with the articles'
    // settings) than CloudFormation lets an index INCLUDE (20). As on the table, IAM's public
    // allow-list (lib/table-conditions.ts) confines public reads to public attributes.
    {
      indexName: 'byTop',
      partitionKey: { name: 'topOf', type: 'S' },
      sortKey: { name: 'topRank', type: 'S' },
      projection: 'ALL',
    },
  ],
};
