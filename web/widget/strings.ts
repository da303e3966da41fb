/**
 * Every piece of text the widget shows, in one table so a site can translate it. Reaction labels
 * come from the deployment's GET /config; messages from the server are shown as the server words
 * them.
 */
const wait = (seconds: number | null) =>
  seconds === null ? 'a moment' : `${seconds} second${seconds === 1 ? '' : 's'}`;

export const strings = {
  reactionsHeading: "What's Your Reaction?",
  viewComments: (count: number) => `View Comments (${count})`,
  hideComments: (count: number) => `Hide Comments (${count})`,
  order: 'Sort by',
  oldest: 'Oldest',
  newest: 'Newest',
  noComments: 'No comments yet. Start the conversation below.',
  loadMore: 'Load more comments',
  reply: 'Reply',
  replyTo: (name: string) => `Reply to ${name}`,
  // `name` is the author's name as a bidi-isolated element; a translation puts it where it belongs.
  replyingTo: (name: Node): (Node | string)[] => ['Replying to ', name],
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
  post: 'Post Comment',
  posting: 'Posting…',
  posted: 'Thank you, your comment is posted.',
  postedPending: 'Thank you, your comment is awaiting moderation.',
  fixFields: 'Please check the fields marked below.',
  // A field's message reads as one sentence: "Email must be a valid email address".
  fieldError: (label: string, message: string) => `${label} ${message}`,
  isRequired: 'is required',
  tooLong: (max: number) => `must be at most ${max} characters`,
  tooLarge: 'is too long to send',
  badEmail: 'must be a valid email address',
  badWebsite: 'must be an address starting with http:// or https://',
  controlCharacters: 'must not contain control characters',
  parentGone: 'The comment you are replying to is no longer available.',
  failed: 'Something went wrong. Please try again.',
  loadFailed: 'Comments could not be loaded right now.',
  reactionFailed: 'Your reaction could not be saved. Please try again.',
  // A 429: how long to wait comes from Retry-After, when the browser can read it.
  commentingTooFast: (seconds: number | null) =>
    `You're commenting too fast. Please wait ${wait(seconds)} and try again.`,
  reactingTooFast: (seconds: number | null) =>
    `You're reacting too fast. Please wait ${wait(seconds)} and try again.`,
  link: 'Link',
  linkCopied: 'Link copied',
};
