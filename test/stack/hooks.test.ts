import { allFunctions, buildStack, functionLogicalId, policyStatementsOf } from './synth';

const HOOK_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:talkback-hook-AbCdEf';
const SECRET = 'whsec-0123456789-0123456789-abcdef';

describe('the moderation hook in the stack', () => {
  const { stack, template } = buildStack({
    moderationHook: JSON.stringify({
      url: 'https://mod.news.example/talkback',
      secretArn: HOOK_SECRET,
    }),
  });

  it('lets only the functions that screen read the hook’s secret, and nothing else of it', () => {
    const readers: string[] = [];
    for (const id of Object.keys(allFunctions(stack))) {
      const statements = policyStatementsOf(template, functionLogicalId(stack, id)).filter(
        (statement) => JSON.stringify(statement.Resource).includes(HOOK_SECRET),
      );
      if (statements.length === 0) continue;
      readers.push(id);
      expect(statements).toEqual([
        { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: HOOK_SECRET },
      ]);
    }
    expect(readers.sort()).toEqual(['CreateComment', 'EditComment']);
  });
});

describe('hook and webhook context', () => {
  it.each([
    [
      { moderationHook: JSON.stringify({ url: 'https://mod.news.example/', secret: SECRET }) },
      /Talkback context "moderationHook": "https:\/\/mod.news.example\/" gives its secret in context: put it in Secrets Manager/,
    ],
    [
      {
        webhooks: JSON.stringify([
          { url: 'https://a.example/in', secret: SECRET, events: ['comment.created'] },
        ]),
      },
      /Talkback context "webhooks": "https:\/\/a.example\/in" gives its secret in context/,
    ],
    [
      { slackWebhookUrl: 'https://hooks.slack.com/services/T0/B0/x' },
      /Talkback context "slackWebhookUrl": must be the ARN of a Secrets Manager secret/,
    ],
    [
      {
        moderationHook: JSON.stringify({ url: 'http://mod.news.example/', secretArn: HOOK_SECRET }),
      },
      /Talkback context "moderationHook": moderationHook.url must be an https URL/,
    ],
    [
      {
        webhooks: JSON.stringify([
          { url: 'https://a.example/in', secretArn: HOOK_SECRET, events: ['comment.liked'] },
        ]),
      },
      /Talkback context "webhooks": webhooks\[\].events must be a non-empty list/,
    ],
  ])('refuses %j in one line naming the key', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });
});
