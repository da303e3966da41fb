/**
 * The name, email and website the visitor asked this browser to keep for their next comment
 * (the form's "Save my name…"): only the form's chunk reads or writes them.
 */
import { read, write } from './core';

const AUTHOR_KEY = 'talkback.author';

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
