import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { CommentStatus } from '../lambda/domain/comment';
import { type CountMetric, METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/http/metrics';

/**
 * Talkback's own metrics, as the functions emit them in Embedded Metric Format: every metric
 * carries the dimension Service=talkback; CommentsPosted is also emitted with Status. All are
 * counts.
 */
export const APP_METRICS = {
  // The names the functions write (lambda/http/metrics.ts); typed, so a rename there breaks here.
  namespace: METRICS_NAMESPACE,
  service: SERVICE_NAME,
  commentsPosted: 'CommentsPosted',
  reactionsWritten: 'ReactionsWritten',
  rateLimited: 'RateLimited',
  validationFailures: 'ValidationFailures',
  dynamoDbThrottles: 'DynamoDbThrottles',
  /** The values of CommentsPosted's Status dimension. */
  commentStatuses: ['published', 'pending', 'spam'],
} as const satisfies {
  namespace: string;
  service: string;
  commentsPosted: CountMetric;
  reactionsWritten: CountMetric;
  rateLimited: CountMetric;
  validationFailures: CountMetric;
  dynamoDbThrottles: CountMetric;
  commentStatuses: readonly CommentStatus[];
};

/**
 * The table operations Talkback's functions call (see their grants in talkback-function.ts),
 * plus the stream's GetRecords. An alarm's math may hold at most 10 metrics, so the throttle
 * alarm names these rather than all 14 operations DynamoDB reports.
 */
export const TABLE_OPERATIONS: readonly Operation[] = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.GET_RECORDS,
];

/** Alarm thresholds that are not deployment settings. */
export const ALARM_THRESHOLDS = {
  /** Percent of API requests answered 5xx in 5 minutes. */
  serverErrorPercent: 1,
  /** Below this many requests in 5 minutes the 5xx rate is not judged. */
  serverErrorMinRequests: 20,
  /** How far behind the table stream the tally may fall, in milliseconds. */
  iteratorAgeMs: 60_000,
} as const;

export const FIVE_MINUTES = Duration.minutes(5);
/** Dashboard graphs: the finest period the AWS metrics here are published at. */
export const ONE_MINUTE = Duration.minutes(1);

/** The most metrics one alarm's math may hold: a function alarm covers this many functions. */
export const FUNCTIONS_PER_ALARM = 10;

/** The sum of one metric over a group of functions, labelled by construct id. */
export function sumOf(
  label: string,
  group: [string, IFunction][],
  metric: (fn: IFunction) => Metric,
): MathExpression {
  const usingMetrics = Object.fromEntries(
    group.map(([id, fn], index) => [`f${index}`, metric(fn).with({ label: id })]),
  );
  return new MathExpression({
    label,
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    period: FIVE_MINUTES,
  });
}

/** The API's 5xx answers as a percentage of its requests, 0 below the minimum of requests. */
export function serverErrorRate(api: IHttpApi, period: Duration): MathExpression {
  const { serverErrorMinRequests } = ALARM_THRESHOLDS;
  return new MathExpression({
    label: '5xx (% of requests)',
    expression: `IF(requests >= ${serverErrorMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
    usingMetrics: {
      errors: api.metricServerError({ statistic: Stats.SUM, period }),
      requests: api.metricCount({ statistic: Stats.SUM, period }),
    },
    period,
  });
}

/**
 * ThrottledRequests of the table, summed over its operations. Not CDK's
 * metricThrottledRequestsForOperations: that adds the operations with `+`, and DynamoDB
 * publishes the metric only for operations that were throttled, so the sum would have no
 * value (and the alarm never fire) unless every operation were throttled at once. SUM over
 * an array adds whatever series have a value.
 */
export function tableThrottles(table: ITableV2, period: Duration): MathExpression {
  const usingMetrics = Object.fromEntries(
    TABLE_OPERATIONS.map((operation) => [
      operation.toLowerCase(),
      table.metric('ThrottledRequests', {
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: Stats.SUM,
        period,
      }),
    ]),
  );
  return new MathExpression({
    label: 'ThrottledRequests',
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    period,
  });
}

/** One of Talkback's own metrics (APP_METRICS), summed over the period. */
export function appMetric(
  metricName: string,
  period: Duration,
  dimensions: Record<string, string> = {},
): Metric {
  return new Metric({
    namespace: APP_METRICS.namespace,
    metricName,
    dimensionsMap: { Service: APP_METRICS.service, ...dimensions },
    statistic: Stats.SUM,
    period,
  });
}
