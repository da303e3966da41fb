import { createKeyedHasher } from '../../../lambda/domain/keyed-hash';

const SECRET = 'a-secret-of-at-least-32-characters!!';

describe('createKeyedHasher', () => {
  const hasher = createKeyedHasher(SECRET);

  it('is stable for the same purpose and value', () => {
    expect(hasher.hash('visitor', 'abc')).toBe(createKeyedHasher(SECRET).hash('visitor', 'abc'));
  });

  it('gives 22 base64url characters', () => {
    expect(hasher.hash('visitor', 'abc')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('separates purposes', () => {
    expect(hasher.hash('visitor', 'abc')).not.toBe(hasher.hash('cursor', 'abc'));
  });

  it('cannot be confused by moving text between purpose and value', () => {
    expect(hasher.hash('visitor', 'abc')).not.toBe(hasher.hash('visito', 'rabc'));
  });

  it('differs between values', () => {
    expect(hasher.hash('visitor', 'abc')).not.toBe(hasher.hash('visitor', 'abd'));
  });

  it('depends on the secret', () => {
    const other = createKeyedHasher(`${SECRET}-other`);
    expect(other.hash('visitor', 'abc')).not.toBe(hasher.hash('visitor', 'abc'));
  });

  it('verifies its own hash', () => {
    expect(hasher.verify('visitor', 'abc', hasher.hash('visitor', 'abc'))).toBe(true);
  });

  it.each([
    ['another value', 'visitor', 'abd'],
    ['another purpose', 'cursor', 'abc'],
  ])('does not verify the hash of %s', (_case, purpose, value) => {
    expect(hasher.verify(purpose, value, hasher.hash('visitor', 'abc'))).toBe(false);
  });

  it.each(['', 'short', 'x'.repeat(23), 'x'.repeat(22)])('rejects the signature %j', (sig) => {
    expect(hasher.verify('visitor', 'abc', sig)).toBe(false);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => createKeyedHasher('x'.repeat(31))).toThrow(/at least 32 characters/);
  });
});
