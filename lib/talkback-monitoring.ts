import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITableV2, Operation } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
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

const FIVE_MINUTES = Duration.minutes(5);

/** The most metrics one alarm's math may hold: a function alarm covers this many functions. */
export const FUNCTIONS_PER_ALARM = 10;

const FUNCTION_STAT = { statistic: Stats.SUM, period: FIVE_MINUTES } as const;

/** The sum of one metric over a group of functions, labelled by construct id. */
function sumOf(
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
/** Dashboard graphs: the finest period the AWS metrics here are published at. */
const ONE_MINUTE = Duration.minutes(1);

export interface TalkbackMonitoringProps {
  api: IHttpApi;
  table: ITableV2;
  /** Every function of the stack, by construct id (the routes', the fallback, the tally). */
  functions: Record<string, IFunction>;
  /** The function on the table stream, whose iterator age tells how far behind it is. */
  tally: IFunction;
  /** Where the tally records batches that failed every retry. */
  tallyFailures: IQueue;
  /** Subscribed to the alarm topic by email (the recipient confirms it). Default: nobody. */
  alarmEmail?: string;
  /** Comments in 5 minutes, any status, above which a spam wave is reported. */
  commentSpikeThreshold: number;
}

/**
 * What an operator watches: alarms on the signals that need a person (5xx rate, function errors
 * and throttles, table throttles, a stream falling behind, a spam wave) sent to one SNS topic,
 * and one dashboard of the traffic and the app's own metrics.
 */
export class TalkbackMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  private readonly props: TalkbackMonitoringProps;

  constructor(scope: Construct, id: string, props: TalkbackMonitoringProps) {
    super(scope, id);
    this.props = props;
    this.topic = this.alarmTopic();
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.apiAlarms();
    this.functionAlarms();
    this.tableAlarms();
    this.tallyAlarms();
    this.spamAlarm();

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      defaultInterval: Duration.hours(3),
    });
    this.addWidgets();
  }

  /**
   * Encrypted with a customer managed key rather than the AWS managed aws/sns: CloudWatch must
   * be allowed to use the key to publish, and aws/sns's key policy cannot be changed, so
   * alarms sent to a topic under aws/sns are silently never delivered.
   */
  private alarmTopic(): Topic {
    const stack = Stack.of(this);
    // Deleted with the stack, whatever destroyOnRemoval says: it protects only messages in
    // flight, and a retained key would go on costing money and protect nothing.
    const key = new Key(this, 'TopicKey', {
      description: `${stack.stackName}: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // As the SNS guide's "compatibility with AWS services" policy: CloudWatch uses the key only
    // while publishing, which the topic policy below confines to this account's alarms.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `${stack.stackName} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one; without
    // this statement CloudWatch may not publish to it at all.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    return topic;
  }

  /** An alarm that notifies the topic when it fires and when it clears. */
  private alarm(
    id: string,
    options: {
      metric: IMetric;
      threshold: number;
      evaluationPeriods?: number;
      description: string;
    },
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${Stack.of(this).stackName}-${id}`,
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      // No data means no traffic (or no failing batch), which is not a fault.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }

  private serverErrorRate(period: Duration): MathExpression {
    const { api } = this.props;
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

  private apiAlarms(): void {
    const { serverErrorPercent, serverErrorMinRequests } = ALARM_THRESHOLDS;
    this.alarm('Api5xxRate', {
      metric: this.serverErrorRate(FIVE_MINUTES),
      threshold: serverErrorPercent,
      description:
        `More than ${serverErrorPercent}% of API requests in 5 minutes (of at least ` +
        `${serverErrorMinRequests}) were answered 5xx. Open the dashboard: if DynamoDB or ` +
        'Lambda throttles rise with it, it is load (see those alarms); otherwise search the ' +
        "functions' logs in Logs Insights for status >= 500 to find the route and the error " +
        'name, and the X-Ray traces of those requests.',
    });
  }

  /**
   * Errors and throttles of every function, in alarms of up to 10 functions each (the most
   * metrics an alarm's math may hold): SUM over an array adds whichever functions have data, so
   * any one failing fires its group's alarm, which names its functions; the dashboard's Lambda
   * graphs show which. Two alarms per function would be 60 of the stack's resources
   * (docs/architecture.md, "Resources").
   */
  private functionAlarms(): void {
    const entries = Object.entries(this.props.functions);
    for (let start = 0; start < entries.length; start += FUNCTIONS_PER_ALARM) {
      const group = entries.slice(start, start + FUNCTIONS_PER_ALARM);
      const number = start / FUNCTIONS_PER_ALARM + 1;
      const names = group.map(([id]) => id).join(', ');
      this.alarm(`FunctionErrors${number}`, {
        metric: sumOf('Errors', group, (fn) => fn.metricErrors(FUNCTION_STAT)),
        threshold: 0,
        description:
          `One of these functions failed (an uncaught error or a timeout) in the last 5 minutes: ${names}. ` +
          'Handled faults answer 5xx and are not counted here, so this is a crash, a timeout ' +
          'or a bad deployment: find the function on the dashboard ("Lambda errors"), read the ' +
          'ERROR lines of its log group and its X-Ray traces, and roll back if it started with a deploy.',
      });
      this.alarm(`FunctionThrottles${number}`, {
        metric: sumOf('Throttles', group, (fn) => fn.metricThrottles(FUNCTION_STAT)),
        threshold: 0,
        description:
          `Lambda refused to run one of these functions (throttled) in the last 5 minutes: ${names}. ` +
          'It hit its reserved concurrency (context reservedConcurrency) or the account limit, ' +
          'and callers got errors. Find it on the dashboard ("Lambda throttles"). If it is a ' +
          'flood, the cap is working; check RateLimited. If it is real traffic, raise ' +
          'reservedConcurrency and redeploy.',
      });
    }
  }

  /**
   * ThrottledRequests of the table, summed over its operations. Not CDK's
   * metricThrottledRequestsForOperations: that adds the operations with `+`, and DynamoDB
   * publishes the metric only for operations that were throttled, so the sum would have no
   * value (and the alarm never fire) unless every operation were throttled at once. SUM over
   * an array adds whatever series have a value.
   */
  private tableThrottles(period: Duration): MathExpression {
    const { table } = this.props;
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

  private tableAlarms(): void {
    this.alarm('TableThrottles', {
      metric: this.tableThrottles(FIVE_MINUTES),
      threshold: 0,
      description:
        'DynamoDB throttled requests to the Talkback table in the last 5 minutes. The table ' +
        'is on-demand, so this is a hot key (one article taking most votes or comments) or a ' +
        'sudden jump past twice the previous peak. The SDK retries and the API answers 503 ' +
        'with Retry-After; if it persists, look for the article in CloudWatch Contributor ' +
        'Insights for DynamoDB, and consider more reactionShards.',
    });
  }

  private tallyAlarms(): void {
    const { iteratorAgeMs } = ALARM_THRESHOLDS;
    this.alarm('TallyIteratorAge', {
      metric: this.props.tally.metric('IteratorAge', {
        statistic: Stats.MAXIMUM,
        period: ONE_MINUTE,
      }),
      threshold: iteratorAgeMs,
      evaluationPeriods: 5,
      description:
        `The reaction tally has been more than ${iteratorAgeMs / 1000} s behind the table ` +
        'stream for 5 minutes, so GET /counts totals are stale (votes themselves are safe). ' +
        'Check the TallyReactions function for errors or throttles; a batch that keeps ' +
        'failing is retried, then recorded in the tally failure queue.',
    });
    this.alarm('TallyFailures', {
      metric: this.props.tallyFailures.metricApproximateNumberOfMessagesVisible({
        statistic: Stats.MAXIMUM,
        period: FIVE_MINUTES,
      }),
      threshold: 0,
      description:
        'A batch of vote changes failed every retry and its stream position is in the tally ' +
        'failure queue: some article totals may be stale. Read the error in the TallyReactions ' +
        'logs, fix it, then replay: tallies are idempotent, and the records stay in the ' +
        'stream for 24 hours.',
    });
  }

  private appMetric(
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

  private spamAlarm(): void {
    const threshold = this.props.commentSpikeThreshold;
    this.alarm('CommentSpike', {
      metric: this.appMetric(APP_METRICS.commentsPosted, FIVE_MINUTES),
      threshold,
      description:
        `More than ${threshold} comments were posted in 5 minutes (context ` +
        'commentSpikeThreshold), which looks like a spam wave. Check "Comments posted by ' +
        'status" on the dashboard and the moderation queue (GET /admin/comments); if it is ' +
        'spam, set moderationPolicy=all or lower the rateLimits and redeploy, and delete the ' +
        'spam. If it is a genuinely busy article, raise commentSpikeThreshold.',
    });
  }

  private addWidgets(): void {
    const { api, table, functions, tally } = this.props;
    // Labelled by construct id (the route), not by the generated function name.
    const perFunction = (metric: (fn: IFunction) => Metric) =>
      Object.entries(functions).map(([id, fn]) => metric(fn).with({ label: id }));
    const graph = (title: string, left: IMetric[], width = 8) =>
      new GraphWidget({ title, left, width, height: 6 });

    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('API requests', [
        api.metricCount({ statistic: Stats.SUM, period: ONE_MINUTE, label: 'requests' }),
      ]),
      graph('API 4xx and 5xx', [
        api.metricClientError({ statistic: Stats.SUM, period: ONE_MINUTE, label: '4xx' }),
        api.metricServerError({ statistic: Stats.SUM, period: ONE_MINUTE, label: '5xx' }),
      ]),
      graph('API latency p50 / p99', [
        api.metricLatency({ statistic: Stats.p(50), period: ONE_MINUTE, label: 'p50' }),
        api.metricLatency({ statistic: Stats.p(99), period: ONE_MINUTE, label: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors',
        perFunction((fn) => fn.metricErrors({ statistic: Stats.SUM, period: ONE_MINUTE })),
      ),
      graph(
        'Lambda throttles',
        perFunction((fn) => fn.metricThrottles({ statistic: Stats.SUM, period: ONE_MINUTE })),
      ),
      graph(
        'Lambda duration p99',
        perFunction((fn) => fn.metricDuration({ statistic: Stats.p(99), period: ONE_MINUTE })),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Comments posted by status',
        APP_METRICS.commentStatuses.map((status) =>
          this.appMetric(APP_METRICS.commentsPosted, ONE_MINUTE, { Status: status }).with({
            label: status,
          }),
        ),
      ),
      graph('Reactions written', [
        this.appMetric(APP_METRICS.reactionsWritten, ONE_MINUTE).with({ label: 'reactions' }),
      ]),
      graph('Rate limited and validation failures', [
        this.appMetric(APP_METRICS.rateLimited, ONE_MINUTE).with({ label: 'rate limited' }),
        this.appMetric(APP_METRICS.validationFailures, ONE_MINUTE).with({
          label: 'validation failures',
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('DynamoDB consumed capacity', [
        table.metricConsumedReadCapacityUnits({
          statistic: Stats.SUM,
          period: ONE_MINUTE,
          label: 'read units',
        }),
        table.metricConsumedWriteCapacityUnits({
          statistic: Stats.SUM,
          period: ONE_MINUTE,
          label: 'write units',
        }),
      ]),
      graph('DynamoDB throttles', [
        this.tableThrottles(ONE_MINUTE),
        this.appMetric(APP_METRICS.dynamoDbThrottles, ONE_MINUTE).with({
          label: 'throttled calls seen by the functions',
        }),
      ]),
      graph('Tally iterator age', [
        tally.metric('IteratorAge', {
          statistic: Stats.MAXIMUM,
          period: ONE_MINUTE,
          label: 'iterator age (ms)',
        }),
      ]),
    );
  }
}
