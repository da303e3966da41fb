/**
 * One key per purpose (lambda/domain/keyring.ts): the stored hashes bit-compatible with every
 * hash already in a table, the other purposes under HKDF-derived keys of their own (RFC 5869),
 * and links mailed before link keys accepted only during a transition.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import {
  createKeyedHasher,
  deriveKey,
  readSignedJson,
  signJson,
} from '../../../lambda/domain/keyed-hash';
import { createKeyring, PURPOSE_KEYS, type Purpose } from '../../../lambda/domain/keyring';

const HASHING = 'hashing-secret-0123456789-0123456789-abcdef';
const LINKS = 'link-secret-0123456789-0123456789-abcdefghij';
const NOW = Date.parse('2027-01-10T12:00:00Z');
const clock = () => NOW;

const keyring = (secrets: { hashing?: string; links?: string } = {}) =>
  createKeyring(
    { hashing: () => secrets.hashing ?? HASHING, links: () => secrets.links ?? LINKS },
    clock,
  );

const purposes = Object.keys(PURPOSE_KEYS) as Purpose[];
const stored = purposes.filter((purpose) => PURPOSE_KEYS[purpose] === 'stored');
const derived = purposes.filter((purpose) => PURPOSE_KEYS[purpose] !== 'stored');
const rootOf = (purpose: Purpose) => {
  const key = PURPOSE_KEYS[purpose];
  return key === 'stored' ? 'hashing' : key.root;
};

/** HKDF (RFC 5869, section 2) written out with HMAC alone, to check node's against. */
function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac('sha256', salt.length > 0 ? salt : Buffer.alloc(32))
    .update(ikm)
    .digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac('sha256', prk)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const range = (from: number, to: number) =>
  Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));

describe('HKDF', () => {
  // RFC 5869, appendix A: test cases 1 to 3 (SHA-256).
  const VECTORS = [
    {
      name: 'test case 1',
      ikm: Buffer.alloc(22, 0x0b),
      salt: range(0x00, 0x0c),
      info: range(0xf0, 0xf9),
      okm: hex(`3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf
                34007208d5b887185865`),
    },
    {
      name: 'test case 2 (longer inputs)',
      ikm: range(0x00, 0x4f),
      salt: range(0x60, 0xaf),
      info: range(0xb0, 0xff),
      okm: hex(`b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
                59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
                cc30c58179ec3e87c14c01d5c1f3434f1d87`),
    },
    {
      name: 'test case 3 (no salt, no info), as Talkback derives',
      ikm: Buffer.alloc(22, 0x0b),
      salt: Buffer.alloc(0),
      info: Buffer.alloc(0),
      okm: hex(`8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d
                9d201395faa4b61a96c8`),
    },
  ];

  it.each(VECTORS)('gives the RFC 5869 output of $name', ({ ikm, salt, info, okm }) => {
    expect(Buffer.from(hkdfSync('sha256', ikm, salt, info, okm.length))).toEqual(okm);
    expect(hkdf(ikm, salt, info, okm.length)).toEqual(okm);
  });

  it('derives a purpose key as HKDF-SHA256 of the secret, no salt, the label as info', () => {
    const label = 'talkback/v1/cursors';
    expect(deriveKey(HASHING, label).export()).toEqual(
      hkdf(Buffer.from(HASHING), Buffer.alloc(0), Buffer.from(label), 32),
    );
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => deriveKey('x'.repeat(31), 'talkback/v1/cursors')).toThrow(/at least 32/);
  });
});

