/**
 * Which of the table's stream records each consumer is given, and how often a batch it fails is
 * retried before it is set aside. The stack's event source mappings (lib/reaction-tally.ts, and
 * lib/delivery-pipeline.ts for mail and the webhooks) are built from these rules, and the local
 * server's poller (bin/local/stream-poller.ts) applies them, so a consumer sees the same records on AWS and on
 * `npm start`.
 */
import type { DynamoDBRecord } from 'aws-lambda';

export const STREAM_FILTERS = {
  /**
   * Votes (PK `VOTE#<visitorHash>`), likes (PK `LIKE#<voterHash>`) and every change of a comment
   * (SK `COMMENT#...`, deletions included: its signals item follows it; a count item's SK starts
   * so too, and the tally skips it). Counters, signals items and rate windows start no tally.
   */
  tally: {
    partitionKeyPrefixes: ['VOTE#', 'LIKE#'],
    sortKeyPrefix: 'COMMENT#',
    retryAttempts: 5,
  },
  /**
   * Comments written or changed (SK `COMMENT#...`; a count item's SK starts so too, and the
   * dispatcher skips it), and reports written or decided (SK `REPORT#...`, a notifier's mail):
   * votes, counters, rate windows and the mail's own items never reach it.
   */
  mail: {
    eventNames: ['INSERT', 'MODIFY'],
    sortKeyPrefixes: ['COMMENT#', 'REPORT#'],
    retryAttempts: 5,
  },
  /** Comments written, changed or deleted (a deletion is `comment.removed`): lambda/webhooks/. */
  webhooks: {
    eventNames: ['INSERT', 'MODIFY', 'REMOVE'],
    sortKeyPrefix: 'COMMENT#',
    retryAttempts: 5,
  },
} as const;

export const tallyWants = (record: DynamoDBRecord): boolean => {
  const { PK, SK } = record.dynamodb?.Keys ?? {};
  return (
    STREAM_FILTERS.tally.partitionKeyPrefixes.some((prefix) => PK?.S?.startsWith(prefix)) ||
    SK?.S?.startsWith(STREAM_FILTERS.tally.sortKeyPrefix) === true
  );
};

export const mailWants = (record: DynamoDBRecord): boolean =>
  (STREAM_FILTERS.mail.eventNames as readonly string[]).includes(record.eventName ?? '') &&
  STREAM_FILTERS.mail.sortKeyPrefixes.some(
    (prefix) => record.dynamodb?.Keys?.SK?.S?.startsWith(prefix) === true,
  );

export const webhooksWant = (record: DynamoDBRecord): boolean =>
  (STREAM_FILTERS.webhooks.eventNames as readonly string[]).includes(record.eventName ?? '') &&
  record.dynamodb?.Keys?.SK?.S?.startsWith(STREAM_FILTERS.webhooks.sortKeyPrefix) === true;
