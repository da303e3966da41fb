import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildStack, logicalId } from './synth';

const MAIL_CONTEXT = {
  mailFrom: 'News Site <comments@news.example>',
  siteName: 'News Site',
  articleUrlTemplate: 'https://news.example/{articleId}',
  moderatorEmails: ['moderator@news.example'],
};

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statementsOf(
  template: ReturnType<typeof buildStack>['template'],
  roleLogicalId: string,
): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const actions = (statements: Statement[]) =>
  statements.flatMap((statement) => [statement.Action].flat()).sort();

describe('TalkbackMail', () => {
  it('adds nothing without the mailFrom context', () => {
    const { stack, template } = buildStack();
    expect(stack.mail).toBeUndefined();
    template.resourceCountIs('AWS::SES::ConfigurationSet', 0);
  });

  it('refuses a bad mail context by name', () => {
    expect(() =>
      buildStack({ ...MAIL_CONTEXT, articleUrlTemplate: 'https://news.example/' }),
    ).toThrow(/"articleUrlTemplate"/);
  });

  const { stack, template } = buildStack(MAIL_CONTEXT);
  const mail = stack.mail;
  if (!mail) throw new Error('no mail construct');
  const roleOf = (fn: typeof mail.sender) =>
    logicalId(stack, fn.role?.node.defaultChild as CfnElement);

  it('suppresses bounces and complaints through its configuration set', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('retries a job a few times, then keeps it in an encrypted dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: Match.anyValue(),
        maxReceiveCount: 5,
      },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
    });
  });

  it('alarms into the alarm topic when a job or a stream batch ends in a dead-letter queue', () => {
    const topic = logicalId(stack, stack.monitoring.topic.node.defaultChild as CfnElement);
    for (const queue of [mail.deadLetters, mail.dispatchFailures]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [logicalId(stack, queue.node.defaultChild as CfnElement), 'QueueName'],
            },
          },
        ],
        Threshold: 0,
        AlarmActions: [{ Ref: topic }],
      });
    }
  });

  it('runs the dispatcher on comment and report keys only, and the sender with batch item failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack, mail.dispatcher.node.defaultChild as CfnFunction) },
      FilterCriteria: {
        // Inserts and changes (a held reply's approval notifies; a notice received, then
        // decided, mails its notifier), never removals.
        Filters: ['INSERT', 'MODIFY'].flatMap((eventName) =>
          ['COMMENT#', 'REPORT#'].map((prefix) => ({
            Pattern: JSON.stringify({
              eventName: [eventName],
              dynamodb: { Keys: { SK: { S: [{ prefix }] } } },
            }),
          })),
        ),
      },
      BisectBatchOnFunctionError: true,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(stack, mail.sender.node.defaultChild as CfnFunction) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the sender send only as the sender domain, through the configuration set', () => {
    const ses = statementsOf(template, roleOf(mail.sender)).filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('ses:')),
    );
    expect(ses).toHaveLength(1);
    expect(JSON.stringify(ses[0]?.Resource)).toContain(':identity/news.example');
    expect(JSON.stringify(ses[0]?.Resource)).toContain(':configuration-set/');
  });

  it('gives each mail function only the table actions it uses', () => {
    const dynamo = (statements: Statement[]) =>
      actions(statements).filter(
        (action) =>
          action.startsWith('dynamodb:') &&
          !/Stream|ListStreams|DescribeStream|GetRecords|GetShardIterator/.test(action),
      );
    expect(dynamo(statementsOf(template, roleOf(mail.dispatcher))).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamo(statementsOf(template, roleOf(mail.sender))).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });
});