describe('the keyring', () => {
  // Votes, rate-limit windows, erasure and the first-time policy, signed-in readers, edit
  // tokens and the mail's once-only markers all find what is stored by these hashes.
  const STORED = ['visitor', 'client', 'email', 'reader', 'edit-token', 'mail'];

  it.each(STORED)('hashes %s as before per-purpose keys: the hashing secret itself', (purpose) => {
    const before = createKeyedHasher(HASHING);
    expect(keyring().hash(purpose, 'value-1')).toBe(before.hash(purpose, 'value-1'));
    expect(keyring().verify(purpose, 'value-1', before.hash(purpose, 'value-1'))).toBe(true);
  });

  it('keeps the stored purposes to the ones the table holds hashes of', () => {
    expect(stored.sort()).toEqual([...STORED].sort());
  });

  it.each(derived)('hashes %s under a key of its own, not the secret itself', (purpose) => {
    expect(keyring().hash(purpose, 'value-1')).not.toBe(
      createKeyedHasher(HASHING).hash(purpose, 'value-1'),
    );
    expect(keyring().hash(purpose, 'value-1')).not.toBe(
      createKeyedHasher(LINKS).hash(purpose, 'value-1'),
    );
  });

  it('derives a distinct key for each derived key label', () => {
    const labels = [
      ...new Set(derived.map((purpose) => (PURPOSE_KEYS[purpose] as { label: string }).label)),
    ];
    expect(labels.sort()).toEqual([
      'talkback/v1/commenters',
      'talkback/v1/cursors',
      'talkback/v1/moderation-links',
      'talkback/v1/reports',
      'talkback/v1/subscription-links',
      'talkback/v1/webhooks',
    ]);
    const keys = labels.map((label) => deriveKey(HASHING, label).export().toString('hex'));
    expect(new Set(keys).size).toBe(labels.length);
    // The same label under the other secret is another key again.
    expect(
      deriveKey(LINKS, labels[0] ?? '')
        .export()
        .toString('hex'),
    ).not.toBe(keys[0]);
  });

  it('gives the same value distinct hashes under every purpose', () => {
    const hashes = purposes.map((purpose) => keyring().hash(purpose, 'value-1'));
    expect(new Set(hashes).size).toBe(purposes.length);
  });

  it.each(purposes)('keys %s from its own root secret, and from that one only', (purpose) => {
    const root = rootOf(purpose);
    const other = root === 'hashing' ? 'links' : 'hashing';
    const changed = `changed-${'x'.repeat(40)}`;
    expect(keyring({ [other]: changed }).hash(purpose, 'v')).toBe(keyring().hash(purpose, 'v'));
    expect(keyring({ [root]: changed }).hash(purpose, 'v')).not.toBe(keyring().hash(purpose, 'v'));
  });

  it('puts cursors, webhooks and reporters under the hashing secret and the mail links under the link secret', () => {
    expect(Object.fromEntries(derived.map((purpose) => [purpose, rootOf(purpose)]))).toEqual({
      cursor: 'hashing',
      'admin-cursor': 'hashing',
      commenter: 'hashing',
      'subscription-confirm': 'links',
      'subscription-unsubscribe': 'links',
      webhook: 'hashing',
      'webhook-event': 'hashing',
      'moderation-link': 'links',
      reporter: 'hashing',
    });
  });

  it('refuses a purpose it has no key for', () => {
    expect(() => keyring().hash('visitors', 'v')).toThrow('no key for the purpose "visitors"');
    expect(() => keyring().verify('v', 'v', 'x')).toThrow('no key for the purpose "v"');
  });

  it('reads a root secret only when a purpose needs it', () => {
    const ring = createKeyring(
      {
        hashing: () => HASHING,
        links: () => {
          throw new Error('neither TALKBACK_LINK_SECRET_ARN nor TALKBACK_LINK_SECRET is set');
        },
      },
      clock,
    );
    expect(ring.hash('visitor', 'v')).toBe(createKeyedHasher(HASHING).hash('visitor', 'v'));
    expect(() => ring.hash('subscription-unsubscribe', 'v')).toThrow(/TALKBACK_LINK_SECRET/);
  });
});

describe('links mailed before links had a key of their own', () => {
  const before = createKeyedHasher(HASHING);
  const until = NOW + 60_000;
  const transition = (now: number) =>
    createKeyring(
      {
        hashing: () => {
          throw new Error('a link function has no hashing secret');
        },
        links: () => LINKS,
        legacyLinks: { secret: () => HASHING, until },
      },
      () => now,
    );
  const oldToken = (purpose: string) => signJson({ h: 'email-hash' }, purpose, before);

  it.each(['subscription-confirm', 'subscription-unsubscribe'])(
    'are accepted for %s until the transition ends, and not after',
    (purpose) => {
      expect(readSignedJson(oldToken(purpose), purpose, transition(NOW))).toEqual({
        h: 'email-hash',
      });
      expect(readSignedJson(oldToken(purpose), purpose, transition(until))).toBeUndefined();
    },
  );

  it('are never accepted for moderators links', () => {
    const token = oldToken('moderation-link');
    expect(readSignedJson(token, 'moderation-link', transition(NOW))).toBeUndefined();
  });

  it('are not accepted without a transition', () => {
    const purpose = 'subscription-unsubscribe';
    expect(readSignedJson(oldToken(purpose), purpose, keyring())).toBeUndefined();
  });

  it('sign nothing new: new links are under the link key, and are accepted', () => {
    const ring = transition(NOW);
    const token = signJson({ h: 'email-hash' }, 'subscription-unsubscribe', ring);
    expect(token).not.toBe(oldToken('subscription-unsubscribe'));
    expect(readSignedJson(token, 'subscription-unsubscribe', keyring())).toEqual({
      h: 'email-hash',
    });
  });

  it('cannot pass for another kind of link', () => {
    const token = oldToken('subscription-confirm');
    expect(readSignedJson(token, 'subscription-unsubscribe', transition(NOW))).toBeUndefined();
  });
});
