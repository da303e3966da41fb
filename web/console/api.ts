/**
 * The console's only way out: requests to the operators' API. Locally they carry the admin
 * token `npm start` printed; on AWS they are signed with SigV4 (service execute-api) using the
 * temporary credentials the identity pool gave the signed-in moderator, so the API keeps one
 * authorisation model, IAM, for the CLI and the console alike.
 */

import { adminRequest } from '../shared/admin-request';
import type { FieldError } from '../shared/api';
import { WebCryptoSha256 } from './sha256';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type Auth =
  | { kind: 'token'; token: string }
  | { kind: 'sigv4'; region: string; credentials: TemporaryCredentials };

/** What a refusal's problem+json carries, as far as the console reads it. */
interface Problem {
  detail?: string;
  errors?: FieldError[];
}

/** A refusal of the API: its status, and what its problem+json says. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(
    readonly status: number,
    problem: Problem,
  ) {
    const detail = problem.detail ?? `The API answered ${status}.`;
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    // The message names each bad field, as a moderator needs to read it.
    super(
      errors.length === 0
        ? detail
        : `${detail.replace(/\.$/, '')}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
    );
    this.detail = detail;
    this.errors = errors;
  }
}

export interface PreparedRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
}

/** Where the console's requests go: the API's URL, and the host a signature names if not its. */
export interface ApiTarget {
  apiUrl: string;
  /** On AWS: API Gateway's host, which the CDN sends the API (config.json's signedHost). */
  signedHost?: string;
}

/** The request as it will go out (web/shared/admin-request.ts), hashed with Web Crypto. */
export async function prepare(
  target: string | ApiTarget,
  auth: Auth,
  method: string,
  path: string,
  body?: unknown,
): Promise<PreparedRequest> {
  const { apiUrl, signedHost } = typeof target === 'string' ? { apiUrl: target } : target;
  const { url, init } = await adminRequest(
    apiUrl,
    auth.kind === 'token'
      ? auth
      : {
          kind: 'sigv4',
          region: auth.region,
          credentials: {
            accessKeyId: auth.credentials.accessKeyId,
            secretAccessKey: auth.credentials.secretAccessKey,
            sessionToken: auth.credentials.sessionToken,
          },
          ...(signedHost === undefined ? {} : { signedHost }),
        },
    WebCryptoSha256,
    method,
    path,
    body,
  );
  return { url, init: { ...init, credentials: 'omit' } };
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export function createApi(
  target: string | ApiTarget,
  auth: () => Auth,
  fetcher: Fetch = fetch.bind(globalThis),
) {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    keepalive = false,
  ): Promise<T> {
    const { url, init } = await prepare(target, auth(), method, path, body);
    const response = await fetcher(url, { ...init, keepalive });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as Problem;
    if (!response.ok) throw new ApiError(response.status, payload);
    return payload as T;
  }
  return call;
}

export type Call = ReturnType<typeof createApi>;
