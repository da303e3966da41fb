/**
 * A signed-in reader's token, as the form reads it (in the write chunk): its claims decoded
 * without verifying, for display only ("Commenting as <name>", whether the notify box has an
 * address, whether a badge mode lets the reader in). The API verifies the token on each write;
 * the widget sends it only in the write's JSON body (docs/readers.md).
 */

export interface ReaderClaims {
  name: string;
  /** Whether the token carries an email: the notify box mails it. */
  email_: boolean;
  badges: string[];
}

/** The claims of `token` (a JWT), or null for no token or one the widget cannot read. */
export function readerClaims(token: string | undefined): ReaderClaims | null {
  try {
    const payload = token?.split('.')[1];
    if (!payload) return null;
    const bytes = Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof claims?.name !== 'string') return null;
    return {
      name: claims.name,
      email_: typeof claims.email === 'string' && claims.email !== '',
      badges: Array.isArray(claims.badges) ? claims.badges : [],
    };
  } catch {
    return null;
  }
}

/**
 * Whether `reader` may comment in the thread's mode: `signed-in` wants a token, `badge:<name>`
 * a token with that badge (the API has the last word: 401 or 403).
 */
export function mayComment(commenting: string | undefined, reader: ReaderClaims | null): boolean {
  if (!commenting || commenting === 'anyone') return true;
  if (!reader) return false;
  return !commenting.startsWith('badge:') || reader.badges.includes(commenting.slice(6));
}

/** The site's sign-in page, asked to bring the reader back to this article's comments. */
export function signInLink(signInUrl: string, page: string): string {
  const url = new URL(signInUrl);
  const back = new URL(page);
  back.hash = 'comments';
  url.searchParams.set('returnTo', back.href);
  return url.href;
}
