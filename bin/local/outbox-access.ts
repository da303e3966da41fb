/**
 * Who may read the local outbox (the mail Talkback would send: readers' addresses, live confirm
 * and moderation links): a request to this server's own host name that carries the admin token,
 * as the console's local sign-in does. The host check stops a page on another site from reading
 * the outbox through DNS rebinding (its requests carry that site's name as Host); the token stops
 * whatever else runs on the machine and did not read the data folder.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { escapeHtml } from '../../lambda/domain/notification-mails';

const COOKIE = 'talkback_outbox';

export type OutboxAccess =
  | { kind: 'allowed' }
  | { kind: 'refused'; status: number; headers: Record<string, string>; body: string };

function same(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

const page = (status: number, title: string, body: string, headers = {}): OutboxAccess => ({
  kind: 'refused',
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  body: `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1>${body}`,
});

export function outboxAccess(
  request: IncomingMessage,
  url: URL,
  server: { port: number; adminToken: string },
): OutboxAccess {
  const hosts = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${server.port}`);
  if (!hosts.includes(request.headers.host ?? '')) {
    return page(
      421,
      'Not this host',
      `<p>The outbox answers only at ${escapeHtml(hosts[0] ?? '')}.</p>`,
    );
  }
  const token = url.searchParams.get('token') ?? undefined;
  if (same(token, server.adminToken)) {
    // Into a cookie, out of the address bar and the history.
    return page(303, 'Outbox', '', {
      location: url.pathname,
      'set-cookie': `${COOKIE}=${server.adminToken}; HttpOnly; SameSite=Strict; Path=/outbox`,
    });
  }
  if (same(cookieOf(request), server.adminToken)) return { kind: 'allowed' };
  return page(
    401,
    'Outbox',
    '<p>The outbox shows readers’ addresses: sign in with the admin token <code>npm start</code> printed.</p>' +
      '<form method="get" action="/outbox/"><label>Admin token <input name="token" type="password" autocomplete="off"></label> <button type="submit">Sign in</button></form>',
  );
}
