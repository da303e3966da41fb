/**
 * The deployment's house rules, the free first pass of the screen: word and phrase lists (a
 * `block` phrase makes a comment spam, a `hold` phrase holds it with reason `rule:<id>`) and
 * email-domain rules. Phrases are compiled once per cold start into a trie of folded letters
 * (domain/text-fold.ts), so a comment is read once whatever the number of phrases.
 */
import { type FoldedText, foldText } from './text-fold';

export type RuleAction = 'hold' | 'block';

export interface PhraseRules {
  hold: readonly string[];
  block: readonly string[];
}

export interface RuleMatch {
  action: RuleAction;
  /** `rule:<id>`, the id being the phrase as listed, lower-cased, spaces as dashes. */
  reason: string;
}

/**
 * One edge of the trie: a run of at least `min` of one letter (repeats in a comment beyond the
 * phrase's own count are one disguise more), entered across a word break where the phrase has one.
 */
interface Edge {
  min: number;
  afterBreak: boolean;
  node: TrieNode;
}

interface TrieNode {
  edges: Map<string, Edge[]>;
  match?: RuleMatch;
}

const newNode = (): TrieNode => ({ edges: new Map() });

export function ruleId(phrase: string): string {
  return phrase.trim().toLowerCase().replace(/\s+/g, '-');
}

/** The phrase as runs of one letter each, with whether a word break comes before the run. */
function runsOf(folded: FoldedText): { letter: string; count: number; afterBreak: boolean }[] {
  const runs: { letter: string; count: number; afterBreak: boolean }[] = [];
  folded.letters.forEach((letter, i) => {
    const last = runs.at(-1);
    if (last?.letter === letter && !folded.gapBefore[i]) last.count++;
    else runs.push({ letter, count: 1, afterBreak: folded.gapBefore[i] === true });
  });
  return runs;
}

/** A block outranks a hold, for a phrase listed in both. */
function stronger(a: RuleMatch | undefined, b: RuleMatch): RuleMatch {
  return a?.action === 'block' ? a : b;
}

export class PhraseMatcher {
  private readonly root = newNode();
  readonly size: number;

  constructor(rules: PhraseRules) {
    let size = 0;
    for (const action of ['hold', 'block'] as const) {
      for (const phrase of rules[action]) {
        const runs = runsOf(foldText(phrase));
        if (runs.length === 0) continue;
        let node = this.root;
        for (const run of runs) node = this.child(node, run.letter, run.count, run.afterBreak);
        node.match = stronger(node.match, { action, reason: `rule:${ruleId(phrase)}` });
        size++;
      }
    }
    this.size = size;
  }

  private child(node: TrieNode, letter: string, min: number, afterBreak: boolean): TrieNode {
    let edges = node.edges.get(letter);
    if (!edges) {
      edges = [];
      node.edges.set(letter, edges);
    }
    let edge = edges.find((e) => e.min === min && e.afterBreak === afterBreak);
    if (!edge) {
      edge = { min, afterBreak, node: newNode() };
      edges.push(edge);
    }
    return edge.node;
  }

  /** Every phrase found in the text: the first block alone, else each hold once. */
  find(text: string): RuleMatch[] {
    if (this.size === 0) return [];
    const folded = foldText(text);
    const found = new Map<string, RuleMatch>();
    for (let start = 0; start < folded.letters.length; start++) {
      if (!folded.starts[start]) continue;
      const block = this.walk(this.root, folded, start, start, found);
      if (block) return [block];
    }
    return [...found.values()];
  }

  /** Follows the trie from `node` at letter `i`; returns a block as soon as one matches. */
  private walk(
    node: TrieNode,
    text: FoldedText,
    i: number,
    start: number,
    found: Map<string, RuleMatch>,
  ): RuleMatch | undefined {
    const letter = text.letters[i];
    const edges = letter === undefined ? undefined : node.edges.get(letter);
    if (!edges) return undefined;
    let end = i + 1;
    while (text.letters[end] === letter && text.joins[end]) end++;
    const joined = i === start || text.joins[i];
    for (const edge of edges) {
      if (edge.min > end - i || !(joined || edge.afterBreak)) continue;
      const match = edge.node.match;
      if (match && text.ends[end - 1]) {
        if (match.action === 'block') return match;
        found.set(match.reason, match);
      }
      const deeper = this.walk(edge.node, text, end, start, found);
      if (deeper) return deeper;
    }
    return undefined;
  }
}

export type DisposableAction = 'allow' | 'hold' | 'refuse';

export interface EmailDomainRules {
  disposable: DisposableAction;
  hold: readonly string[];
  block: readonly string[];
}

export type EmailDomainVerdict =
  | { action: 'allow' }
  | { action: 'hold' | 'block'; reason: string }
  | { action: 'refuse' };

/** The domain and each parent: `a.mail.example` is also `mail.example` and `example`. */
function domainAndParents(email: string): string[] {
  const domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  const labels = domain.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/** Whether a domain is a disposable-address service's; the list may load on first use. */
export type DisposableCheck = (domain: string) => Promise<boolean>;

/**
 * What the email's domain asks for. `isDisposable` is the disposable-domain list, consulted
 * only when the deployment acts on it.
 */
export async function emailDomainVerdict(
  email: string | null,
  rules: EmailDomainRules,
  isDisposable: DisposableCheck,
): Promise<EmailDomainVerdict> {
  if (email === null) return { action: 'allow' };
  const domains = domainAndParents(email);
  const blocked = domains.find((domain) => rules.block.includes(domain));
  if (blocked) return { action: 'block', reason: `email-domain:${blocked}` };
  if (rules.disposable !== 'allow' && (await anyDisposable(domains, isDisposable))) {
    return rules.disposable === 'refuse'
      ? { action: 'refuse' }
      : { action: 'hold', reason: 'email-domain:disposable' };
  }
  const held = domains.find((domain) => rules.hold.includes(domain));
  if (held) return { action: 'hold', reason: `email-domain:${held}` };
  return { action: 'allow' };
}

async function anyDisposable(domains: string[], isDisposable: DisposableCheck): Promise<boolean> {
  for (const domain of domains) if (await isDisposable(domain)) return true;
  return false;
}
