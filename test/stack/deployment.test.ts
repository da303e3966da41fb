/**
 * Deploying it (docs/configuration.md): where the stack goes and what it is called, every
 * context mistake refused in one line before anything is built (or warned about), and the
 * template's stateful parts kept under the feature flags cdk.json sets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { deploymentOf } from '../../lib/deployment';
import { TalkbackStack } from '../../lib/talkback-stack';
import { buildStack, CDK_JSON_CONTEXT } from './synth';

const DOMAIN = {
  domainName: 'comments.news.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
};
const MAIL = {
  mailFrom: 'News <comments@news.example>',
  siteName: 'News',
  articleUrlTemplate: 'https://news.example/{articleId}',
};

function warningsOf(context: Record<string, unknown>): string[] {
  const { stack } = buildStack(context);
  return Annotations.fromStack(stack)
    .findWarning('*', Match.anyValue())
    .map((warning) => String(warning.entry.data));
}

describe('where the stack goes (lib/deployment.ts)', () => {
  const app = (context: Record<string, unknown> = {}) => new App({ context }).node;

  it('takes account and region from the CDK CLI, and keeps the name Talkback', () => {
    const deployment = deploymentOf(app(), {
      CDK_DEFAULT_ACCOUNT: '123456789012',
      CDK_DEFAULT_REGION: 'eu-west-1',
    });
    expect(deployment.stackName).toBe('Talkback');
    expect(deployment.props.env).toEqual({ account: '123456789012', region: 'eu-west-1' });
  });

  it('lets context choose the region and name the stage', () => {
    const deployment = deploymentOf(app({ region: 'us-east-1', stage: 'staging' }), {
      CDK_DEFAULT_REGION: 'eu-west-1',
    });
    expect(deployment.stackName).toBe('Talkback-staging');
    expect(deployment.props.env).toEqual({ region: 'us-east-1' });
  });

  it('stays environment-agnostic with neither (offline synth)', () => {
    expect(deploymentOf(app(), {}).props.env).toBeUndefined();
  });

  it.each([
    [{ stage: 'my stage' }, /"stage": must be a letter/],
    [{ region: 'Ireland' }, /"region": must be an AWS region such as eu-west-1/],
    [{ account: '1234' }, /"account": must be a 12-digit AWS account id/],
  ])('refuses %j', (context, message) => {
    expect(() => deploymentOf(app(context), {})).toThrow(message);
  });
});

describe('a stage', () => {
  it('names the alarms, the dashboard and the topic after the stack', () => {
    const { template } = buildStack({}, { stackName: 'Talkback-staging' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Talkback-staging-Api5xxRate',
    });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'Talkback-staging',
    });
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Talkback-staging alarms' });
  });
});

describe('wafRateLimit', () => {
  it('creates the web ACL in a stack deployed to us-east-1', () => {
    const { template } = buildStack({ wafRateLimit: 2000 }, { env: { region: 'us-east-1' } });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
  });

  it.each([
    ['in another region', { env: { region: 'eu-west-1' } }, /region is eu-west-1/],
    ['with no region', {}, /the stack has no region/],
  ])('is refused in one line %s, naming the fix', (_, props, where) => {
    expect(() => buildStack({ wafRateLimit: 2000 }, props)).toThrow(where);
    expect(() => buildStack({ wafRateLimit: 2000 }, props)).toThrow(
      /^Talkback context "wafRateLimit": .*-c region=us-east-1.*webAclArn$/,
    );
  });
});

describe("the README's deploy: allowedOrigins, with or without a domainName", () => {
  const README = { allowedOrigins: 'https://news.example,https://www.news.example' };

  // The console calls the API through its own distribution (test/stack/edge.test.ts), so it
  // needs nothing of the API's CORS, and no second deploy.
  it.each([
    ['without a domainName', README],
    ['with one', { ...README, ...DOMAIN }],
  ])("keeps the API's CORS to the listed origins %s, and warns of nothing", (_, context) => {
    const { template } = buildStack(context);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://news.example', 'https://www.news.example'],
      }),
    });
    expect(warningsOf(context)).toEqual([]);
  });
});

describe('context mistakes', () => {
  it.each([
    [{ alarmEmail: '["ops@news.example"]' }, /"alarmEmail": must be one email address/],
    [{ ...MAIL, mailFrom: 'News comments@news.example' }, /"mailFrom": .*angle brackets/],
    [{ moderatorMfa: 'off' }, /"moderatorMfa": must be "required" \(the default\) or "optional"/],
    [
      { rateLimits: '{"commentsPerMinute":30}' },
      /"rateLimits": commentsPerMinute \(30\) is above commentsPerHour \(20\)/,
    ],
    [
      { rateLimits: { reactionsPerHour: 10 } },
      /reactionsPerMinute \(30\) is above reactionsPerHour \(10\)/,
    ],
    [{ throttleRate: 700 }, /"throttleRate": 700 is above throttleBurst \(600\)/],
    [
      { allowedOrigin: 'https://news.example' },
      /"allowedOrigin": .*did you mean "allowedOrigins"\?/,
    ],
    [{ AlarmEmail: 'ops@news.example' }, /did you mean "alarmEmail"\?/],
  ])('refuses %j in one line', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });

  it.each([
    ['mailFrom as an address alone', { ...MAIL, mailFrom: 'comments@news.example' }],
    ['mailFrom as a name and an address', MAIL],
    ['moderatorMfa=required', { moderatorMfa: 'required' }],
  ])('accepts %s', (_, context) => {
    expect(() => buildStack(context)).not.toThrow();
  });

  it.each([
    [
      'a mail key without mailFrom',
      { siteName: 'News' },
      /"siteName": does nothing without mailFrom/,
    ],
    [
      'a key that is no setting',
      { newsroomTeam: 'web' },
      /"newsroomTeam": is not a Talkback setting/,
    ],
  ])('warns about %s', (_, context, message) => {
    expect(warningsOf(context)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['domainName', { domainName: 'not a host', certificateArn: DOMAIN.certificateArn }],
    ['webAclArn', { webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b' }],
    ['mail', { ...MAIL, articleUrlTemplate: 'https://news.example/' }],
    ['moderatorMfa', { moderatorMfa: 'sometimes' }],
  ])('fails on %s before building anything, so no function is bundled', (_, context) => {
    const app = new App({ context: { ...CDK_JSON_CONTEXT, [BUNDLING_STACKS]: [], ...context } });
    expect(() => new TalkbackStack(app, 'Talkback')).toThrow(/^Talkback context "/);
    const stack = app.node.findChild('Talkback');
    expect(stack.node.children.map((child) => child.node.id)).toEqual([]);
  });
});

describe('reserved concurrency', () => {
  it('warns when the total needs more than the default account limit', () => {
    const warnings = warningsOf({ reservedConcurrency: 100 });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Talkback context "reservedConcurrency": \d+ functions reserve 100 each .*at least \d+ \(Lambda keeps 100 unreserved/,
      ),
    ]);
  });
});

describe("cdk.json's feature flags", () => {
  const recommended: Record<string, unknown> = JSON.parse(
    readFileSync(
      join(__dirname, '..', '..', 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'),
      'utf8',
    ),
  );
  /** Set against the recommendation, for the reason in docs/architecture.md ("Feature flags"). */
  const KEPT = { '@aws-cdk/aws-lambda:useCdkManagedLogGroup': false };

  it('sets every flag aws-cdk-lib recommends, but the ones kept on purpose', () => {
    expect(CDK_JSON_CONTEXT).toMatchObject({ ...recommended, ...KEPT });
  });

  it('keeps the logical ids of everything that holds data or a name', () => {
    const { template } = buildStack(CDK_JSON_CONTEXT);
    const ids = Object.keys(template.toJSON().Resources);
    expect(ids).toEqual(
      expect.arrayContaining([
        'DataTableFDBAD0F2',
        'ApiHashSecret694704E3',
        'ApiLinkSecret2D8949AD',
        'TallyFailuresF1129E1A',
        'ModeratorsUserPoolD30AEF45',
        'ModeratorsIdentityPool2F0F56C7',
        'EdgeAccessLogsC159D9EF',
        'EdgeWidget000FD8DE',
        'EdgeDistribution0060737B',
        'MonitoringAlarmTopicAF62D4F1',
      ]),
    );
  });
});
