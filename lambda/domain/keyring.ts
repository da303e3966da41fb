/**
 * One key per purpose (docs/operations.md, "Keys"). Two secrets are the roots: the hashing
 * secret, which the functions that hash or page may read, and the link secret, which only the
 * functions that sign or check the mail's links may read. Every purpose's key comes from one of
 * them, by the table below, and the keyring hashes each purpose under its own key.
 *
 * The stored hashes (votes' visitor hashes, the email hashes erasure finds comments by, edit
 * tokens, reader and client hashes, mail markers) stay under the hashing secret itself, as they
 * were made before keys were per purpose: a visitor id is stored only as its hash, so a new key
 * could never find an old vote again. Each is still apart from the others by its label (HMAC of
 * `<purpose>\0<value>`). The purposes that store nothing (cursors) or that were given a secret of
 * their own (links) have keys derived by HKDF, one label each.
 */
import type { Clock } from './ids';
import {
  checkedSecret,
  createKeyedHasher,
  deriveKey,
  type KeyedHasher,
  keyedHasherOf,
} from './keyed-hash';

/** The two root secrets; the stack gives each function only those its purposes need. */
export type RootSecret = 'hashing' | 'links';

/** A key derived by HKDF: its root secret and its `info` label. */
interface DerivedKey {
  root: RootSecret;
  label: string;
}

const CURSORS: DerivedKey = { root: 'hashing', label: 'talkback/v1/cursors' };
const SUBSCRIPTION_LINKS: DerivedKey = { root: 'links', label: 'talkback/v1/subscription-links' };
const MODERATION_LINKS: DerivedKey = { root: 'links', label: 'talkback/v1/moderation-links' };
const COMMENTERS: DerivedKey = { root: 'hashing', label: 'talkback/v1/commenters' };
/** Webhook event ids and the once-only markers of deliveries (lambda/domain/webhooks.ts). */
const WEBHOOKS: DerivedKey = { root: 'hashing', label: 'talkback/v1/webhooks' };
/** The reporter's hash in a report's key, one report per visitor (lambda/domain/reports.ts). */
const REPORTS: DerivedKey = { root: 'hashing', label: 'talkback/v1/reports' };

/**
 * Each purpose's key: `stored` is the hashing secret itself (bit-compatible with every hash
 * already in the table); otherwise a derived key. `legacy`: tokens signed before link keys
 * existed (under the hashing secret itself) are still accepted during a transition.
 */
export const PURPOSE_KEYS = {
  visitor: 'stored',
  client: 'stored',
  email: 'stored',
  reader: 'stored',
  'edit-token': 'stored',
  mail: 'stored',
  cursor: CURSORS,
  'admin-cursor': CURSORS,
  'subscription-confirm': { ...SUBSCRIPTION_LINKS, legacy: true },
  'subscription-unsubscribe': { ...SUBSCRIPTION_LINKS, legacy: true },
  // The token, and the once-only marker of a notice's links for one comment.
  'moderation-link': MODERATION_LINKS,
  // A guest's commenterId (domain/commenters.ts): an id of its own, not the stored email hash.
  commenter: COMMENTERS,
  'webhook-event': WEBHOOKS,
  webhook: WEBHOOKS,
  reporter: REPORTS,
} as const satisfies Record<string, 'stored' | (DerivedKey & { legacy?: true })>;

export type Purpose = keyof typeof PURPOSE_KEYS;

/** The root secrets' values, each read when a purpose first needs it (it throws if absent). */
export interface KeyringSecrets {
  hashing(): string;
  links(): string;
  /**
   * The secret links were signed with before they had a key of their own (the hashing secret),
   * accepted until `until` (milliseconds since the epoch), or absent.
   */
  legacyLinks?: { secret(): string; until: number };
}

function isPurpose(purpose: string): purpose is Purpose {
  return Object.hasOwn(PURPOSE_KEYS, purpose);
}

/**
 * The keyring: a KeyedHasher that hashes and verifies each purpose under that purpose's key, and
 * refuses a purpose it has no key for. Keys are made on first use, once.
 */
export function createKeyring(secrets: KeyringSecrets, clock: Clock): KeyedHasher {
  const hashers = new Map<string, KeyedHasher>();
  const once = (name: string, make: () => KeyedHasher): KeyedHasher => {
    let hasher = hashers.get(name);
    if (hasher === undefined) {
      hasher = make();
      hashers.set(name, hasher);
    }
    return hasher;
  };
  // The hashing secret itself as the key, as every stored hash was made.
  const stored = () => once('stored', () => createKeyedHasher(secrets.hashing()));
  const root = (name: RootSecret): string =>
    name === 'hashing'
      ? checkedSecret(secrets.hashing(), 'the hashing secret')
      : checkedSecret(secrets.links(), 'the link secret');
  const keyOf = (purpose: string): KeyedHasher => {
    if (!isPurpose(purpose)) throw new Error(`no key for the purpose ${JSON.stringify(purpose)}`);
    const key = PURPOSE_KEYS[purpose];
    if (key === 'stored') return stored();
    return once(key.label, () => keyedHasherOf(deriveKey(root(key.root), key.label)));
  };
  const legacy = secrets.legacyLinks;
  /** The hashing secret as links were signed with it, for a purpose still accepting it now. */
  const legacyFor = (purpose: Purpose): KeyedHasher | undefined => {
    const key = PURPOSE_KEYS[purpose];
    if (legacy === undefined || key === 'stored' || !('legacy' in key)) return undefined;
    if (clock() >= legacy.until) return undefined;
    return once('legacy', () => createKeyedHasher(legacy.secret()));
  };
  return {
    hash: (purpose, value) => keyOf(purpose).hash(purpose, value),
    verify(purpose, value, expected) {
      if (keyOf(purpose).verify(purpose, value, expected)) return true;
      return legacyFor(purpose as Purpose)?.verify(purpose, value, expected) ?? false;
    },
  };
}
