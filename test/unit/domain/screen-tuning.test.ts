import {
  MAX_COUNTED_REASONS,
  screenTuning,
  type TuningRow,
  verdictOutcomes,
} from '../../../lambda/domain/screen-tuning';

describe('verdictOutcomes', () => {
  const held = { status: 'pending' as const, holdReasons: ['rule:idiot', 'screen:insults'] };

  it('counts each reason of a held comment a moderator publishes as overturned', () => {
    expect(verdictOutcomes(held, 'published', false)).toEqual([
      { reason: 'rule:idiot', outcome: 'overturned' },
      { reason: 'screen:insults', outcome: 'overturned' },
    ]);
  });

  it('counts a held comment a moderator makes spam as upheld', () => {
    expect(verdictOutcomes(held, 'spam', false)).toEqual([
      { reason: 'rule:idiot', outcome: 'upheld' },
      { reason: 'screen:insults', outcome: 'upheld' },
    ]);
  });

  it('counts a spam verdict published as overturned, and one put back in the queue not at all', () => {
    const spam = { status: 'spam' as const, holdReasons: ['hook', 'email-domain:spam.example'] };
    expect(verdictOutcomes(spam, 'published', false)).toEqual([
      { reason: 'hook', outcome: 'overturned' },
      { reason: 'email-domain:spam.example', outcome: 'overturned' },
    ]);
    expect(verdictOutcomes(spam, 'pending', false)).toEqual([]);
  });

  it.each([
    ['a comment decided by a human before', held, 'published', true],
    ['a comment the screen did not hold', { status: 'pending' as const }, 'published', false],
    [
      'a published comment',
      { status: 'published' as const, holdReasons: ['rule:x'] },
      'spam',
      false,
    ],
    ['no change', held, 'pending', false],
  ] as const)('counts nothing for %s', (_, comment, to, decided) => {
    expect(verdictOutcomes(comment, to, decided)).toEqual([]);
  });

  it('leaves out what is not a screen’s verdict: a fault, readers’ reports', () => {
    const mixed = {
      status: 'pending' as const,
      holdReasons: ['screen:unavailable', 'reported', 'rule:x'],
    };
    expect(verdictOutcomes(mixed, 'published', false)).toEqual([
      { reason: 'rule:x', outcome: 'overturned' },
    ]);
  });

  it(`counts at most ${MAX_COUNTED_REASONS} reasons`, () => {
    const many = {
      status: 'pending' as const,
      holdReasons: Array.from({ length: 30 }, (_, n) => `rule:r${n}`),
    };
    expect(verdictOutcomes(many, 'published', false)).toHaveLength(MAX_COUNTED_REASONS);
  });
});

describe('screenTuning', () => {
  const rows: TuningRow[] = [
    { month: '2026-11', reason: 'rule:idiot', overturned: 3, upheld: 1 },
    { month: '2026-12', reason: 'rule:idiot', overturned: 5, upheld: 1 },
    { month: '2026-12', reason: 'screen:insults', overturned: 1, upheld: 9 },
    { month: '2026-12', reason: 'hook', overturned: 0, upheld: 2 },
  ];
  const store = { tuningRows: jest.fn(async () => rows) };

  it('sums the months by reason, most overturned first, and by kind', async () => {
    await expect(screenTuning(store, { from: '2026-11', to: '2026-12' })).resolves.toEqual({
      from: '2026-11',
      to: '2026-12',
      reasons: [
        { reason: 'rule:idiot', overturned: 8, upheld: 2, overturnedShare: 0.8 },
        { reason: 'screen:insults', overturned: 1, upheld: 9, overturnedShare: 0.1 },
        { reason: 'hook', overturned: 0, upheld: 2, overturnedShare: 0 },
      ],
      kinds: {
        rule: { overturned: 8, upheld: 2 },
        screen: { overturned: 1, upheld: 9 },
        hook: { overturned: 0, upheld: 2 },
      },
      overturned: 9,
      upheld: 13,
    });
    expect(store.tuningRows).toHaveBeenCalledWith('2026-11', '2026-12');
  });

  it.each([
    ['a day for a month', { from: '2026-12-01', to: '2026-12' }],
    ['from after to', { from: '2026-12', to: '2026-11' }],
    ['month 13', { from: '2026-13', to: '2026-13' }],
  ])('refuses %s', async (_, range) => {
    await expect(screenTuning(store, range)).rejects.toThrow(RangeError);
  });
});
