import fc from 'fast-check';
import { emailDomainVerdict, PhraseMatcher, ruleId } from '../../../lambda/domain/house-rules';

const matcher = new PhraseMatcher({
  hold: ['idiot', 'ass', 'kill yourself', 'バカ', 'блядь'],
  block: ['buy cheap pills', 'shit'],
});

const reasons = (text: string) => matcher.find(text).map((match) => match.reason);

describe('PhraseMatcher', () => {
  it.each([
    ['plain', 'what an idiot'],
    ['upper case', 'What an IDIOT'],
    ['diacritics', 'what an ídïòt'],
    ['full-width letters', 'what an ｉｄｉｏｔ'],
    ['Cyrillic look-alikes', 'what an іdіоt'],
    ['Greek look-alikes', 'what an ιdιοt'],
    ['leetspeak', 'what an 1d10t'],
    ['symbols for letters', 'what an !d!ot'],
    ['punctuation inside the word', 'what an i.d.i.o.t'],
    ['dashes inside the word', 'what an i-d-i-o-t'],
    ['spelled out', 'what an i d i o t'],
    ['zero-width characters inside', 'what an id\u200Bi\u00ADot'],
    ['repeated letters', 'what an iiidiiiooot'],
    ['a mark of punctuation after', 'what an idiot!'],
    ['in brackets', '(idiot)'],
  ])('holds %s', (_, text) => {
    expect(reasons(text)).toEqual(['rule:idiot']);
  });

  it.each([
    ['a word that contains it', 'the class met at the assembly'],
    ['a word it starts', 'idiotic'],
    ['spaces inside that spell no word', 'a ss'],
    ['an apostrophe', "that as's"],
    ['nothing like it', 'a fine comment'],
  ])('does not hold %s', (_, text) => {
    expect(reasons(text)).toEqual([]);
  });

  it('matches a phrase across the spaces between its words, and with none', () => {
    expect(reasons('just kill yourself')).toEqual(['rule:kill-yourself']);
    expect(reasons('just KILL   your-self')).toEqual(['rule:kill-yourself']);
    expect(reasons('just killyourself')).toEqual(['rule:kill-yourself']);
    expect(reasons('just kill them yourself')).toEqual([]);
  });

  it('keeps a phrase of double letters from matching one letter: "ass" is not "as"', () => {
    expect(reasons('as you said')).toEqual([]);
    expect(reasons('you a$$')).toEqual(['rule:ass']);
  });

  it('matches in scripts written without spaces, inside a sentence', () => {
    expect(reasons('お前はバカだ')).toEqual(['rule:バカ']);
  });

  it('folds a rule written in Cyrillic as it folds the comment', () => {
    expect(reasons('ну блядь')).toEqual(['rule:блядь']);
    expect(reasons('ну БЛЯДЬ')).toEqual(['rule:блядь']);
  });

  it('answers a block alone, and each hold once', () => {
    expect(matcher.find('idiot, you idiot, shit')).toEqual([
      { action: 'block', reason: 'rule:shit' },
    ]);
    expect(reasons('idiot and idiot and kill yourself')).toEqual([
      'rule:idiot',
      'rule:kill-yourself',
    ]);
  });

  it('takes a phrase listed as both hold and block as a block', () => {
    const both = new PhraseMatcher({ hold: ['spam'], block: ['SPAM'] });
    expect(both.find('spam')).toEqual([{ action: 'block', reason: 'rule:spam' }]);
  });

  it('finds nothing with no phrases', () => {
    expect(new PhraseMatcher({ hold: [], block: [] }).find('idiot')).toEqual([]);
  });

  it('names a rule by its phrase, lower-cased, spaces as dashes', () => {
    expect(ruleId('  Kill   Yourself ')).toBe('kill-yourself');
  });
});

