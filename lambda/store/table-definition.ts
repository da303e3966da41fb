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
  sortKey: KeyAttribute;
  /** Attributes copied into the index besides the keys. */
  projection: 'KEYS_ONLY' | 'ALL' | { include: string[] };
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  globalIndexes: IndexDefinition[];
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  // Epoch seconds; items that carry it (rate-limit windows, later) expire on their own.
  timeToLiveAttribute: 'expiresAt',
  globalIndexes: [],
};
