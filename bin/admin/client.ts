/**
 * The operator's HTTP client for Talkback's /admin/ routes. Against a deployed API it signs each
 * request with SigV4 (service execute-api) using the operator's usual AWS credentials (the
 * default provider chain: environment, profile, SSO, instance role); against the local server
 * it sends the admin token that `npm start` printed. The request is built as the console builds
 * its own (web/shared/admin-request.ts).
 */
import { Hash } from '@smithy/hash-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type AdminAuth, adminRequest as buildRequest } from '../../web/shared/admin-request';

export type { AdminAuth } from '../../web/shared/admin-request';

export interface AdminResponse {
  status: number;
  body: unknown;
  /** Seconds the API asked to wait (Retry-After of a 429 or 503), if it said. */
  retryAfterSeconds?: number;
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocal(apiUrl: string): boolean {
  return LOCAL_HOSTS.has(new URL(apiUrl).hostname);
}

/** The region of an execute-api URL such as https://abc123.execute-api.eu-west-1.amazonaws.com. */
export function regionOf(apiUrl: string, fallback?: string): string {
  const match = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(apiUrl).hostname);
  const region = match?.[1] ?? fallback;
  if (!region) {
    throw new Error('Cannot tell the API region from its URL; set AWS_REGION.');
  }
  return region;
}

/**
 * The SDK's default credential chain, loaded on the first signed request: against the local
 * server the CLI never loads it (an import is a long-running process; the chain is ~10 MB).
 */
function lazyProviderChain(): AwsCredentialIdentityProvider {
  // The promise is kept, not the chain: requests signed at once share one chain (one SSO or MFA
  // prompt), and the chain keeps and refreshes what it resolved.
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (options) => {
    chain ??= import('@aws-sdk/credential-providers').then((module) =>
      module.fromNodeProviderChain(),
    );
    return (await chain)(options);
  };
}

export function defaultSigV4(apiUrl: string, env: NodeJS.ProcessEnv = process.env): AdminAuth {
  return {
    kind: 'sigv4',
    region: regionOf(apiUrl, env.AWS_REGION ?? env.AWS_DEFAULT_REGION),
    credentials: lazyProviderChain(),
  };
}

/** Builds the signed (or token-carrying) request without sending it, hashing with Node's SHA-256. */
export function prepareRequest(
  apiUrl: string,
  auth: AdminAuth,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ url: string; init: RequestInit }> {
  return buildRequest(apiUrl, auth, Hash.bind(null, 'sha256'), method, path, body);
}

export async function adminRequest(
  apiUrl: string,
  auth: AdminAuth,
  method: string,
  path: string,
  body?: unknown,
  fetchImpl: Fetch = fetch,
): Promise<AdminResponse> {
  const { url, init } = await prepareRequest(apiUrl, auth, method, path, body);
  const response = await fetchImpl(url, init).catch((error: unknown) => {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new Error(
      `Cannot reach the Talkback API at ${apiUrl} (${code}). Is it running? Point the CLI at another with --api URL or TALKBACK_API_URL.`,
      { cause: error },
    );
  });
  const textBody = await response.text();
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return {
    status: response.status,
    body: textBody === '' ? null : JSON.parse(textBody),
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
}
