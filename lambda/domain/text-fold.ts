/**
 * Folds text so that a house rule's words match however a commenter disguises them: case,
 * diacritics, full-width and look-alike letters, leetspeak, and spacing or punctuation inside a
 * word. A rule's phrase and a comment go through the same fold, so a rule written in any script
 * matches the same way (docs/screening.md says what it catches and what it does not).
 */

/** What separates two letters: nothing, punctuation only (`sh.it`), or a space (`sh it`). */
enum Gap {
  None = 0,
  Soft = 1,
  Hard = 2,
}

/**
 * Each letter and what passes for it: Cyrillic and Greek look-alikes in both cases (lower-casing
 * first would turn a capital Greek eta, which looks like H, into one that looks like n), letters
 * NFKD leaves whole, and leetspeak digits. `l` folds with `i` because `1`, `|` and `!` stand for
 * either.
 */
const LOOK_ALIKES: Record<string, string> = {
  a: 'аАαΑ4',
  b: 'вВβΒ8',
  c: 'сС',
  d: 'ԁđĐðÐ',
  e: 'еЕεΕ3',
  g: 'ɡ9',
  h: 'нНΗħĦ',
  i: 'іІӏӀιΙıłŁlL1',
  j: 'јЈ',
  k: 'кКκΚ',
  m: 'мМΜ',
  n: 'Ν',
  o: 'оОοΟøØ0',
  p: 'рРρΡ',
  q: 'ԛ',
  s: 'ѕЅ5',
  t: 'тТτΤŧŦ7',
  u: 'υ',
  v: 'ν',
  w: 'ԝω',
  x: 'хХχΧ',
  y: 'уУΥ',
  z: 'Ζ',
  ss: 'ß',
  ae: 'æÆ',
  oe: 'œŒ',
};

const LETTER_FOLDS: Record<string, string> = Object.fromEntries(
  Object.entries(LOOK_ALIKES).flatMap(([letter, alikes]) =>
    [...alikes].map((alike) => [alike, letter]),
  ),
);

/** Symbols read as letters; unlike a digit, one at a word's edge may be plain punctuation. */
const SYMBOL_FOLDS: Record<string, string> = {
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '+': 't',
  '€': 'e',
  '(': 'c',
};

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Marks left by NFKD (diacritics) and invisible format characters (zero-width space, soft hyphen). */
const IGNORED = /[\p{M}\p{Cf}]/u;
/** Apostrophes part words (`he'll` is not `hell`), as spaces do. */
const WORD_BREAK = /[\s\p{Z}'’‘`´]/u;
/** Scripts written without spaces between words: any letter may start or end a word there. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** How one character of NFKD text folds: letters (one or two), a gap, or nothing. */
interface CharFold {
  letters: string;
  gap: Gap;
  symbol: boolean;
  unspaced: boolean;
}

const IGNORE: CharFold = { letters: '', gap: Gap.None, symbol: false, unspaced: false };

function foldChar(char: string): CharFold {
  const symbol = SYMBOL_FOLDS[char];
  if (symbol !== undefined)
    return { letters: symbol, gap: Gap.None, symbol: true, unspaced: false };
  const direct = LETTER_FOLDS[char];
  if (direct !== undefined)
    return { letters: direct, gap: Gap.None, symbol: false, unspaced: false };
  if (IGNORED.test(char)) return IGNORE;
  const lower = char.toLowerCase();
  const folded = LETTER_FOLDS[lower] ?? lower;
  if (LETTER_OR_DIGIT.test(folded)) {
    return { letters: folded, gap: Gap.None, symbol: false, unspaced: UNSPACED.test(char) };
  }
  return { ...IGNORE, gap: WORD_BREAK.test(char) ? Gap.Hard : Gap.Soft };
}

/** Folds are remembered per character: a comment repeats few distinct ones. */
const memo = new Map<string, CharFold>();

function foldOf(char: string): CharFold {
  let fold = memo.get(char);
  if (fold === undefined) {
    fold = foldChar(char);
    memo.set(char, fold);
  }
  return fold;
}

/** Folded text: its letters, and where a match may start, end and run across a gap. */
export interface FoldedText {
  letters: string[];
  /** A match may start at this letter: it begins a word, or only symbols precede it there. */
  starts: boolean[];
  /** A match may end at this letter: it ends a word, or only symbols follow it there. */
  ends: boolean[];
  /**
   * A match may run from the previous letter into this one without a break in the rule's own
   * phrase: they are in one word (`sh.it` counts as one), or both are words of a single letter
   * (`f u c k`).
   */
  joins: boolean[];
  /** Whether anything (space or punctuation) comes before this letter. */
  gapBefore: boolean[];
}

export function foldText(text: string): FoldedText {
  const letters: string[] = [];
  const gaps: Gap[] = [];
  const symbols: boolean[] = [];
  const unspaced: boolean[] = [];
  let gap = Gap.None;
  for (const char of text.normalize('NFKD')) {
    const fold = foldOf(char);
    if (fold.letters === '') {
      if (fold.gap > gap) gap = fold.gap;
      continue;
    }
    for (const letter of fold.letters) {
      letters.push(letter);
      gaps.push(letters.length === 1 ? Gap.Hard : gap);
      symbols.push(fold.symbol);
      unspaced.push(fold.unspaced);
      gap = Gap.None;
    }
  }
  return withBoundaries(letters, gaps, symbols, unspaced);
}

function withBoundaries(
  letters: string[],
  gaps: Gap[],
  symbols: boolean[],
  unspaced: boolean[],
): FoldedText {
  const n = letters.length;
  // Letters (symbols aside: `t!` is one) of the space-separated word each letter is in, to
  // spot spelled-out words.
  const wordLength = new Array<number>(n).fill(1);
  for (let i = 0, start = 0, length = 0; i <= n; i++) {
    if (i === n || (i > 0 && gaps[i] === Gap.Hard)) {
      for (let k = start; k < i; k++) wordLength[k] = length;
      start = i;
      length = 0;
    }
    if (i < n && !symbols[i]) length++;
  }
  const starts = new Array<boolean>(n);
  const ends = new Array<boolean>(n);
  const joins = new Array<boolean>(n);
  const gapBefore = new Array<boolean>(n);
  let onlySymbolsBefore = true;
  for (let i = 0; i < n; i++) {
    if (gaps[i] !== Gap.None) onlySymbolsBefore = true;
    starts[i] = onlySymbolsBefore || unspaced[i] || unspaced[i - 1] === true;
    if (!symbols[i]) onlySymbolsBefore = false;
    gapBefore[i] = i > 0 && gaps[i] !== Gap.None;
    joins[i] = gaps[i] !== Gap.Hard || ((wordLength[i - 1] ?? 0) <= 1 && (wordLength[i] ?? 0) <= 1);
  }
  let onlySymbolsAfter = true;
  for (let i = n - 1; i >= 0; i--) {
    if (i + 1 < n && gaps[i + 1] !== Gap.None) onlySymbolsAfter = true;
    ends[i] = onlySymbolsAfter || unspaced[i] || unspaced[i + 1] === true;
    if (!symbols[i]) onlySymbolsAfter = false;
  }
  return { letters, starts, ends, joins, gapBefore };
}
