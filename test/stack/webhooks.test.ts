import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { HOOK_SECRET, SLACK_SECRET, webhooksStack } from './webhooks-stack';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function build(webhooks?: Record<string, unknown>[]) {
  const app = new App({ context: { [BUNDLING_STACKS]: [] } });
  const built = webhooksStack(app, webhooks);
  const template = Template.fromStack(built.stack);
  const statementsOf = (fn: typeof built.construct.sender): Statement[] => {
    if (!fn.role) throw new Error(`${fn.node.id} has no role`);
    const role = built.stack.resolve((fn.role.node.defaultChild as CfnElement).logicalId);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  };
  return { ...built, template, statementsOf };
}

describe('TalkbackWebhooks', () => {
  const { stack, construct, template, statementsOf, hashSecret, linkSecret } = build();
  const id = (element: CfnElement) => stack.resolve(element.logicalId) as string;

  it('tries a delivery eight times, then keeps it in an encrypted dead-letter queue with an alarm', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 360,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [id(construct.deadLetters.node.defaultChild as CfnElement), 'Arn'],
        },
        maxReceiveCount: 8,
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('webhook or Slack deliveries failed every try'),
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: {
            'Fn::GetAtt': [id(construct.deadLetters.node.defaultChild as CfnElement), 'QueueName'],
          },
        },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('the webhook dispatcher failed a stream batch'),
    });
  });

  it('gives the dispatcher comment changes and deletions from the stream, and the sender the queue with partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id(construct.dispatcher.node.defaultChild as CfnElement) },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FilterCriteria: {
        Filters: ['INSERT', 'MODIFY', 'REMOVE'].map((eventName) => ({
          Pattern: JSON.stringify({
            eventName: [eventName],
            dynamodb: { Keys: { SK: { S: [{ prefix: 'COMMENT#' }] } } },
          }),
        })),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id(construct.sender.node.defaultChild as CfnElement) },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets neither function read an email, and only the sender the secrets', () => {
    const reads = (statements: Statement[]) =>
      statements.filter((s) => [s.Action].flat().some((a) => /GetItem$/.test(a)));
    for (const fn of [construct.dispatcher, construct.sender]) {
      const [read] = reads(statementsOf(fn));
      const allowed = read?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
      expect(allowed).toEqual(expect.arrayContaining(['status', 'holdReasons', 'moderatedAt']));
      expect(allowed).not.toContain('email');
      expect(allowed).not.toContain('emailHash');
    }
    expect(
      statementsOf(construct.dispatcher).some((s) => String(s.Action).startsWith('secretsmanager')),
    ).toBe(false);
    expect(statementsOf(construct.sender)).toContainEqual({
      Action: 'secretsmanager:GetSecretValue',
      Effect: 'Allow',
      Resource: [
        { Ref: id(hashSecret.node.defaultChild as CfnElement) },
        { Ref: id(linkSecret.node.defaultChild as CfnElement) },
        HOOK_SECRET,
        SLACK_SECRET,
      ],
    });
  });

  it('confines the sender’s markers to their partition and attributes', () => {
    expect(statementsOf(construct.sender)).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Condition: expect.objectContaining({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['HOOK#*'] },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['PK', 'SK', 'entity', 'expiresAt'],
          },
        }),
      }),
    );
  });

  it('gives the sender the links of the Slack message', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TALKBACK_WEBHOOK_LINKS: JSON.stringify({
            apiUrl: 'https://api.news.example/',
            consoleUrl: 'https://news.example/admin/',
          }),
        }),
      },
    });
  });

  it('lets the sender alone read the email where an endpoint opted in', () => {
    const optedIn = build([
      {
        url: 'https://a.example/in',
        secretArn: HOOK_SECRET,
        events: ['comment.created'],
        includeEmail: true,
      },
    ]);
    const attributesOf = (fn: typeof construct.sender) =>
      optedIn.statementsOf(fn).find((s) => [s.Action].flat().some((a) => /GetItem$/.test(a)))
        ?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'];
    expect(attributesOf(optedIn.construct.sender)).toContain('email');
    expect(attributesOf(optedIn.construct.dispatcher)).not.toContain('email');
  });
});
