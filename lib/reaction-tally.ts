import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Settings } from '../lambda/domain/settings';
import { STREAM_FILTERS } from '../lambda/store/stream-filters';
import { TalkbackFunction } from './talkback-function';

const HANDLER = path.join(__dirname, '..', 'lambda', 'handlers', 'tally-reactions.ts');

/** The key prefix of Vote items (PK `VOTE#<visitorHash>`), whose records start a tally. */
export const VOTE_KEY_PREFIX = 'VOTE#';

/**
 * How the tally reads the stream. A viral article's votes arrive as hundreds of records a
 * second; batching them for up to a second makes that a few tallies a second, each of which
 * recomputes the total from the counter shards (one batch read and one write), instead of one
 * per vote.
 */
export const TALLY_STREAM = {
  batchSize: 1000,
  maxBatchingWindow: Duration.seconds(1),
  /**
   * A failing batch is halved until the failing part is found, then retried this many times
   * before it goes to the failure queue. Splitting does not count as a retry.
   */
  retryAttempts: STREAM_FILTERS.tally.retryAttempts,
  /**
   * A batch may touch hundreds of articles, tallied one after another; well above what that
   * takes, so a busy batch is not cut off and retried for nothing.
   */
  timeout: Duration.minutes(1),
} as const;

export interface ReactionTallyProps {
  table: ITableV2;
  settings: Settings;
  /** TALKBACK_SETTINGS and TABLE_NAME, as the API's table functions get them (no secret: it does not hash). */
  environment: Record<string, string>;
  logRetention: RetentionDays;
  destroyOnRemoval: boolean;
}

/**
 * Keeps each article's reaction total (GET /counts) up to date off the write path: a function
 * on the table's stream that, for every article whose votes changed, recomputes the total from
 * the article's counter shards (lambda/handlers/tally-reactions.ts). Votes then write only their
 * own vote item and counter shard, so no single item takes every vote of a viral article.
 */
export class ReactionTally extends Construct {
  readonly function: TalkbackFunction;
  /** Where a batch that keeps failing is recorded (its shard and sequence numbers). */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: ReactionTallyProps) {
    super(scope, id);
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.function = new TalkbackFunction(this, 'TallyReactions', {
      entry: HANDLER,
      description: 'Talkback TallyReactions: reaction totals from the table stream',
      environment: props.environment,
      logRetention: props.logRetention,
      removalPolicy,
      timeout: TALLY_STREAM.timeout,
    });
    this.function.grantReactionTally(props.table, props.settings);

    // Holds the stream position of a batch that failed every retry (the records stay in the
    // stream for 24 hours); tallies are idempotent, so replaying it later is safe.
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination: the on-failure destination of the ' +
        "tally's stream event source mapping, which CDK-nag cannot see as a queue's DLQ.",
    });

    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: TALLY_STREAM.batchSize,
        maxBatchingWindow: TALLY_STREAM.maxBatchingWindow,
        bisectBatchOnError: true,
        retryAttempts: TALLY_STREAM.retryAttempts,
        onFailure: new SqsDlq(this.failures),
        // Only votes, likes and comments start a tally; counters, signals items and rate windows
        // never reach the function (and filtered records cost no invocation).
        filters: [
          ...STREAM_FILTERS.tally.partitionKeyPrefixes.map((prefix) =>
            FilterCriteria.filter({
              dynamodb: { Keys: { PK: { S: FilterRule.beginsWith(prefix) } } },
            }),
          ),
          FilterCriteria.filter({
            dynamodb: {
              Keys: { SK: { S: FilterRule.beginsWith(STREAM_FILTERS.tally.sortKeyPrefix) } },
            },
          }),
        ],
      }),
    );
  }
}
