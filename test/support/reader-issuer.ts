/**
 * A site that signs its readers in, for tests: keys generated in the test, a JWKS served on
 * 127.0.0.1 (that a test can take down or slow), and tokens minted as a site's server would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';

export const SHARED_ISSUER = 'https://accounts.shared.example';
export const KEYS_ISSUER = 'https://accounts.keys.example';
export const AUDIENCE = 'talkback';
export const SHARED_SECRET = 'shared-secret-of-the-site-0123456789abcdef';

export type KeyAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

export interface SigningKey {
  alg: KeyAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(alg: KeyAlgorithm, kid = `${alg}-key`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicJwk };
}

/** A JWKS endpoint: `keys` is what it serves now; `mode` makes it fail or hang. */
export class KeySetServer {
  keys: JWK[] = [];
  mode: 'up' | 'down' | 'hang' | 'garbage' = 'up';
  requests = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.requests += 1;
      if (this.mode === 'hang') return;
      if (this.mode === 'down') {
        response.writeHead(502).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(this.mode === 'garbage' ? '<html>' : JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/**
 * The site a test file signs its readers in with: one RS256 key, whose JWKS is served from
 * before the file's first test to after its last, and serves that key again, up and with its
 * request count at 0, before each test.
 */
export function jwksSite() {
  const server = new KeySetServer();
  let jwksUrl: string | undefined;
  let rsa: SigningKey | undefined;
  beforeAll(async () => {
    jwksUrl = await server.start();
    rsa = await signingKey('RS256');
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.keys = [site.rsa.publicJwk];
    server.mode = 'up';
    server.requests = 0;
  });
  const site = {
    server,
    get jwksUrl(): string {
      if (jwksUrl === undefined) throw new Error('the JWKS is served from beforeAll on');
      return jwksUrl;
    },
    get rsa(): SigningKey {
      if (rsa === undefined) throw new Error('the key is made in beforeAll');
      return rsa;
    },
  };
  return site;
}

export interface Mint {
  claims?: JWTPayload & Record<string, unknown>;
  /** Seconds since the epoch; the token's iat (now by default). */
  iat?: number;
  /** Seconds after iat (an hour by default). */
  lifetime?: number;
  issuer?: string;
  audience?: string;
}

function token(mint: Mint, nowSeconds: number, fallbackIssuer: string) {
  const iat = mint.iat ?? nowSeconds;
  return new SignJWT({ name: 'Ada Reader', email: 'ada@reader.example', ...mint.claims })
    .setIssuer(mint.issuer ?? fallbackIssuer)
    .setAudience(mint.audience ?? AUDIENCE)
    .setSubject(String(mint.claims?.sub ?? 'user-42'))
    .setIssuedAt(iat)
    .setExpirationTime(iat + (mint.lifetime ?? 3600));
}

/** A token signed with the shared secret, as a site's server with HS256 mints it. */
export function hs256Token(nowMs: number, mint: Mint = {}, secret = SHARED_SECRET) {
  return token(mint, Math.floor(nowMs / 1000), SHARED_ISSUER)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/** A token signed with one of the site's key pairs, its key id in the header. */
export function keyToken(nowMs: number, key: SigningKey, mint: Mint = {}) {
  return token(mint, Math.floor(nowMs / 1000), KEYS_ISSUER)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

/** The `readers` settings for one issuer of each kind. */
export function readerSettings(jwksUrl: string, more: Record<string, unknown> = {}) {
  return {
    issuers: [
      { issuer: SHARED_ISSUER, audience: AUDIENCE, secret: SHARED_SECRET },
      { issuer: KEYS_ISSUER, audience: AUDIENCE, jwksUrl },
    ],
    badges: ['subscriber'],
    ...more,
  };
}

/** An unsigned token (`alg: none`), as an attacker would send one. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
