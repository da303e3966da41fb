import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnDashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnGlobalTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import type { CfnTopic } from 'aws-cdk-lib/aws-sns';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import { FUNCTIONS_PER_ALARM, TABLE_OPERATIONS } from '../../lib/talkback-monitoring';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { buildStack, functionLogicalId, logicalId, TALLY_FUNCTION_ID } from './synth';

type Properties = Record<string, unknown>;
interface MetricStat {
  Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
  Period: number;
  Stat: string;
}
interface MetricQuery {
  Id: string;
  Expression?: string;
  MetricStat?: MetricStat;
  ReturnData?: boolean;
}

const FUNCTION_IDS = [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id, TALLY_FUNCTION_ID];
/** The alarms that are not one per function. */
const STACK_ALARMS = [
  'Api5xxRate',
  'TableThrottles',
  'TallyIteratorAge',
  'TallyFailures',
  'CommentSpike',
];

function alarmNamed(template: Template, name: string): Properties {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
    Properties: Properties;
  }[];
  const alarm = alarms.find((candidate) => candidate.Properties.AlarmName === name);
  if (!alarm) throw new Error(`no alarm ${name}`);
  return alarm.Properties;
}

describe('TalkbackMonitoring with default context', () => {
  let stack: TalkbackStack;
  let template: Template;
  let topicId: string;
  beforeAll(() => {
    ({ stack, template } = buildStack());
    topicId = logicalId(stack, stack.monitoring.topic.node.defaultChild as CfnTopic);
  });

  describe('alarm topic', () => {
    it('is one topic encrypted with its own rotated KMS key', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      const key = stack.monitoring.topic.masterKey?.node.defaultChild as CfnKey;
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
      });
      template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true, PendingWindowInDays: 7 },
        // Nothing outlives the topic that the key would still have to decrypt.
        DeletionPolicy: 'Delete',
      });
    });

    it('lets CloudWatch use the key, which the AWS managed aws/sns key would not allow', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it("refuses publishing without TLS and lets only this account's alarms publish", () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': Match.anyValue() },
              },
            }),
          ]),
        },
      });
    });

    it('has no subscription unless alarmEmail is set', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('is an output, so operators can subscribe other endpoints', () => {
      template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
    });
  });

  describe('alarms', () => {
    it('are an errors and a throttles alarm per 10 functions, plus the stack-wide ones', () => {
      template.resourceCountIs(
        'AWS::CloudWatch::Alarm',
        Math.ceil(FUNCTION_IDS.length / FUNCTIONS_PER_ALARM) * 2 + STACK_ALARMS.length,
      );
    });

    it('all notify the topic when they fire and when they clear, and say what to do', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
        Properties: Properties;
      }[];
      for (const { Properties: alarm } of alarms) {
        expect(alarm).toMatchObject({
          AlarmActions: [{ Ref: topicId }],
          OKActions: [{ Ref: topicId }],
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmName: expect.stringMatching(/^Talkback-/),
        });
        expect(String(alarm.AlarmDescription).length).toBeGreaterThan(100);
      }
    });

    it('Api5xxRate: over 1% of at least 20 requests answered 5xx in 5 minutes', () => {
      const alarm = alarmNamed(template, 'Talkback-Api5xxRate');
      expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
      const queries = alarm.Metrics as MetricQuery[];
      const expression = queries.find((query) => query.Expression);
      expect(expression?.Expression).toBe(
        'IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)',
      );
      const apiId = { Ref: logicalId(stack, stack.api.api.node.defaultChild as CfnApi) };
      for (const [id, metricName] of [
        ['errors', '5xx'],
        ['requests', 'Count'],
      ]) {
        expect(queries.find((query) => query.Id === id)?.MetricStat).toEqual({
          Metric: {
            Namespace: 'AWS/ApiGateway',
            MetricName: metricName,
            Dimensions: [{ Name: 'ApiId', Value: apiId }],
          },
          Period: 300,
          Stat: 'Sum',
        });
      }
    });

    it.each(['Errors', 'Throttles'])(
      'Function%s: every function in exactly one alarm of at most 10, any in 5 minutes',
      (metricName) => {
        const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
          .map(
            (alarm) =>
              (alarm as { Properties: Properties & { Metrics?: MetricQuery[] } }).Properties,
          )
          .filter((alarm) =>
            new RegExp(`^Talkback-Function${metricName}\\d+$`).test(String(alarm.AlarmName)),
          );
        expect(alarms.length).toBe(Math.ceil(FUNCTION_IDS.length / FUNCTIONS_PER_ALARM));
        const covered: unknown[] = [];
        for (const alarm of alarms) {
          const metrics = (alarm.Metrics ?? []).filter((query) => query.MetricStat);
          expect(metrics.length).toBeLessThanOrEqual(FUNCTIONS_PER_ALARM);
          expect(alarm.Metrics?.find((query) => query.ReturnData !== false)?.Expression).toBe(
            `SUM([${metrics.map((query) => query.Id).join(', ')}])`,
          );
          expect(alarm).toMatchObject({ Threshold: 0, EvaluationPeriods: 1 });
          for (const query of metrics) {
            expect(query.MetricStat).toMatchObject({
              Metric: { Namespace: 'AWS/Lambda', MetricName: metricName },
              Period: 300,
              Stat: 'Sum',
            });
            covered.push(query.MetricStat?.Metric.Dimensions?.[0]?.Value);
          }
        }
        expect(covered).toEqual(
          expect.arrayContaining(FUNCTION_IDS.map((id) => ({ Ref: functionLogicalId(stack, id) }))),
        );
        expect(covered).toHaveLength(FUNCTION_IDS.length);
      },
    );

    it('TableThrottles: any throttled request to the table in 5 minutes, over every operation used', () => {
      const alarm = alarmNamed(template, 'Talkback-TableThrottles');
      expect(alarm).toMatchObject({ Threshold: 0, EvaluationPeriods: 1 });
      const queries = alarm.Metrics as MetricQuery[];
      const tableId = logicalId(stack, stack.table.table.node.defaultChild as CfnGlobalTable);
      const stats = queries.filter((query) => query.MetricStat);
      expect(stats.map((query) => query.MetricStat)).toEqual(
        TABLE_OPERATIONS.map((operation) => ({
          Metric: {
            Namespace: 'AWS/DynamoDB',
            MetricName: 'ThrottledRequests',
            Dimensions: expect.arrayContaining([
              { Name: 'Operation', Value: operation },
              { Name: 'TableName', Value: { Ref: tableId } },
            ]),
          },
          Period: 300,
          Stat: 'Sum',
        })),
      );
      // DynamoDB publishes ThrottledRequests only for throttled operations: `a + b` would have
      // no value unless all were throttled together, so the sum is SUM over an array.
      const ids = stats.map((query) => query.Id);
      expect(queries.find((query) => query.Expression)?.Expression).toBe(
        `SUM([${ids.join(', ')}])`,
      );
    });

    it('TallyIteratorAge: the tally over 60 s behind the stream for 5 minutes running', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Talkback-TallyIteratorAge',
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: functionLogicalId(stack, TALLY_FUNCTION_ID) } },
        ],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        Threshold: 60_000,
      });
    });

    it('TallyFailures: any batch in the tally failure queue', () => {
      const queue = stack.reactionTally.failures.node.defaultChild as CfnQueue;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Talkback-TallyFailures',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, queue), 'QueueName'] } },
        ],
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 0,
      });
    });

    it('CommentSpike: more than 100 comments (any status) in 5 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Talkback-CommentSpike',
        Namespace: 'Talkback',
        MetricName: 'CommentsPosted',
        // The dimension set without Status: every comment, whatever became of it.
        Dimensions: [{ Name: 'Service', Value: 'talkback' }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 100,
      });
    });
  });

  describe('dashboard', () => {
    const body = () => {
      const dashboard = stack.monitoring.dashboard.node.defaultChild as CfnDashboard;
      const properties = template.toJSON().Resources[logicalId(stack, dashboard)].Properties;
      return {
        name: properties.DashboardName as string,
        text: JSON.stringify(properties.DashboardBody),
      };
    };

    it('is one dashboard named after the stack', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(body().name).toBe('Talkback');
    });

    it.each([
      'Alarms',
      'API requests',
      'API 4xx and 5xx',
      'API latency p50 / p99',
      'Lambda errors',
      'Lambda throttles',
      'Lambda duration p99',
      'Comments posted by status',
      'Reactions written',
      'Rate limited and validation failures',
      'DynamoDB consumed capacity',
      'DynamoDB throttles',
      'Tally iterator age',
    ])('has the widget "%s"', (title) => {
      expect(body().text).toContain(`\\"title\\":\\"${title}\\"`);
    });

    it.each([
      'CommentsPosted',
      'ReactionsWritten',
      'RateLimited',
      'ValidationFailures',
      'DynamoDbThrottles',
    ])('graphs the app metric %s from the Talkback namespace', (metricName) => {
      expect(body().text).toContain(
        `[\\"Talkback\\",\\"${metricName}\\",\\"Service\\",\\"talkback\\"`,
      );
    });

    it('graphs comments by each status', () => {
      for (const status of ['published', 'pending', 'spam']) {
        expect(body().text).toContain(
          `[\\"Talkback\\",\\"CommentsPosted\\",\\"Service\\",\\"talkback\\",\\"Status\\",\\"${status}\\"`,
        );
      }
    });
  });
});

describe('TalkbackMonitoring context', () => {
  it('subscribes alarmEmail to the topic', () => {
    const { stack, template } = buildStack({ alarmEmail: 'ops@news.example' });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@news.example',
      TopicArn: { Ref: logicalId(stack, stack.monitoring.topic.node.defaultChild as CfnTopic) },
    });
  });

  it('takes the spam-wave threshold from commentSpikeThreshold', () => {
    const { template } = buildStack({ commentSpikeThreshold: '250' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Talkback-CommentSpike',
      Threshold: 250,
    });
  });

  it.each([
    [{ alarmEmail: 'not-an-address' }, /"alarmEmail": must be one email address/],
    [{ alarmEmail: 5 }, /"alarmEmail": must be one email address/],
    [{ commentSpikeThreshold: 0 }, /"commentSpikeThreshold": must be a number of at least 1/],
    [
      { commentSpikeThreshold: 'many' },
      /"commentSpikeThreshold": must be a number of at least 1, got "many"/,
    ],
  ])('rejects bad context %j', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });
});
