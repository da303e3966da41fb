/**
 * The signed-in moderator's credentials: in memory, and in sessionStorage so a reload keeps the
 * tab signed in. Never localStorage: closing the tab forgets them, and so does signing out.
 * Temporary credentials carry their expiry; once past it the session is gone.
 */
import type { Auth } from './api';

const KEY = 'talkback.console.session';

export function loadSession(storage: Storage, now = Date.now()): Auth | undefined {
  const text = storage.getItem(KEY);
  if (!text) return undefined;
  try {
    const auth = JSON.parse(text) as Auth;
    if (auth.kind === 'sigv4' && auth.credentials.expiresAt <= now) {
      storage.removeItem(KEY);
      return undefined;
    }
    return auth;
  } catch {
    storage.removeItem(KEY);
    return undefined;
  }
}

export function saveSession(storage: Storage, auth: Auth): void {
  storage.setItem(KEY, JSON.stringify(auth));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(KEY);
}
