/**
 * Text that deceives or breaks storage, for the property and fuzz tests of every field a
 * client controls (test/unit/domain/validation.test.ts, test/integration/deceptive-input.test.ts),
 * and independent readings of what accepted text must be.
 */
import fc from 'fast-check';

/**
 * Characters that deceive or break storage, mixed with ordinary ones: bidi controls and marks,
 * zero-width and ignorable characters, fillers, lone surrogates, controls, separators, a
 * decomposed accent, Cyrillic and Greek look-alikes, URL and form punctuation.
 */
export const TRICKY = [
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u200B',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u3164',
  '\u115F',
  '\uFFA0',
  '\u2800',
  '\uFE0F',
  '\u0301',
  '\uD83D',
  '\uDE00',
  '\u0000',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u2028',
  '\u00A0',
  '\u3000',
  ' ',
  '\t',
  '\n',
  'e',
  'a',
  '\u0430',
  '\u03BF',
  'é',
  '😀',
  '\u05D0',
  '@',
  '.',
  '/',
  ':',
  '\\',
  '%',
  '#',
  '?',
  ',',
  '&',
  '=',
];

/** Short strings of those characters and of any single UTF-16 unit. */
export function trickyText(maxLength: number): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', maxLength: 1 })),
    maxLength,
  });
}

/** An independent reading of "shows something": not space, control, format, mark or ignorable. */
export const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\p{Cs}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;
/** The bidi embedding, override and isolate controls the validation refuses. */
export const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
/** No lone surrogate. */
export const isWellFormed = (text: string): boolean => !/\p{Cs}/u.test(text);
