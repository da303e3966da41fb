/**
 * How a request to the operators' API is built, for its two clients: the CLI (bin/admin/client.ts,
 * in Node) and the console (web/console/api.ts, in the browser). Locally it carries the admin
 * token `npm start` printed; on AWS it is signed with SigV4 (service execute-api), so the API
 * keeps one authorisation model, IAM, for both. The hash is the caller's: Node's for the CLI,
 * Web Crypto's for the console, so neither bundle carries the other's.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  ChecksumConstructor,
  HashConstructor,
} from '@smithy/types';

export type AdminAuth =
  | { kind: 'token'; token: string }
  | {
      kind: 'sigv4';
      region: string;
      credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
      /**
       * The host the signature names, when it is not apiUrl's: the console on AWS sends its
       * requests to its own origin, and the CDN passes them on to API Gateway under the API's
       * own host (lib/edge-api.ts), which is the one API Gateway checks the signature with.
       */
      signedHost?: string;
    };

export interface AdminRequest {
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
}

/** The request as it will go out: the URL, and headers with the token or the signature. */
export async function adminRequest(
  apiUrl: string,
  auth: AdminAuth,
  sha256: ChecksumConstructor | HashConstructor,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminRequest> {
  const url = new URL(path.replace(/^\//, ''), apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(text === undefined ? {} : { 'content-type': 'application/json' }),
  };
  if (auth.kind === 'token') {
    headers.authorization = `Bearer ${auth.token}`;
  } else {
    const signer = new SignatureV4({
      service: 'execute-api',
      region: auth.region,
      credentials: auth.credentials,
      sha256,
    });
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, name) => {
      query[name] = value;
    });
    const host = auth.signedHost ?? url.host;
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: auth.signedHost ?? url.hostname,
      port: auth.signedHost === undefined && url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      // The host is signed; fetch sends its own and refuses to be given one (through the CDN,
      // the CDN sends the API the signed one).
      headers: { ...headers, host },
      body: text,
    });
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name.toLowerCase() !== 'host') headers[name] = value;
    }
  }
  return {
    url: url.toString(),
    init: { method, headers, ...(text === undefined ? {} : { body: text }) },
  };
}
