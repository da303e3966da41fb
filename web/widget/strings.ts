/**
 * Every piece of text the widget shows. `en` is the table every language starts from; a locale
 * (web/widget/locales/<lang>.ts, fetched as web/dist/locales/<lang>.json) and a site's own
 * overrides replace entries of it. An entry is a string, or a table by plural category
 * (Intl.PluralRules) for entries with a count; `{name}`-style slots take the values. Reaction
 * labels come from the deployment's GET /config; messages from the server are shown as the server
 * words them. The form's and the editor's entries are in form-strings.ts, in their chunk.
 */
import type { FormTable } from './form-strings';

export const en = {
  reactionsHeading: "What's Your Reaction?",
  viewComments: 'View Comments ({count})' as string | Plural,
  hideComments: 'Hide Comments ({count})' as string | Plural,
  order: 'Sort by',
  oldest: 'Oldest',
  newest: 'Newest',
  noComments: 'No comments yet. Start the conversation below.',
  loadMore: 'Load more comments',
  reply: 'Reply',
  replyTo: 'Reply to {name}',
  edited: 'edited',
  edit: 'Edit',
  delete: 'Delete',
  awaitingModeration: 'Your comment is awaiting moderation.',
  // Marks on a comment: posted by the site's staff; pinned by a moderator.
  staff: 'Staff',
  pinned: 'Pinned',
  // A signed-in reader's marks (docs/readers.md): the site vouched for them; their badges, each
  // `badge:<name>` (a site adds its own badges' labels by overriding strings).
  verified: 'Verified',
  'badge:subscriber': 'Subscriber',
  // Instead of the form, on an article a moderator closed.
  closed: 'Comments are closed.',
  loadFailed: 'Comments could not be loaded right now.',
  reactionFailed: 'Your reaction could not be saved. Please try again.',
  // A 429: {wait} is `seconds` when Retry-After is readable, else `aMoment`.
  reactingTooFast: "You're reacting too fast. Please wait {wait} and try again.",
  seconds: { one: '{count} second', other: '{count} seconds' } as Plural,
  aMoment: 'a moment',
  link: 'Link',
  linkCopied: 'Link copied',
  // A part of the widget loaded on demand (the form, editing, Link) that could not be had.
  partFailed: 'This part could not be loaded.',
  retry: 'Retry',
};

export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Key = keyof typeof en;
/** The first view's entries; a locale file or a site's override may leave any out. */
export type Table = { [K in Key]: (typeof en)[K] };
/** Every entry a language file has: the first view's and the form's (form-strings.ts). */
export type LanguageTable = Table & FormTable;
type Templated =
  | 'viewComments'
  | 'hideComments'
  | 'replyTo'
  | 'reactingTooFast'
  | 'seconds'
  | 'aMoment';

/**
 * The strings the widget's modules read: plain text, and functions for entries with slots. The
 * table it came from is kept whole, so the form's chunk finds its own entries in it.
 */
export type Strings = { [K in Exclude<Key, Templated>]: string } & {
  /** A badge's label: its `badge:<name>` entry, else its name. */
  badge_(name: string): string;
  lang: string;
  table_: Partial<LanguageTable>;
  /** An entry's text for `count`, with its `{slots}` filled. */
  text_(entry: string | Plural, count?: number, values?: Record<string, string>): string;
  viewComments(count: number): string;
  hideComments(count: number): string;
  replyTo(name: string): string;
  reactingTooFast(seconds: number | null): string;
  /** "3 seconds" from a Retry-After, else "a moment". */
  wait(seconds: number | null): string;
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);

/** `table`'s strings for language `lang`, which picks the plural rules and number format. */
export function compile(table: Table & Partial<FormTable>, lang: string): Strings {
  const rules = new Intl.PluralRules(lang);
  // An entry with plural forms takes a count; a site's override may give it one plain string.
  const text = (entry: string | Plural, n = 0, values: Record<string, string> = {}) =>
    fill(typeof entry === 'string' ? entry : (entry[rules.select(n)] ?? entry.other), {
      count: n.toLocaleString(lang),
      ...values,
    });
  const wait = (seconds: number | null) =>
    seconds === null ? table.aMoment : text(table.seconds, seconds);
  return {
    ...table,
    lang,
    table_: table,
    text_: text,
    wait,
    badge_: (name) => {
      const label = (table as Record<string, unknown>)[`badge:${name}`];
      return typeof label === 'string' ? label : name;
    },
    viewComments: (n) => text(table.viewComments, n),
    hideComments: (n) => text(table.hideComments, n),
    replyTo: (name) => text(table.replyTo, 0, { name }),
    reactingTooFast: (seconds) => text(table.reactingTooFast, 0, { wait: wait(seconds) }),
  };
}

/**
 * The strings in use; `useStrings` replaces them before a thread draws. One object, changed in
 * place, so a chunk handed it (core.ts) reads the same strings as the first view.
 */
export const strings: Strings = compile(en, 'en');

export function useStrings(next: Strings): void {
  Object.assign(strings, next);
}
