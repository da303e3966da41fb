/**
 * Every piece of text the widget shows, in one table so a site can translate it. Reaction labels
 * come from the deployment's GET /config; messages from the server are shown as the server words
 * them.
 */
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
  replyingTo: (name: string) => `Replying to ${name}`,
  cancel: 'Cancel',
  edited: 'edited',
  awaitingModeration: 'Your comment is awaiting moderation.',
  formHeading: 'Leave a Reply',
  formNote: 'Your email address will not be published. Required fields are marked *',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  comment: 'Comment',
  required: '*',
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
};

export type Strings = typeof strings;
