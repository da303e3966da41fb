/**
 * What the console and the CLI show in place of a comment's email: the address, or why there is
 * none. Only an erasure leaves an author named "Deleted user" without one; a staff reply never had
 * one, and a reader the site signed in, or a comment imported from a source without addresses,
 * may have none.
 */
import { type AdminComment, ERASED_AUTHOR_NAME } from '../../lambda/domain/comment';

export function authorAddress(comment: AdminComment): string {
  if (comment.email) return comment.email;
  if (comment.author.staff) return 'No email: a staff reply';
  if (comment.author.name === ERASED_AUTHOR_NAME) return '(erased)';
  return 'No email given';
}
