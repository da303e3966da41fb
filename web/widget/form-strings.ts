/**
 * The text of the parts loaded on demand (the form, editing and deleting): English here, in their
 * chunk, so a reader who only reads does not download it. A language's file and a site's
 * overrides carry these entries too (strings.ts keeps the whole table it compiled), and win.
 */
import { strings } from './core';
import type { LanguageTable, Plural } from './strings';

export const formEn = {
  // {name} is the author's name as a bidi-isolated element.
  replyingTo: 'Replying to {name}',
  cancel: 'Cancel',
  editLabel: 'Edit your comment',
  save: 'Save',
  saving: 'Saving…',
  confirmDelete: 'Delete this comment?',
  yes: 'Yes',
  no: 'No',
  deleted: 'Your comment is deleted.',
  cannotEdit: 'You can no longer edit this comment.',
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
  // Over the API's request size (UTF-8 bytes: an emoji is 4): what to cut for it to go.
  tooLarge: {
    one: 'is too long to send: remove {count} character',
    other: 'is too long to send: remove {count} characters',
  } as string | Plural,
  badEmail: 'must be a valid email address',
  badWebsite: 'must be an address starting with http:// or https://',
  controlCharacters: 'must not contain control characters',
  parentGone: 'The comment you are replying to is no longer available.',
  failed: 'Something went wrong. Please try again.',
  // A 429: {wait} is `seconds` when Retry-After is readable, else `aMoment`.
  commentingTooFast: "You're commenting too fast. Please wait {wait} and try again.",
  // A signed-in reader (docs/readers.md): {name} is the token's name, bidi-isolated.
  commentingAs: 'Commenting as {name}',
  // Instead of the form where the thread wants a signed-in reader; links to the site's sign-in.
  signInToComment: 'Sign in to comment',
  // Where it wants a badge the reader lacks: {link} is `subscribe`, linking to the site's page.
  subscribersOnly: 'Subscribers can comment: {link}',
  subscribe: 'subscribe',
  // The API refused the token (a 401 naming `reader`): expired, or no longer valid.
  signInAgain: 'Your sign-in has expired. Please sign in again to comment.',
};

export type FormTable = typeof formEn;

let compiled: [Partial<LanguageTable>, FormStrings] | undefined;

/** The form's strings in the thread's language (compiled once a language). */
export function formStrings(): FormStrings {
  if (compiled?.[0] !== strings.table_) compiled = [strings.table_, compileForm()];
  return compiled[1];
}

type FormStrings = ReturnType<typeof compileForm>;

/** `text` with its one slot (`{name}`, `{link}`) as `node`, put where the language puts it. */
const withNode = (text: string, node: Node) =>
  text.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? node : part));

/** Plain text, and functions for the entries with slots. */
function compileForm() {
  const table: FormTable = { ...formEn, ...strings.table_ };
  const { text_: text } = strings;
  return {
    ...table,
    // The name stays a node, put where the language puts it.
    replyingTo: (name: Node) => withNode(table.replyingTo, name),
    commentingAs: (name: Node) => withNode(table.commentingAs, name),
    subscribersOnly: (link: Node) => withNode(table.subscribersOnly, link),
    fieldError: (label: string, message: string) => text(table.fieldError, 0, { label, message }),
    tooLong: (max: number) => text(table.tooLong, max),
    tooLarge: (cut: number) => text(table.tooLarge, cut),
    commentingTooFast: (seconds: number | null) =>
      text(table.commentingTooFast, 0, { wait: strings.wait(seconds) }),
  };
}
