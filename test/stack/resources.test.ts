/**
 * Room to grow (docs/architecture.md, "Resources"): CloudFormation refuses a stack of more than
 * 500 resources; Talkback keeps every synthesized stack, the parent and each area's nested stack
 * (lib/area-stacks.ts), under 300 with every option on, so the next routes have room. Webhooks
 * add their resources here when they come.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../../lambda/routes';
import { AREA_STACKS } from '../../lib/area-stacks';
import { buildStack } from './synth';

const RESOURCE_BUDGET = 300;

const EVERY_OPTION = {
  mailFrom: 'News <comments@news.example>',
  siteName: 'News',
  articleUrlTemplate: 'https://news.example/{articleId}',
  moderatorEmails: '["moderators@news.example"]',
  domainName: 'comments.news.example',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
  wafRateLimit: 2000,
  alarmEmail: 'ops@news.example',
  screening: 'guardrails',
  readers: JSON.stringify({
    issuers: [
      {
        issuer: 'https://news.example',
        audience: 'talkback',
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:talkback/reader-AbCdEf',
      },
    ],
  }),
};

describe('every synthesized stack, with every option on', () => {
  const { app } = buildStack(EVERY_OPTION, { env: { region: 'us-east-1' } });
  const stacks = app.node.findAll().filter(Stack.isStack);
  const counts = stacks.map(
    (stack) =>
      [stack.node.path, Object.keys(Template.fromStack(stack).toJSON().Resources).length] as const,
  );

  it('has every option in it (the web ACL, the mail queue, the guardrail)', () => {
    const template = Template.fromStack(stacks[0] as Stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.resourceCountIs('AWS::Bedrock::Guardrail', 1);
  });

  it("counts the parent and every area's nested stack", () => {
    const areas = [...new Set(ROUTES.map((route) => AREA_STACKS[route.area].id))];
    expect(counts.map(([path]) => path).sort()).toEqual(
      ['Talkback', ...areas.map((id) => `Talkback/Api/${id}`)].sort(),
    );
  });

  it(`holds fewer than ${RESOURCE_BUDGET} resources in each`, () => {
    // Names each stack over the budget with its count.
    expect(counts.filter(([, count]) => count >= RESOURCE_BUDGET)).toEqual([]);
  });
});
