/** The words the console and the CLI give in place of an email (web/shared/author-address.ts). */
import type { AdminComment } from '../../lambda/domain/comment';
import { authorAddress } from '../../web/shared/author-address';

const comment = (author: Partial<AdminComment['author']>, email?: string) =>
  ({ email, author: { name: 'Ada', verified: false, badges: [], ...author } }) as AdminComment;

describe('authorAddress', () => {
  it.each([
    ['the address', comment({}, 'ada@example.org'), 'ada@example.org'],
    ['a staff reply', comment({ staff: true }), 'No email: a staff reply'],
    ['an erased author', comment({ name: 'Deleted user' }), '(erased)'],
    ['a signed-in reader without an email', comment({ verified: true }), 'No email given'],
    ['an imported comment without one', comment({}), 'No email given'],
  ])('gives %s', (_case, given, text) => {
    expect(authorAddress(given)).toBe(text);
  });
});
