/**
 * What the console says when a request fails: refused credentials end the session, and the
 * sign-in screen says why: an expired session (401, or credentials past their expiry) is not a
 * refusal of who the moderator is.
 */

import { byId } from './dom';
import { signOut } from './sign-in';
import { state } from './state';
import { toast } from './undo';

export function failed(caught: unknown): void {
  // Signed out already (a refused request did it): the sign-in screen says so.
  if (!state.auth) return;
  const status = (caught as { status?: number }).status;
  if (status === 401 || status === 403) {
    const auth = state.auth;
    const expired =
      status === 401 || (auth.kind === 'sigv4' && auth.credentials.expiresAt <= Date.now());
    signOut();
    byId('sign-in-error').textContent = expired
      ? 'Your session has expired. Sign in again to go on.'
      : 'The API refused these credentials. Please sign in again.';
    return;
  }
  toast({ label: caught instanceof Error ? caught.message : 'Something went wrong.', error: true });
}
