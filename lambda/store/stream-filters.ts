/**
 * Which of the table's stream records each consumer is given, and how often a batch it fails is
 * retried before it is set aside. The stack's event source mappings (lib/reaction-tally.ts,
 * lib/talkback-mail.ts, lib/talkback-webhooks.ts) are built from these rules, and the local server's poller
 * (bin/local/stream-poller.ts) applies them, so a consumer sees the same records on AWS and on
 * `npm start`.
 */
import type { DynamoDBRecord } from 'aws-lambda';

export const STREAM_FILTERS = {
  /** Votes only (PK `VOTE#<visitorHash>`): comments, counters and rate windows start no tally. */
  tally: { partitionKeyPrefix: 'VOTE#', retryAttempts: 5 },
  /**
   * Comments written or changed (SK `COMMENT#...`; a count item's SK starts so too, and the
   * dispatcher skips it): votes, counters, rate windows and the mail's own items never reach it.
   */
  mail: { eventNames: ['INSERT', 'MODIFY'], sortKeyPrefix: 'COMMENT#', retryAttempts: 5 },
  /** Comments written, changed or deleted (a deletion is `comment.removed`): lambda/webhooks/. */
  webhooks: {
    eventNames: ['INSERT', 'MODIFY', 'REMOVE'],
    sortKeyPrefix: 'COMMENT#',
    retryAttempts: 5,
  },
} as const;

export const tallyWants = (record: DynamoDBRecord): boolean =>
  record.dynamodb?.Keys?.PK?.S?.startsWith(STREAM_FILTERS.tally.partitionKeyPrefix) === true;

export const mailWants = (record: DynamoDBRecord): boolean =>
  (STREAM_FILTERS.mail.eventNames as readonly string[]).includes(record.eventName ?? '') &&
  record.dynamodb?.Keys?.SK?.S?.startsWith(STREAM_FILTERS.mail.sortKeyPrefix) === true;

export const webhooksWant = (record: DynamoDBRecord): boolean =>
  (STREAM_FILTERS.webhooks.eventNames as readonly string[]).includes(record.eventName ?? '') &&
  record.dynamodb?.Keys?.SK?.S?.startsWith(STREAM_FILTERS.webhooks.sortKeyPrefix) === true;
