import { Duration, Stack } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type Metric,
  Stats,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { tallyIteratorAge, type Watched } from './monitoring-alarms';
import { APP_METRICS, appMetric, ONE_MINUTE, tableThrottles } from './monitoring-metrics';

/**
 * The operators' dashboard, built into the monitoring construct (id `Dashboard`): the alarms'
 * states, then rows of the API's traffic, the functions' errors, throttles and duration (a line
 * per function), the app's own metrics, and the table and the tally.
 */
export function buildDashboard(scope: Construct, watched: Watched, alarms: Alarm[]): Dashboard {
  const { api, table, functions, tally } = watched;
  const dashboard = new Dashboard(scope, 'Dashboard', {
    dashboardName: Stack.of(scope).stackName,
    defaultInterval: Duration.hours(3),
  });
  // Labelled by construct id (the route), not by the generated function name.
  const perFunction = (metric: (fn: IFunction) => Metric) =>
    Object.entries(functions).map(([id, fn]) => metric(fn).with({ label: id }));
  const graph = (title: string, left: IMetric[], width = 8) =>
    new GraphWidget({ title, left, width, height: 6 });
  const app = (metricName: string, label: string, dimensions?: Record<string, string>) =>
    appMetric(metricName, ONE_MINUTE, dimensions).with({ label });
  const perMinute = { statistic: Stats.SUM, period: ONE_MINUTE };

  dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 4 }));
  dashboard.addWidgets(
    graph('API requests', [api.metricCount({ ...perMinute, label: 'requests' })]),
    graph('API 4xx and 5xx', [
      api.metricClientError({ ...perMinute, label: '4xx' }),
      api.metricServerError({ ...perMinute, label: '5xx' }),
    ]),
    graph('API latency p50 / p99', [
      api.metricLatency({ statistic: Stats.p(50), period: ONE_MINUTE, label: 'p50' }),
      api.metricLatency({ statistic: Stats.p(99), period: ONE_MINUTE, label: 'p99' }),
    ]),
  );
  dashboard.addWidgets(
    graph(
      'Lambda errors',
      perFunction((fn) => fn.metricErrors(perMinute)),
    ),
    graph(
      'Lambda throttles',
      perFunction((fn) => fn.metricThrottles(perMinute)),
    ),
    graph(
      'Lambda duration p99',
      perFunction((fn) => fn.metricDuration({ statistic: Stats.p(99), period: ONE_MINUTE })),
    ),
  );
  dashboard.addWidgets(
    graph(
      'Comments posted by status',
      APP_METRICS.commentStatuses.map((status) =>
        app(APP_METRICS.commentsPosted, status, { Status: status }),
      ),
    ),
    graph('Reactions written', [app(APP_METRICS.reactionsWritten, 'reactions')]),
    graph('Rate limited and validation failures', [
      app(APP_METRICS.rateLimited, 'rate limited'),
      app(APP_METRICS.validationFailures, 'validation failures'),
    ]),
  );
  dashboard.addWidgets(
    graph('DynamoDB consumed capacity', [
      table.metricConsumedReadCapacityUnits({ ...perMinute, label: 'read units' }),
      table.metricConsumedWriteCapacityUnits({ ...perMinute, label: 'write units' }),
    ]),
    graph('DynamoDB throttles', [
      tableThrottles(table, ONE_MINUTE),
      app(APP_METRICS.dynamoDbThrottles, 'throttled calls seen by the functions'),
    ]),
    graph('Tally iterator age', [tallyIteratorAge(tally, ONE_MINUTE, 'iterator age (ms)')]),
  );
  return dashboard;
}
