import {
  DEFAULT_LIMITS,
  DEFAULT_REACTION_SHARDS,
  DEFAULT_REACTIONS,
  DEFAULT_SETTINGS,
  parseSettings,
  SettingsError,
  settingsFromEnv,
} from '../../../lambda/domain/settings';
import { DOCUMENTED_LIMITS, DOCUMENTED_REACTIONS } from '../../support/contract';

describe('parseSettings', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
  ])('gives the defaults for %s', (_case, input) => {
    expect(parseSettings(input)).toEqual(DEFAULT_SETTINGS);
  });

  it('has the reactions of docs/api.md in display order', () => {
    expect(parseSettings({}).reactions).toEqual(DOCUMENTED_REACTIONS);
  });

  it('has the limits of docs/api.md', () => {
    expect(parseSettings({}).limits).toEqual(DOCUMENTED_LIMITS);
  });

  it('keeps a configured reaction set in its order and trims labels', () => {
    const settings = parseSettings({
      reactions: [
        { key: 'up', label: ' Up ' },
        { key: 'down', label: 'Down' },
      ],
    });
    expect(settings.reactions).toEqual([
      { key: 'up', label: 'Up' },
      { key: 'down', label: 'Down' },
    ]);
  });

  it('merges configured limits over the defaults', () => {
    const settings = parseSettings({ limits: { bodyMaxChars: 2000, pageSizeMax: 60 } });
    expect(settings.limits).toEqual({ ...DEFAULT_LIMITS, bodyMaxChars: 2000, pageSizeMax: 60 });
  });

  it.each([
    ['uppercase', 'Happy'],
    ['starting with a digit', '1up'],
    ['with a space', 'in love'],
    ['with a dot', 'a.b'],
    ['empty', ''],
    ['33 characters', `a${'b'.repeat(32)}`],
    ['not a string', 7],
  ])('rejects a reaction key that is %s', (_case, key) => {
    expect(() => parseSettings({ reactions: [{ key, label: 'X' }] })).toThrow(SettingsError);
  });

  it.each(['entity', 'shard'])(
    'rejects the reserved attribute name %s as a reaction key',
    (key) => {
      expect(() => parseSettings({ reactions: [{ key, label: 'X' }] })).toThrow(
        /reserved attribute name/,
      );
    },
  );

  it('keeps the email out of the attributes public reads may fetch', () => {
    expect(() => parseSettings({ reactions: [{ key: 'email', label: 'Email' }] })).toThrow(
      SettingsError,
    );
  });

  it('rejects a reaction without a label', () => {
    expect(() => parseSettings({ reactions: [{ key: 'up', label: '  ' }] })).toThrow(
      'reaction up needs a label',
    );
  });

  it('rejects a reaction listed twice', () => {
    expect(() =>
      parseSettings({
        reactions: [
          { key: 'up', label: 'Up' },
          { key: 'up', label: 'Up again' },
        ],
      }),
    ).toThrow('reaction up is listed twice');
  });

  it.each([
    ['no reactions', []],
    ['21 reactions', Array.from({ length: 21 }, (_, i) => ({ key: `r${i}`, label: `R${i}` }))],
    ['not a list', { key: 'up', label: 'Up' }],
  ])('rejects %s', (_case, reactions) => {
    expect(() => parseSettings({ reactions })).toThrow(SettingsError);
  });

  it.each([
    ['zero', { bodyMaxChars: 0 }],
    ['negative', { nameMaxChars: -1 }],
    ['fractional', { pageSizeMax: 10.5 }],
    ['a string', { emailMaxChars: '254' }],
  ])('rejects a limit that is %s', (_case, limits) => {
    expect(() => parseSettings({ limits })).toThrow(/must be a positive integer/);
  });

  it.each([
    ['limits', []],
    ['moderation', null],
    ['rateLimits', 3],
  ])('rejects %s that is not an object (%p), naming it', (name, value) => {
    expect(() => parseSettings({ [name]: value })).toThrow(`${name} must be an object`);
  });

  it('asks for the label of a reaction that has none', () => {
    expect(() => parseSettings({ reactions: [{ key: 'up' }] })).toThrow(
      'reaction up needs a label',
    );
  });

  it('rejects an unknown limit', () => {
    expect(() => parseSettings({ limits: { bodyMaxBytes: 10 } })).toThrow(
      'unknown limit bodyMaxBytes',
    );
  });

  it('rejects a default page size above the maximum', () => {
    expect(() => parseSettings({ limits: { pageSizeDefault: 60, pageSizeMax: 50 } })).toThrow(
      'limits.pageSizeDefault must not exceed limits.pageSizeMax',
    );
  });

  it('rejects more than 100 articles per counts request', () => {
    expect(() => parseSettings({ limits: { countsMaxArticles: 101 } })).toThrow(
      /countsMaxArticles is at most 100/,
    );
  });

  it('has 16 reaction shards by default, for hot articles', () => {
    expect(DEFAULT_REACTION_SHARDS).toBe(16);
    expect(parseSettings({}).reactionShards).toBe(16);
    expect(parseSettings({ reactionShards: 1 }).reactionShards).toBe(1);
  });

  it.each([
    [1, true],
    [32, true],
    [0, false],
    [33, false],
    [2.5, false],
  ])('reactionShards %d is accepted: %s', (reactionShards, ok) => {
    const parse = () => parseSettings({ reactionShards });
    if (ok) expect(parse().reactionShards).toBe(reactionShards);
    else expect(parse).toThrow(SettingsError);
  });
});

