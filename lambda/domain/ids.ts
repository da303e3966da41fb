import { randomBytes } from 'node:crypto';

/** Crockford's base32, as ULID uses it. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID: 48 bits of milliseconds then 80 random bits, 26 characters. Ids sort by time, and
 * a comment's creation time can be read back from its id (which is how a reply finds the key
 * of its parent without an index).
 */
export function ulid(timeMs: number, random: Buffer = randomBytes(10)): string {
  let time = '';
  let rest = timeMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      tail += ALPHABET[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return time + tail;
}

/** The millisecond timestamp a ULID carries. */
export function ulidTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, 10)) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) throw new RangeError('not a ULID');
    time = time * 32 + digit;
  }
  return time;
}

export type IdGenerator = (timeMs: number) => string;
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
export const ulidGenerator: IdGenerator = (timeMs) => ulid(timeMs);
