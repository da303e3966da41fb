/**
 * The webhooks construct in a stack of its own, beside the table it reads, for its stack test and
 * cdk-nag (until the Talkback stack composes it: see lib/talkback-webhooks.ts).
 */
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { parseSettings } from '../../lambda/domain/settings';
import { TalkbackTable } from '../../lib/talkback-table';
import { TalkbackWebhooks } from '../../lib/talkback-webhooks';

export const HOOK_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:talkback-hook-AbCdEf';
export const SLACK_SECRET =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:talkback-slack-AbCdEf';

/** A stack of the table and the webhooks construct alone, as the Talkback stack composes it. */
export function webhooksStack(
  app: App,
  webhooks: Record<string, unknown>[] = [
    { url: 'https://a.example/in', secretArn: HOOK_SECRET, events: ['comment.created'] },
  ],
) {
  const stack = new Stack(app, 'Hooks');
  const table = new TalkbackTable(stack, 'Data', { destroyOnRemoval: false });
  const settings = parseSettings({ webhooks, slackWebhookUrl: SLACK_SECRET });
  const hashSecret = new Secret(stack, 'HashSecret');
  const linkSecret = new Secret(stack, 'LinkSecret');
  // As lib/talkback-monitoring.ts makes the alarm topic.
  const alarmTopic = new Topic(stack, 'Alarms', { enforceSSL: true });
  // Stand-ins for the root secrets, acknowledged in lib/talkback-secrets.ts: the finding here would
  // be about the fixture, not the construct.
  for (const secret of [hashSecret, linkSecret]) {
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A stand-in for a root secret, which the Talkback stack does not rotate.',
    });
  }
  const construct = new TalkbackWebhooks(stack, 'Webhooks', {
    table: table.table,
    settings,
    environment: { TABLE_NAME: 'talkback' },
    hashSecret,
    linkSecret,
    apiUrl: 'https://api.news.example/',
    consoleUrl: 'https://news.example/admin/',
    alarmTopic,
    logRetention: 30,
    destroyOnRemoval: false,
  });
  return { stack, construct, hashSecret, linkSecret };
}