describe('parseSettings: moderation and rate limits', () => {
  it('defaults to the first-time policy, 2 links, a 15-minute edit window and 6 s to undo', () => {
    expect(parseSettings({}).moderation).toEqual({
      policy: 'first-time',
      maxLinks: 2,
      editWindowMinutes: 15,
      undoSeconds: 6,
    });
  });

  it('defaults to 3 comments a minute and 20 an hour', () => {
    expect(parseSettings({}).rateLimits).toEqual({
      commentsPerMinute: 3,
      commentsPerHour: 20,
      reactionsPerMinute: 30,
      reactionsPerHour: 300,
    });
  });

  it.each(['none', 'first-time', 'all'])('accepts the policy %s', (policy) => {
    expect(parseSettings({ moderation: { policy } }).moderation.policy).toBe(policy);
  });

  it('merges configured moderation settings over the defaults', () => {
    expect(
      parseSettings({ moderation: { maxLinks: 0, editWindowMinutes: 5, undoSeconds: 10 } })
        .moderation,
    ).toEqual({ policy: 'first-time', maxLinks: 0, editWindowMinutes: 5, undoSeconds: 10 });
  });

  it('merges configured rate limits over the defaults', () => {
    expect(parseSettings({ rateLimits: { commentsPerHour: 50 } }).rateLimits).toEqual({
      commentsPerMinute: 3,
      commentsPerHour: 50,
      reactionsPerMinute: 30,
      reactionsPerHour: 300,
    });
  });

  it.each([
    [
      'an unknown policy',
      { policy: 'some' },
      /moderation.policy must be one of none, first-time, all/,
    ],
    ['negative maxLinks', { maxLinks: -1 }, /maxLinks must be a whole number/],
    ['fractional maxLinks', { maxLinks: 1.5 }, /maxLinks must be a whole number/],
    [
      'a zero edit window',
      { editWindowMinutes: 0 },
      /editWindowMinutes must be a positive integer/,
    ],
    ['no time to undo', { undoSeconds: 0 }, /moderation.undoSeconds must be a positive integer/],
    ['an undo past the mail queue', { undoSeconds: 301 }, /moderation.undoSeconds is at most 300/],
    ['an unknown setting', { holdAll: true }, /unknown moderation setting holdAll/],
  ])('rejects %s', (_case, moderation, message) => {
    expect(() => parseSettings({ moderation })).toThrow(message);
  });

  it.each([
    ['zero', { commentsPerMinute: 0 }, /rateLimits.commentsPerMinute must be a positive integer/],
    ['a string', { reactionsPerHour: '300' }, /rateLimits.reactionsPerHour must be a positive/],
    ['unknown', { commentsPerDay: 100 }, /unknown rate limit commentsPerDay/],
  ])('rejects a rate limit that is %s', (_case, rateLimits, message) => {
    expect(() => parseSettings({ rateLimits })).toThrow(message);
  });
});

