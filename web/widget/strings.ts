/**
 * Every piece of text the widget shows. `en` is the table every language starts from; a locale
 * (web/widget/locales/<lang>.ts, fetched as web/dist/locales/<lang>.json) and a site's own
 * overrides replace entries of it. An entry is a string, or a table by plural category
 * (Intl.PluralRules) for entries with a count; `{name}`-style slots take the values. Reaction
 * labels come from the deployment's GET /config; messages from the server are shown as the server
 * words them.
 */
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
  // {name} is the author's name as a bidi-isolated element.
  replyingTo: 'Replying to {name}',
  cancel: 'Cancel',
  edited: 'edited',
  edit: 'Edit',
  editLabel: 'Edit your comment',
  save: 'Save',
  saving: 'Saving…',
  delete: 'Delete',
  confirmDelete: 'Delete this comment?',
  yes: 'Yes',
  no: 'No',
  deleted: 'Your comment is deleted.',
  cannotEdit: 'You can no longer edit this comment.',
  awaitingModeration: 'Your comment is awaiting moderation.',
  // Marks on a comment: posted by the site's staff; pinned by a moderator.
  staff: 'Staff',
  pinned: 'Pinned',
  // Instead of the form, on an article a moderator closed.
  closed: 'Comments are closed.',
  formHeading: 'Leave a Reply',
  formNote: 'Your email address will not be published. Required fields are marked *',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  comment: 'Comment',
  required: '*',
  // The honeypot's label: only robots that fill in every field ever meet it.
  honeypot: 'Leave this field empty',
  saveDetails: 'Save my name, email, and website in this browser for the next time I comment.',
  notifyReplies: 'Notify me of replies by email',
  notifyNote: 'The first time, we email you a link to confirm your address.',
  post: 'Post Comment',
  posting: 'Posting…',
  posted: 'Thank you, your comment is posted.',
  postedPending: 'Thank you, your comment is awaiting moderation.',
  fixFields: 'Please check the fields marked below.',
  // A field's message reads as one sentence: "Email must be a valid email address".
  fieldError: '{label} {message}',
  isRequired: 'is required',
  tooLong: {
    one: 'must be at most {count} character',
    other: 'must be at most {count} characters',
  } as Plural,
  tooLarge: 'is too long to send',
  badEmail: 'must be a valid email address',
  badWebsite: 'must be an address starting with http:// or https://',
  controlCharacters: 'must not contain control characters',
  parentGone: 'The comment you are replying to is no longer available.',
  failed: 'Something went wrong. Please try again.',
  loadFailed: 'Comments could not be loaded right now.',
  reactionFailed: 'Your reaction could not be saved. Please try again.',
  // A 429: {wait} is `seconds` when Retry-After is readable, else `aMoment`.
  commentingTooFast: "You're commenting too fast. Please wait {wait} and try again.",
  reactingTooFast: "You're reacting too fast. Please wait {wait} and try again.",
  seconds: { one: '{count} second', other: '{count} seconds' } as Plural,
  aMoment: 'a moment',
  link: 'Link',
  linkCopied: 'Link copied',
};

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Key = keyof typeof en;
/** A language's entries; a locale file or a site's override may leave any out. */
export type Table = { [K in Key]: (typeof en)[K] };
type Templated =
  | 'viewComments'
  | 'hideComments'
  | 'replyTo'
  | 'replyingTo'
  | 'fieldError'
  | 'tooLong'
  | 'commentingTooFast'
  | 'reactingTooFast'
  | 'seconds'
  | 'aMoment';

/** The strings the widget's modules read: plain text, and functions for entries with slots. */
export type Strings = { [K in Exclude<Key, Templated>]: string } & {
  lang: string;
  viewComments(count: number): string;
  hideComments(count: number): string;
  replyTo(name: string): string;
  replyingTo(name: Node): (Node | string)[];
  fieldError(label: string, message: string): string;
  tooLong(max: number): string;
  commentingTooFast(seconds: number | null): string;
  reactingTooFast(seconds: number | null): string;
};

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);

/** `table`'s strings for language `lang`, which picks the plural rules and number format. */
export function compile(table: Table, lang: string): Strings {
  const rules = new Intl.PluralRules(lang);
  // An entry with plural forms takes a count; a site's override may give it one plain string.
  const text = (key: Key, n = 0, values: Record<string, string> = {}) => {
    const entry: string | Plural = table[key];
    return fill(typeof entry === 'string' ? entry : (entry[rules.select(n)] ?? entry.other), {
      count: n.toLocaleString(lang),
      ...values,
    });
  };
  const wait = (seconds: number | null) =>
    seconds === null ? table.aMoment : text('seconds', seconds);
  return {
    ...table,
    lang,
    viewComments: (n) => text('viewComments', n),
    hideComments: (n) => text('hideComments', n),
    replyTo: (name) => text('replyTo', 0, { name }),
    // The name stays a node, put where the language puts it.
    replyingTo: (name) =>
      table.replyingTo.split(/(\{name\})/).map((part) => (part === '{name}' ? name : part)),
    fieldError: (label, message) => text('fieldError', 0, { label, message }),
    tooLong: (max) => text('tooLong', max),
    commentingTooFast: (seconds) => text('commentingTooFast', 0, { wait: wait(seconds) }),
    reactingTooFast: (seconds) => text('reactingTooFast', 0, { wait: wait(seconds) }),
  };
}

/** The strings in use; `useStrings` replaces them before a thread draws. */
export let strings: Strings = compile(en, 'en');

export function useStrings(next: Strings): void {
  strings = next;
}
