/**
 * What the widget keeps in the visitor's browser: a random visitor id for reactions, its votes,
 * the edit tokens of the visitor's own recent comments (with a copy of those awaiting moderation;
 * web/widget/own-storage.ts) and, only when the visitor opts in, their name, email and website
 * (web/widget/saved-author.ts). Storage can be unavailable (private
 * modes, sandboxed frames), so every access falls back to memory for the page's lifetime.
 */

const VISITOR_KEY = 'talkback.visitorId';
const VOTES_KEY = 'talkback.votes';
/** Votes remembered, newest last; the oldest make way (an article read long ago). */
const MAX_VOTES = 200;
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const memory = new Map<string, string>();

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

export function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

/** 24 characters from a 64-letter alphabet: 144 random bits, no modulo bias. */
export function visitorId(): string {
  const stored = read(VISITOR_KEY);
  if (stored && VISITOR_ID.test(stored)) return stored;
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const id = Array.from(bytes, (byte) => ALPHABET[byte & 63]).join('');
  write(VISITOR_KEY, id);
  return id;
}

function votes(): Record<string, string> {
  try {
    const value = JSON.parse(read(VOTES_KEY) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * The visitor's own reaction on an article, as this browser last heard it from the API (the
 * thread is the same for everyone, so it cannot say): null when none is remembered.
 */
export function ownVote(article: string): string | null {
  const vote = votes()[article];
  return typeof vote === 'string' ? vote : null;
}

export function rememberVote(article: string, reaction: string | null): void {
  const all = votes();
  delete all[article];
  if (reaction !== null) all[article] = reaction;
  const kept = Object.entries(all).slice(-MAX_VOTES);
  write(VOTES_KEY, kept.length > 0 ? JSON.stringify(Object.fromEntries(kept)) : null);
}

/** Where own-storage.ts keeps the visitor's own comments. */
export const OWN_KEY = 'talkback.own';

/** Whether this browser keeps anything of its own on `article`: a cheap look before parsing it. */
export const ownHere = (article: string): boolean =>
  (read(OWN_KEY) ?? '').includes(`"article":${JSON.stringify(article)}`);

/** The comments this browser liked (likes.ts keeps them): a JSON list of ids, newest last. */
export const LIKES_KEY = 'talkback.likes';

/** Whether this browser liked comment `id`, as the API last told it. */
export const liked = (id: string): boolean => (read(LIKES_KEY) ?? '').includes(`"${id}"`);
