import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keyed hashes (HMAC-SHA256) under the deployment's secret. A keyed hash of a visitor id cannot
 * be reversed or recomputed by anyone who reads the table without the secret. Each use has its
 * own purpose label so a hash made for one purpose never matches another.
 */
export interface KeyedHasher {
  hash(purpose: string, value: string): string;
  verify(purpose: string, value: string, expected: string): boolean;
}

export const MIN_SECRET_LENGTH = 32;

export function createKeyedHasher(secret: string): KeyedHasher {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the hashing secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const hash = (purpose: string, value: string): string =>
    // 128 bits are plenty for identity and keep keys short in the console.
    createHmac('sha256', secret)
      .update(`${purpose}\u0000${value}`)
      .digest('base64url')
      .slice(0, 22);
  return {
    hash,
    verify(purpose, value, expected) {
      const actual = Buffer.from(hash(purpose, value));
      const wanted = Buffer.from(expected);
      return actual.length === wanted.length && timingSafeEqual(actual, wanted);
    },
  };
}
