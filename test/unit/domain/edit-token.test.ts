import { articleOfToken, issueEditToken, tokenMatches } from '../../../lambda/domain/edit-token';
import { createKeyedHasher, type KeyedHasher } from '../../../lambda/domain/keyed-hash';
import { hasher } from '../fakes';

const ARTICLE = 'russia-north-korea-ties';

describe('issueEditToken', () => {
  it('gives a token naming the article, and its keyed hash', () => {
    const { token, hash } = issueEditToken(ARTICLE, hasher);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{32}$/);
    expect(articleOfToken(token)).toBe(ARTICLE);
    expect(hash).toBe(hasher.hash('edit-token', token));
    expect(hash).not.toContain(token.split('.')[1]);
  });

  it('gives a new secret every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => issueEditToken(ARTICLE, hasher).token));
    expect(tokens.size).toBe(50);
  });

  it('gives a hash that another deployment’s secret does not reproduce', () => {
    const { token, hash } = issueEditToken(ARTICLE, hasher);
    const other = createKeyedHasher('another-secret-0123456789-abcdefghijk');
    expect(tokenMatches(token, hash, other)).toBe(false);
  });
});

describe('articleOfToken', () => {
  it.each(['A'.repeat(128), 'a.b~c-_d', 'x'])('reads back the article id %s', (articleId) => {
    expect(articleOfToken(issueEditToken(articleId, hasher).token)).toBe(articleId);
  });

  it.each([
    ['empty', ''],
    ['without a dot', 'abcdef'],
    ['with a short secret', `${Buffer.from(ARTICLE).toString('base64url')}.short`],
    ['with a secret one character too long', `YQ.${'a'.repeat(33)}`],
    ['with three parts', `YQ.${'a'.repeat(32)}.x`],
    ['with padding or other characters', `YQ==.${'a'.repeat(32)}`],
    ['with an empty article part', `.${'a'.repeat(32)}`],
  ])('gives undefined for a token %s', (_case, token) => {
    expect(articleOfToken(token)).toBeUndefined();
  });
});

describe('tokenMatches', () => {
  it('accepts the token the hash was made from', () => {
    const { token, hash } = issueEditToken(ARTICLE, hasher);
    expect(tokenMatches(token, hash, hasher)).toBe(true);
  });

  it('refuses another token, and a token of another article', () => {
    const { hash } = issueEditToken(ARTICLE, hasher);
    expect(tokenMatches(issueEditToken(ARTICLE, hasher).token, hash, hasher)).toBe(false);
    expect(tokenMatches(issueEditToken('other', hasher).token, hash, hasher)).toBe(false);
  });

  it('refuses the stored hash presented as the token', () => {
    const { hash } = issueEditToken(ARTICLE, hasher);
    expect(tokenMatches(hash, hash, hasher)).toBe(false);
  });

  it('compares through the hasher’s constant-time verify, under the edit-token purpose', () => {
    const calls: [string, string, string][] = [];
    const spy: KeyedHasher = {
      hash: hasher.hash,
      verify: (purpose, value, expected) => {
        calls.push([purpose, value, expected]);
        return hasher.verify(purpose, value, expected);
      },
    };
    const { token, hash } = issueEditToken(ARTICLE, hasher);
    expect(tokenMatches(token, hash, spy)).toBe(true);
    expect(calls).toEqual([['edit-token', token, hash]]);
  });

  it('refuses a hash made for another purpose', () => {
    const { token } = issueEditToken(ARTICLE, hasher);
    expect(tokenMatches(token, hasher.hash('cursor', token), hasher)).toBe(false);
  });
});