/** Each evasion a commenter may apply to a word, letter by letter. */
const LOOK_ALIKES: Record<string, string[]> = {
  a: ['A', 'а', 'α', '4', '@', 'á', 'à', 'ä', 'â', 'ａ'],
  d: ['D', 'ԁ', 'ｄ', 'đ'],
  e: ['E', 'е', 'ε', '3', 'é', 'ê', '€', 'ｅ'],
  i: ['I', 'і', 'ι', '1', '!', '|', 'í', 'ï', 'ｉ', 'l'],
  o: ['O', 'о', 'ο', '0', 'ó', 'ö', 'ø', 'ｏ'],
  t: ['T', 'т', 'τ', '7', '+', 'ｔ'],
  s: ['S', 'ѕ', '5', '$', 'ś', 'ｓ'],
  h: ['H', 'Н', 'ｈ', 'ĥ'],
};

function disguised(word: string) {
  return fc
    .tuple(
      ...[...word].map((letter) =>
        fc.tuple(
          fc.constantFrom(letter, ...(LOOK_ALIKES[letter] ?? [letter.toUpperCase()])),
          fc.integer({ min: 1, max: 3 }),
        ),
      ),
      fc.constantFrom('', '.', '-', '_', '*', '\u200B', ' '),
    )
    .map((parts) => {
      const separator = parts.pop() as string;
      const letters = parts as [string, number][];
      // Spaces between letters count only when every letter stands alone: `s h i t`.
      if (separator === ' ') return letters.map(([letter]) => letter).join(' ');
      return letters.map(([letter, times]) => letter.repeat(times)).join(separator);
    });
}

describe('PhraseMatcher against disguises (property)', () => {
  it.each(['idiot', 'shit', 'toast'])('catches every disguise of %s', (word) => {
    const rules = new PhraseMatcher({ hold: [word], block: [] });
    fc.assert(
      fc.property(
        disguised(word),
        fc.constantFrom('', 'you ', 'Well, '),
        fc.constantFrom('', '!', '.', ' ok', '?!'),
        (text, before, after) => {
          expect(rules.find(`${before}${text}${after}`)).toEqual([
            { action: 'hold', reason: `rule:${word}` },
          ]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds no rule inside a longer word of letters', () => {
    const rules = new PhraseMatcher({ hold: ['ass'], block: [] });
    fc.assert(
      fc.property(
        fc.stringMatching(/^[b-z]{1,6}$/),
        fc.stringMatching(/^[b-z]{0,6}$/),
        (before, after) => {
          expect(rules.find(`${before}ass${after}`)).toEqual([]);
        },
      ),
    );
  });
});

describe('emailDomainVerdict', () => {
  const disposable = async (domain: string) => domain === 'mailinator.com';
  const rules = {
    disposable: 'hold' as const,
    hold: ['freemail.example'],
    block: ['spam.example'],
  };

  it.each([
    ['ada@news.example', { action: 'allow' }],
    ['ada@spam.example', { action: 'block', reason: 'email-domain:spam.example' }],
    ['ada@mx.Spam.Example', { action: 'block', reason: 'email-domain:spam.example' }],
    ['ada@freemail.example', { action: 'hold', reason: 'email-domain:freemail.example' }],
    ['ada@mailinator.com', { action: 'hold', reason: 'email-domain:disposable' }],
    ['ada@a.b.mailinator.com.', { action: 'hold', reason: 'email-domain:disposable' }],
  ])('%s: %j', async (email, verdict) => {
    await expect(emailDomainVerdict(email, rules, disposable)).resolves.toEqual(verdict);
  });

  it('refuses a disposable address where the deployment refuses them', async () => {
    await expect(
      emailDomainVerdict('x@mailinator.com', { ...rules, disposable: 'refuse' }, disposable),
    ).resolves.toEqual({ action: 'refuse' });
  });

  it('does not consult the disposable list where disposable addresses are allowed', async () => {
    const consulted = jest.fn(async () => true);
    const allow = { disposable: 'allow' as const, hold: [], block: [] };
    await expect(emailDomainVerdict('x@mailinator.com', allow, consulted)).resolves.toEqual({
      action: 'allow',
    });
    expect(consulted).not.toHaveBeenCalled();
  });

  it('allows a comment with no email (a moderator, an edit)', async () => {
    await expect(emailDomainVerdict(null, rules, disposable)).resolves.toEqual({ action: 'allow' });
  });
});
