import type { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { type IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  ALARM_THRESHOLDS,
  APP_METRICS,
  appMetric,
  FIVE_MINUTES,
  FUNCTIONS_PER_ALARM,
  ONE_MINUTE,
  serverErrorRate,
  sumOf,
  tableThrottles,
} from './monitoring-metrics';

/** What the alarms watch (TalkbackMonitoringProps less the topic's subscriber). */
export interface Watched {
  api: IHttpApi;
  table: ITableV2;
  /** Every function of the stack, by construct id (the routes', the fallback, the tally). */
  functions: Record<string, IFunction>;
  /** The function on the table stream, whose iterator age tells how far behind it is. */
  tally: IFunction;
  /** Where the tally records batches that failed every retry. */
  tallyFailures: IQueue;
  /** Comments in 5 minutes, any status, above which a spam wave is reported. */
  commentSpikeThreshold: number;
}

/** One alarm: its construct id (part of its name), what it measures, and what to do. */
export interface AlarmRow {
  id: string;
  metric: IMetric;
  /** Fires above this. */
  threshold: number;
  /** Default 1. */
  evaluationPeriods?: number;
  description: string;
}

const FUNCTION_STAT = { statistic: Stats.SUM, period: FIVE_MINUTES } as const;

/**
 * Every alarm, in the order the dashboard shows them: the signals that need a person (5xx rate,
 * function errors and throttles, table throttles, a stream falling behind, a spam wave).
 */
export function alarmRows(watched: Watched): AlarmRow[] {
  const { serverErrorPercent, serverErrorMinRequests, iteratorAgeMs } = ALARM_THRESHOLDS;
  const threshold = watched.commentSpikeThreshold;
  return [
    {
      id: 'Api5xxRate',
      metric: serverErrorRate(watched.api, FIVE_MINUTES),
      threshold: serverErrorPercent,
      description:
        `More than ${serverErrorPercent}% of API requests in 5 minutes (of at least ` +
        `${serverErrorMinRequests}) were answered 5xx. Open the dashboard: if DynamoDB or ` +
        'Lambda throttles rise with it, it is load (see those alarms); otherwise search the ' +
        "functions' logs in Logs Insights for status >= 500 to find the route and the error " +
        'name, and the X-Ray traces of those requests.',
    },
    ...functionAlarmRows(watched.functions),
    {
      id: 'TableThrottles',
      metric: tableThrottles(watched.table, FIVE_MINUTES),
      threshold: 0,
      description:
        'DynamoDB throttled requests to the Talkback table in the last 5 minutes. The table ' +
        'is on-demand, so this is a hot key (one article taking most votes or comments) or a ' +
        'sudden jump past twice the previous peak. The SDK retries and the API answers 503 ' +
        'with Retry-After; if it persists, look for the article in CloudWatch Contributor ' +
        'Insights for DynamoDB, and consider more reactionShards.',
    },
    {
      id: 'TallyIteratorAge',
      metric: tallyIteratorAge(watched.tally, ONE_MINUTE),
      threshold: iteratorAgeMs,
      evaluationPeriods: 5,
      description:
        `The reaction tally has been more than ${iteratorAgeMs / 1000} s behind the table ` +
        'stream for 5 minutes, so GET /counts totals are stale (votes themselves are safe). ' +
        'Check the TallyReactions function for errors or throttles; a batch that keeps ' +
        'failing is retried, then recorded in the tally failure queue.',
    },
    {
      id: 'TallyFailures',
      metric: watched.tallyFailures.metricApproximateNumberOfMessagesVisible({
        statistic: Stats.MAXIMUM,
        period: FIVE_MINUTES,
      }),
      threshold: 0,
      description:
        'A batch of vote changes failed every retry and its stream position is in the tally ' +
        'failure queue: some article totals may be stale. Read the error in the TallyReactions ' +
        'logs, fix it, then replay: tallies are idempotent, and the records stay in the ' +
        'stream for 24 hours.',
    },
    {
      id: 'CommentSpike',
      metric: appMetric(APP_METRICS.commentsPosted, FIVE_MINUTES),
      threshold,
      description:
        `More than ${threshold} comments were posted in 5 minutes (context ` +
        'commentSpikeThreshold), which looks like a spam wave. Check "Comments posted by ' +
        'status" on the dashboard and the moderation queue (GET /admin/comments); if it is ' +
        'spam, set moderationPolicy=all or lower the rateLimits and redeploy, and delete the ' +
        'spam. If it is a genuinely busy article, raise commentSpikeThreshold.',
    },
  ];
}

/** How far behind the table stream the tally is, in milliseconds. */
export function tallyIteratorAge(tally: IFunction, period: Duration, label?: string): IMetric {
  return tally.metric('IteratorAge', {
    statistic: Stats.MAXIMUM,
    period,
    ...(label ? { label } : {}),
  });
}

/**
 * Errors and throttles of every function, in alarms of up to 10 functions each (the most
 * metrics an alarm's math may hold): SUM over an array adds whichever functions have data, so
 * any one failing fires its group's alarm, which names its functions; the dashboard's Lambda
 * graphs show which. Two alarms per function would be 60 of the stack's resources
 * (docs/architecture.md, "Resources").
 */
function functionAlarmRows(functions: Record<string, IFunction>): AlarmRow[] {
  const entries = Object.entries(functions);
  const rows: AlarmRow[] = [];
  for (let start = 0; start < entries.length; start += FUNCTIONS_PER_ALARM) {
    const group = entries.slice(start, start + FUNCTIONS_PER_ALARM);
    const number = start / FUNCTIONS_PER_ALARM + 1;
    const names = group.map(([id]) => id).join(', ');
    rows.push(
      {
        id: `FunctionErrors${number}`,
        metric: sumOf('Errors', group, (fn) => fn.metricErrors(FUNCTION_STAT)),
        threshold: 0,
        description:
          `One of these functions failed (an uncaught error or a timeout) in the last 5 minutes: ${names}. ` +
          'Handled faults answer 5xx and are not counted here, so this is a crash, a timeout ' +
          'or a bad deployment: find the function on the dashboard ("Lambda errors"), read the ' +
          'ERROR lines of its log group and its X-Ray traces, and roll back if it started with a deploy.',
      },
      {
        id: `FunctionThrottles${number}`,
        metric: sumOf('Throttles', group, (fn) => fn.metricThrottles(FUNCTION_STAT)),
        threshold: 0,
        description:
          `Lambda refused to run one of these functions (throttled) in the last 5 minutes: ${names}. ` +
          'It hit its reserved concurrency (context reservedConcurrency) or the account limit, ' +
          'and callers got errors. Find it on the dashboard ("Lambda throttles"). If it is a ' +
          'flood, the cap is working; check RateLimited. If it is real traffic, raise ' +
          'reservedConcurrency and redeploy.',
      },
    );
  }
  return rows;
}
