import { parseSettings, SettingsError } from '../../../lambda/domain/settings';

const SECRET = 'whsec-0123456789-0123456789-abcdef';
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:talkback-hook-AbCdEf';

describe('hook settings', () => {
  it('has no hook, no webhooks and no Slack by default', () => {
    const settings = parseSettings({});
    expect(settings.moderationHook).toBeUndefined();
    expect(settings.webhooks).toEqual([]);
    expect(settings.slackWebhookUrl).toBeUndefined();
  });

  it('takes a moderation hook with a secret, the email left out unless asked for', () => {
    expect(
      parseSettings({ moderationHook: { url: 'https://mod.news.example/hook', secret: SECRET } })
        .moderationHook,
    ).toEqual({ url: 'https://mod.news.example/hook', secret: SECRET, includeEmail: false });
  });

  it('takes webhooks with their events, and Slack by URL or by secret ARN', () => {
    const settings = parseSettings({
      webhooks: [
        { url: 'https://a.example/in', secretArn: ARN, events: ['comment.created'] },
        {
          url: 'http://127.0.0.1:9000/in',
          secret: SECRET,
          events: ['comment.published', 'comment.removed', 'comment.reported'],
          includeEmail: true,
        },
      ],
      slackWebhookUrl: ARN,
    });
    expect(settings.webhooks).toEqual([
      {
        url: 'https://a.example/in',
        secretArn: ARN,
        events: ['comment.created'],
        includeEmail: false,
      },
      {
        url: 'http://127.0.0.1:9000/in',
        secret: SECRET,
        events: ['comment.published', 'comment.removed', 'comment.reported'],
        includeEmail: true,
      },
    ]);
    expect(settings.slackWebhookUrl).toBe(ARN);
  });

  it.each([
    [
      { moderationHook: { url: 'http://mod.news.example/hook', secret: SECRET } },
      'moderationHook.url must be an https URL',
    ],
    [
      { moderationHook: { url: 'https://u:p@mod.news.example/', secret: SECRET } },
      'moderationHook.url must be an https URL',
    ],
    [
      { moderationHook: { url: 'https://mod.news.example/' } },
      'moderationHook needs exactly one of secret or secretArn',
    ],
    [
      { moderationHook: { url: 'https://mod.news.example/', secret: SECRET, secretArn: ARN } },
      'moderationHook needs exactly one of secret or secretArn',
    ],
    [
      { moderationHook: { url: 'https://mod.news.example/', secret: 'short' } },
      'moderationHook.secret must be at least 32 characters',
    ],
    [
      { moderationHook: { url: 'https://mod.news.example/', secretArn: 'my-secret' } },
      'moderationHook.secretArn must be the ARN of a Secrets Manager secret',
    ],
    [
      { moderationHook: { url: 'https://mod.news.example/', secret: SECRET, timeout: 5 } },
      'unknown moderationHook setting timeout',
    ],
    [
      { webhooks: [{ url: 'https://a.example/', secret: SECRET, events: [] }] },
      'webhooks[].events must be a non-empty list',
    ],
    [
      { webhooks: [{ url: 'https://a.example/', secret: SECRET, events: ['comment.liked'] }] },
      'webhooks[].events must be a non-empty list',
    ],
    [
      {
        webhooks: [
          { url: 'https://a.example/', secret: SECRET, events: ['comment.created'] },
          { url: 'https://a.example/', secret: SECRET, events: ['comment.removed'] },
        ],
      },
      'webhooks names a URL twice',
    ],
    [{ webhooks: { url: 'https://a.example/' } }, 'webhooks must be a list'],
    [
      { slackWebhookUrl: 'hooks.slack.com/services/T/B/x' },
      'slackWebhookUrl must be a Slack incoming-webhook https URL',
    ],
  ])('refuses %j naming the setting', (input, message) => {
    expect(() => parseSettings(input)).toThrow(SettingsError);
    expect(() => parseSettings(input)).toThrow(message);
  });
});
