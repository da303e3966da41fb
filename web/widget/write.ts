/**
 * The write chunk: "Leave a Reply" (reply-form.ts) and the visitor's own comments, kept, edited
 * and deleted (own-actions.ts). One chunk, since the form's checks, its English and the write
 * calls serve both, and a reader who has the form soon has a comment of their own.
 */

export { ownActions, ownComments } from './own-actions';
export { replyForm } from './reply-form';
