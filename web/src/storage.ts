/**
 * What the widget keeps in the visitor's browser: a random visitor id for reactions and, only
 * when the visitor opts in, their name, email and website. Storage can be unavailable (private
 * modes, sandboxed frames), so every access falls back to memory for the page's lifetime.
 */

const VISITOR_KEY = 'talkback.visitorId';
const AUTHOR_KEY = 'talkback.author';
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null): void {
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

export interface SavedAuthor {
  name: string;
  email: string;
  website: string;
}

export function savedAuthor(): SavedAuthor | null {
  try {
    const value = JSON.parse(read(AUTHOR_KEY) ?? 'null');
    return value && typeof value.name === 'string' && typeof value.email === 'string'
      ? { name: value.name, email: value.email, website: String(value.website ?? '') }
      : null;
  } catch {
    return null;
  }
}

export function saveAuthor(author: SavedAuthor | null): void {
  write(AUTHOR_KEY, author && JSON.stringify(author));
}
