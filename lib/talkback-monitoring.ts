import { Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type Dashboard,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { alarmTopic } from './alarm-topic';
import { alarmRows, type Watched } from './monitoring-alarms';
import { buildDashboard } from './monitoring-dashboard';

export {
  ALARM_THRESHOLDS,
  APP_METRICS,
  FUNCTIONS_PER_ALARM,
  TABLE_OPERATIONS,
} from './monitoring-metrics';

export interface TalkbackMonitoringProps extends Watched {
  /** Subscribed to the alarm topic by email (the recipient confirms it). Default: nobody. */
  alarmEmail?: string;
}

/**
 * What an operator watches: the alarms of `alarmRows` (lib/monitoring-alarms.ts: 5xx rate,
 * function errors and throttles, table throttles, a stream falling behind, a spam wave), each
 * sent to one SNS topic (lib/alarm-topic.ts) when it fires and when it clears, and one dashboard
 * of the traffic and the app's own metrics (lib/monitoring-dashboard.ts).
 */
export class TalkbackMonitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: TalkbackMonitoringProps) {
    super(scope, id);
    this.topic = alarmTopic(this);
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    this.alarms = alarmRows(props).map((row) => {
      const alarm = new Alarm(this, row.id, {
        alarmName: `${Stack.of(this).stackName}-${row.id}`,
        alarmDescription: row.description,
        metric: row.metric,
        threshold: row.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: row.evaluationPeriods ?? 1,
        // No data means no traffic (or no failing batch), which is not a fault.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
    this.dashboard = buildDashboard(this, props, this.alarms);
  }
}
