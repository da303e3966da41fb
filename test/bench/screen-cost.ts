/**
 * The screen's added CPU per comment (issue 28): the house rules with 1,000 phrases (500 hold,
 * 500 block) as moderators saved them, read through the screening functions' one-minute cache
 * (lambda/domain/rules-cache.ts cachedRules; the store's read itself is the table's, not CPU
 * here), and the disposable-domain check, on comments of ordinary length and on one at the
 * 5,000-character limit, in-process. Also what compiling the phrases costs a cold start.
 * Measured in CPU time (process.cpuUsage), which is what the figure is about and which a busy
 * machine does not inflate as it does wall-clock time.
 */
import { PhraseMatcher } from '../../lambda/domain/house-rules';
import { cachedRules } from '../../lambda/domain/rules-cache';
import { type Screening, screenComment } from '../../lambda/domain/screen';
import type { RulesStore, VersionedRules } from '../../lambda/domain/screen-rules';
import { parseSettings } from '../../lambda/domain/settings';
import { isDisposableDomain } from '../../lambda/screen/disposable-domains';
import { type BenchResult, median, result } from './results';

const GROUP = 'screen';
/** This process's CPU time so far (user and system), in milliseconds. */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const RULES = 1000;
const ROUNDS = 30;
const BATCH = 200;

/** A fixed pseudo-random sequence, so every run screens the same text. */
function* seeded(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

function words(count: number, random: Generator<number>): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: count }, () => {
    const length = 4 + Math.floor((random.next().value as number) * 7);
    let word = '';
    for (let i = 0; i < length; i++) {
      word += letters[Math.floor((random.next().value as number) * letters.length)];
    }
    return word;
  });
}

const PROSE =
  'The council voted on Tuesday to extend the tram line past the station, but nobody has said ' +
  'who pays for the new depot. I have lived here for 30 years and the last extension took twice ' +
  'as long as promised! Still, better late than never - and the buses are worse. ';

function comment(chars: number, extra: string): string {
  return `${PROSE.repeat(Math.ceil(chars / PROSE.length)).slice(0, chars - extra.length)}${extra}`;
}

/** Milliseconds per comment of each round: BATCH comments screened, ROUNDS times. */
async function perComment(screening: Screening, bodies: readonly string[]): Promise<number[]> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = cpuMs();
    for (let i = 0; i < BATCH; i++) {
      await screenComment(screening, 'published', {
        articleId: 'a',
        authorName: 'Ada Lovelace',
        body: bodies[i % bodies.length] as string,
        email: 'ada@mail.example.org',
      });
    }
    rounds.push((cpuMs() - started) / BATCH);
  }
  return rounds;
}

export async function screenCost(log: (line: string) => void): Promise<BenchResult[]> {
  const random = seeded(28);
  const phrases = words(RULES, random);
  const compileMs: number[] = [];
  const compiled: PhraseMatcher[] = [];
  for (let round = 0; round < 10; round++) {
    const started = cpuMs();
    const matcher = new PhraseMatcher({
      hold: phrases.slice(0, RULES / 2),
      block: phrases.slice(RULES / 2),
    });
    compileMs.push(cpuMs() - started);
    // Kept, so the compilation is not optimised away.
    compiled.push(matcher);
  }
  // The rules as the console saved them, one item read once and kept for a minute.
  const saved: VersionedRules = {
    hold: phrases.slice(0, RULES / 2),
    block: phrases.slice(RULES / 2),
    emailDomains: { disposable: 'hold', hold: ['hold.example'], block: ['block.example'] },
    version: 1,
    updatedAt: new Date().toISOString(),
  };
  const store: RulesStore = {
    readRules: async () => saved,
    writeRules: async () => false,
  };
  const screening: Screening = {
    rules: cachedRules(store, parseSettings({}), Date.now),
    isDisposable: isDisposableDomain,
    timeoutMs: 1000,
  };
  // Ordinary comments (300 to 800 characters), a few carrying a disguised hold phrase.
  const hold = phrases[0] as string;
  const ordinary = [300, 450, 600, 800].flatMap((chars) => [
    comment(chars, ''),
    comment(chars, ` ${[...hold].join('.')}!`),
  ]);
  const longest = [comment(5000, '')];
  // Warm up: the JIT, the fold's per-character memo, the disposable list's Set.
  await perComment(screening, ordinary);
  const ordinaryMs = await perComment(screening, ordinary);
  const longestMs = await perComment(screening, longest);
  const value = median(ordinaryMs);
  log(
    `${RULES} phrases (saved rules, through the cache): ${(value * 1000).toFixed(1)} µs of CPU per ordinary comment`,
  );
  return [
    result({
      group: GROUP,
      name: `house rules, ${RULES.toLocaleString('en-US')} phrases, CPU per comment (300-800 chars)`,
      value,
      unit: 'ms',
      target: '≤ 0.2 ms',
      met: value <= 0.2,
      samples: ordinaryMs,
    }),
    result({
      group: GROUP,
      name: `house rules, ${RULES.toLocaleString('en-US')} phrases, CPU per 5,000-char comment`,
      value: median(longestMs),
      unit: 'ms',
      samples: longestMs,
    }),
    result({
      group: GROUP,
      name: `compiling ${RULES.toLocaleString('en-US')} phrases, CPU per cold start`,
      value: median(compileMs),
      unit: 'ms',
      samples: compileMs,
    }),
  ];
}
