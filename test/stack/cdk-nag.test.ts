/**
 * cdk-nag's AwsSolutions pack over the whole app. cdk-nag 3 runs as a CDK policy-validation
 * plugin (no longer an Aspect): synthesis writes validation-report.json into the cloud
 * assembly and fails on any unacknowledged error. Acknowledgments are made in lib/ with
 * `Validations.of(construct).acknowledge({ id, reason })`, next to the resource they concern.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { BUNDLING_STACKS, VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TalkbackStack } from '../../lib/talkback-stack';
import { HOOK_SECRET, SLACK_SECRET, webhooksStack } from './webhooks-stack';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
}
interface Report {
  pluginReports: { pluginName: string; violations: Violation[] }[];
}

/** Synthesizes with the AwsSolutions pack and returns its unacknowledged errors. */
function nagErrors(build: (app: App) => Stack): { errors: string[]; stack: Stack } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'talkback-nag-'));
  try {
    const app = new App({ outdir, context: { [BUNDLING_STACKS]: [] } });
    const stack = build(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    let failure: unknown;
    try {
      app.synth();
    } catch (error) {
      failure = error;
    }
    const report = JSON.parse(
      readFileSync(path.join(outdir, VALIDATION_REPORT_FILE), 'utf8'),
    ) as Report;
    const errors = report.pluginReports
      .filter((plugin) => plugin.pluginName === 'AwsSolutions')
      .flatMap((plugin) => plugin.violations)
      .filter((violation) => violation.severity === 'error' || violation.severity === 'fatal')
      .flatMap((violation) =>
        violation.violatingConstructs.map((c) => `${violation.ruleName} at ${c.constructPath}`),
      );
    // The synth must fail exactly when there are errors, or the report is not what we think.
    expect(failure !== undefined).toBe(errors.length > 0);
    return { errors, stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('cdk-nag AwsSolutions', () => {
  it('reports an unacknowledged finding (the check can fail)', () => {
    const { errors } = nagErrors((app) => {
      const stack = new Stack(app, 'Probe');
      new Secret(stack, 'Unrotated');
      return stack;
    });
    expect(errors).toEqual([expect.stringMatching(/^AwsSolutions-SMG4 at Probe\/Unrotated/)]);
  });

  it('finds none in the webhooks construct, beside its table', () => {
    const { errors } = nagErrors((app) => webhooksStack(app).stack);
    expect(errors).toEqual([]);
  });

  it("reports one in a nested stack too, as the routes' area stacks are", () => {
    const { errors } = nagErrors((app) => {
      const stack = new Stack(app, 'Probe');
      new Secret(new NestedStack(stack, 'Area'), 'Unrotated');
      return stack;
    });
    expect(errors).toEqual([expect.stringMatching(/^AwsSolutions-SMG4 at Probe\/Area\/Unrotated/)]);
  });

  it('finds no unacknowledged error in the Talkback stack', () => {
    const { errors } = nagErrors((app) => new TalkbackStack(app, 'Talkback'));
    expect(errors).toEqual([]);
  });

  it('finds none with a custom domain and a web ACL either', () => {
    const { errors } = nagErrors((app) => {
      app.node.setContext('domainName', 'comments.news.example');
      app.node.setContext(
        'certificateArn',
        'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      );
      app.node.setContext(
        'webAclArn',
        'arn:aws:wafv2:us-east-1:123456789012:global/webacl/talkback/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      );
      return new TalkbackStack(app, 'Talkback');
    });
    expect(errors).toEqual([]);
  });

  it('finds none with screening by Guardrails through a cross-Region profile', () => {
    const { errors } = nagErrors((app) => {
      app.node.setContext('screening', 'guardrails');
      app.node.setContext('guardrailProfile', 'eu.guardrail.v1:0');
      return new TalkbackStack(app, 'Talkback');
    });
    expect(errors).toEqual([]);
  });

  it('finds none with mail and the webhooks composed into it', () => {
    const { errors, stack } = nagErrors((app) => {
      for (const [key, value] of Object.entries({
        mailFrom: 'News <comments@news.example>',
        siteName: 'News',
        articleUrlTemplate: 'https://news.example/{articleId}',
        webhooks: JSON.stringify([
          { url: 'https://a.example/in', secretArn: HOOK_SECRET, events: ['comment.created'] },
        ]),
        slackWebhookUrl: SLACK_SECRET,
      })) {
        app.node.setContext(key, value);
      }
      return new TalkbackStack(app, 'Talkback');
    });
    expect((stack as TalkbackStack).webhooks).toBeDefined();
    expect(errors).toEqual([]);
  });

  it('has a real reason for every acknowledgment', () => {
    const stack = new TalkbackStack(new App({ context: { [BUNDLING_STACKS]: [] } }), 'Talkback');
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>)),
      );
    expect(
      new Set(
        acknowledged.map(([id]) =>
          id.replace(/^Annotation::/, '').replace(/<ApiHttpApi[0-9A-F]+>/, '<Api>'),
        ),
      ),
    ).toEqual(
      new Set([
        'AwsSolutions-APIG4',
        'AwsSolutions-SMG4',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-SQS3',
        // The moderators' pool and role (lib/talkback-moderators.ts).
        'AwsSolutions-COG3',
        'AwsSolutions-COG8',
        // Its role invokes each route the console calls, by method and path: a path parameter
        // is a wildcard.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/DELETE/admin/comments/*/feature]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/DELETE/admin/comments/*/pin]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/DELETE/admin/comments/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/GET/admin/articles/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/GET/admin/commenters/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/PATCH/admin/articles/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/PATCH/admin/comments/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/POST/admin/articles/*/comments]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/PUT/admin/commenters/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/PUT/admin/comments/*/feature]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<Api>/$default/PUT/admin/comments/*/pin]',
        // The CDN (lib/talkback-edge.ts): its log bucket, its distribution's defaults, and
        // CDK's deploy-time function that copies the widget into its bucket.
        'AwsSolutions-S1',
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
        'AwsSolutions-L1',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Resource::<EdgeWidget000FD8DE.Arn>/*]',
        // CDK's own, on the access-log bucket it opens to S3's log delivery with an ACL.
        'CloudFormation-Validate::W3045',
      ]),
    );
    for (const [, reason] of acknowledged) {
      expect(reason.length).toBeGreaterThanOrEqual(60);
      expect(reason).not.toMatch(/^(todo|n\/?a|none|ok|suppress(ed)?|tbd)\b/i);
    }
  });
});
