import type { Comment } from './api';

/**
 * What the widget keeps in the visitor's browser: a random visitor id for reactions, the edit
 * tokens of the visitor's own recent comments (with a copy of those awaiting moderation) and,
 * only when the visitor opts in, their name, email and website. Storage can be unavailable (private
 * modes, sandboxed frames), so every access falls back to memory for the page's lifetime.
 */

const VISITOR_KEY = 'talkback.visitorId';
const AUTHOR_KEY = 'talkback.author';
const OWN_KEY = 'talkback.own';
const VOTES_KEY = 'talkback.votes';
/** Votes remembered, newest last; the oldest make way (an article read long ago). */
const MAX_VOTES = 200;
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

/**
 * One of the visitor's own comments: its edit token while the edit window lasts, and, while it
 * awaits moderation, the comment itself (public fields only), so its author still sees it after
 * a reload. Nobody else does: it is in no public list until a moderator publishes it.
 */
export interface OwnComment {
  id: string;
  article: string;
  createdAt: string;
  token?: string;
  pending?: Comment;
}

/** How long a comment awaiting moderation is shown to its author, at most. */
const PENDING_MS = 7 * 24 * 60 * 60 * 1000;

function ownComments(): OwnComment[] {
  try {
    const value = JSON.parse(read(OWN_KEY) ?? '[]');
    return Array.isArray(value)
      ? value.filter(
          (own) =>
            own &&
            typeof own.id === 'string' &&
            typeof own.article === 'string' &&
            typeof own.createdAt === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function saveOwn(list: OwnComment[]): void {
  write(OWN_KEY, list.length > 0 ? JSON.stringify(list) : null);
}

/**
 * This article's own comments, after forgetting every token whose window (from the comment's
 * createdAt) has closed and every entry left with nothing to keep.
 */
export function ownCommentsOf(article: string, windowMs: number): OwnComment[] {
  const now = Date.now();
  const kept: OwnComment[] = [];
  for (const own of ownComments()) {
    const created = Date.parse(own.createdAt);
    const entry = { ...own };
    if (!(now < created + windowMs)) delete entry.token;
    if (!(now < created + PENDING_MS)) delete entry.pending;
    if (entry.token || entry.pending) kept.push(entry);
  }
  saveOwn(kept);
  return kept.filter((own) => own.article === article);
}

export function rememberOwn(own: OwnComment): void {
  saveOwn([...ownComments().filter((entry) => entry.id !== own.id), own]);
}

/** Changes one entry; an entry left with neither token nor pending copy is forgotten. */
export function updateOwn(id: string, change: Partial<OwnComment>): void {
  saveOwn(
    ownComments()
      .map((own) => (own.id === id ? { ...own, ...change } : own))
      .filter((own) => own.token || own.pending),
  );
}
