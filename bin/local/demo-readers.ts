/**
 * The demo page's "Sign in as a demo subscriber" (docs/readers.md, "Try it locally"): unless
 * TALKBACK_SETTINGS names issuers of its own, `npm start` trusts a demo issuer whose HS256 secret
 * is made fresh at each start and never leaves the server, and `POST /demo/reader-token` mints a
 * token for a demo subscriber with it, as a news site's server would for its signed-in reader.
 * The endpoint exists only here, on the local server; nothing like it is deployed.
 */

import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { settingsFromEnv } from '../../lambda/domain/settings';

export const DEMO_TOKEN_PATH = '/demo/reader-token';
export const DEMO_AUDIENCE = 'talkback-demo';

export interface DemoReaders {
  /** Mints a one-hour token for the demo subscriber; undefined when the settings name their own issuers. */
  mint(): Promise<string> | undefined;
}

/**
 * Puts the demo issuer into `env.TALKBACK_SETTINGS` (before the handlers read it) when its
 * `readers` names no issuers: the rest of `readers` (a commenting mode, a sign-in page) is kept,
 * so `{"readers":{"commenting":"badge:subscriber"}}` shows the subscribers-only flow.
 * `url` is the server's own: the issuer is named after it.
 */
export function useDemoReaders(env: NodeJS.ProcessEnv, url: string): DemoReaders {
  // Bad settings are refused first, in the words every other reader of them uses.
  settingsFromEnv(env);
  const settings = JSON.parse(env.TALKBACK_SETTINGS || '{}') as {
    readers?: { issuers?: { audience?: string }[]; badges?: string[] };
  };
  // A server started again in this process finds its last demo issuer here: not the user's.
  const own = settings.readers?.issuers?.filter((entry) => entry.audience !== DEMO_AUDIENCE);
  if (own?.length) return { mint: () => undefined };
  const issuer = new URL('/demo', url).href;
  const secret = randomBytes(32).toString('base64url');
  env.TALKBACK_SETTINGS = JSON.stringify({
    ...settings,
    readers: {
      badges: ['subscriber'],
      ...settings.readers,
      issuers: [{ issuer, audience: DEMO_AUDIENCE, secret }],
    },
  });
  const key = new TextEncoder().encode(secret);
  return {
    mint: () =>
      new SignJWT({ name: 'Demo Subscriber', badges: ['subscriber'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(DEMO_AUDIENCE)
        .setSubject('demo-subscriber')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key),
  };
}