describe('settingsFromEnv', () => {
  it.each([
    ['unset', {}],
    ['empty', { TALKBACK_SETTINGS: '' }],
  ])('gives the defaults when TALKBACK_SETTINGS is %s', (_case, env) => {
    expect(settingsFromEnv(env)).toBe(DEFAULT_SETTINGS);
  });

  it('parses and checks TALKBACK_SETTINGS', () => {
    const env = { TALKBACK_SETTINGS: JSON.stringify({ reactions: [{ key: 'up', label: 'Up' }] }) };
    expect(settingsFromEnv(env).reactions).toEqual([{ key: 'up', label: 'Up' }]);
  });

  it('fails loudly on malformed JSON, naming the variable', () => {
    const read = () => settingsFromEnv({ TALKBACK_SETTINGS: '{reactions' });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(/^TALKBACK_SETTINGS is not valid JSON \(.+\)$/);
  });

  it('fails loudly on invalid settings, naming the variable', () => {
    expect(() =>
      settingsFromEnv({ TALKBACK_SETTINGS: JSON.stringify({ reactionShards: 0 }) }),
    ).toThrow(/^TALKBACK_SETTINGS: reactionShards /);
    expect(() =>
      settingsFromEnv({ TALKBACK_SETTINGS: JSON.stringify({ reactionShards: 0 }) }),
    ).toThrow(SettingsError);
  });

  it('does not expose the defaults for mutation through parseSettings', () => {
    expect(parseSettings({}).reactions).not.toBe(DEFAULT_REACTIONS);
  });
});

describe('parseSettings: screening', () => {
  it('screens with house rules only, no lists and every address allowed, by default', () => {
    const { screening, rules, emailDomains } = parseSettings({});
    expect({ screening, rules, emailDomains }).toEqual({
      screening: 'rules',
      rules: { hold: [], block: [] },
      emailDomains: { disposable: 'allow', hold: [], block: [] },
    });
  });

  it('takes the lists and lower-cases the domains', () => {
    const settings = parseSettings({
      screening: 'guardrails',
      rules: { hold: ['idiot'], block: ['cheap pills'] },
      emailDomains: { disposable: 'refuse', hold: [' Free.Example '], block: ['spam.example'] },
    });
    expect(settings.screening).toBe('guardrails');
    expect(settings.rules).toEqual({ hold: ['idiot'], block: ['cheap pills'] });
    expect(settings.emailDomains).toEqual({
      disposable: 'refuse',
      hold: ['free.example'],
      block: ['spam.example'],
    });
  });

  it.each([
    [{ screening: 'perspective' }, 'screening must be one of rules, guardrails'],
    [{ rules: { hold: 'idiot' } }, 'rules.hold must be a list of up to 5000 phrases'],
    [{ rules: { block: ['...'] } }, 'rules.block must be a list of up to 5000 phrases'],
    [{ rules: { allow: [] } }, 'unknown rule list allow'],
    [{ emailDomains: { disposable: 'block' } }, 'emailDomains.disposable must be one of'],
    [{ emailDomains: { block: ['not a domain'] } }, 'emailDomains.block must be a list of domains'],
    [{ emailDomains: { hold: ['@gmail.com'] } }, 'emailDomains.hold must be a list of domains'],
  ])('refuses %j, naming the setting', (input, message) => {
    expect(() => parseSettings(input)).toThrow(message);
  });
});

describe('parseSettings: autoCloseDays', () => {
  it('is unset by default: articles never close by themselves', () => {
    expect(parseSettings({}).autoCloseDays).toBeUndefined();
  });

  it.each([1, 14, 3650])('takes %d days', (autoCloseDays) => {
    expect(parseSettings({ autoCloseDays }).autoCloseDays).toBe(autoCloseDays);
  });

  it.each([0, -3, 1.5, 3651, '7', null])('refuses %j, naming it', (autoCloseDays) => {
    expect(() => parseSettings({ autoCloseDays })).toThrow(
      'autoCloseDays must be a whole number of days from 1 to 3650',
    );
  });
});
