/**
 * Edit tokens: a secret the author's browser keeps, which lets it edit or delete its own comment
 * for a while. The token names the article (not secret: it is in the page) and carries 192
 * random bits; the table keeps only a keyed hash of the whole token.
 */
import { randomBytes } from 'node:crypto';
import type { KeyedHasher } from './keyed-hash';

const PURPOSE = 'edit-token';

export function issueEditToken(
  articleId: string,
  hasher: KeyedHasher,
): { token: string; hash: string } {
  const token = `${Buffer.from(articleId).toString('base64url')}.${randomBytes(24).toString('base64url')}`;
  return { token, hash: hasher.hash(PURPOSE, token) };
}

/** The article a token was issued for, or undefined when it is not a token at all. */
export function articleOfToken(token: string): string | undefined {
  const match = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match?.[1]) return undefined;
  return Buffer.from(match[1], 'base64url').toString('utf8');
}

/** Constant-time comparison of a presented token with the stored hash. */
export function tokenMatches(token: string, storedHash: string, hasher: KeyedHasher): boolean {
  return hasher.verify(PURPOSE, token, storedHash);
}
