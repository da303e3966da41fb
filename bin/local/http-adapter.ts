/**
 * The thin adapter between Node's HTTP server and the Lambda handlers: it turns a request into
 * the API Gateway HTTP API (payload 2.0) event the deployed API would send, finds the handler
 * through the shared route table, and applies CORS the way the deployed API does.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bearerToken } from '../../lambda/http/auth';
import type { LambdaHandler } from '../../lambda/http/handler';
import { problems } from '../../lambda/http/problem';
import { type HttpResult, problemResponse } from '../../lambda/http/response';
import { FALLBACK_ROUTE, matchRoute, ROUTES } from '../../lambda/routes';

/** Requests larger than this are refused before any handler sees them (API Gateway: 10 MB). */
const MAX_READ_BYTES = 1024 * 1024;

export type HandlerTable = Map<string, LambdaHandler>;

/** Imports each route's handler module; call after the environment is set up. */
export async function loadHandlers(): Promise<HandlerTable> {
  const table: HandlerTable = new Map();
  for (const { handler } of [...ROUTES, FALLBACK_ROUTE]) {
    const module = (await import(`../../lambda/handlers/${handler}`)) as { handler: LambdaHandler };
    table.set(handler, module.handler);
  }
  return table;
}

/** Who may call operator routes locally: the token printed at start. */
export interface LocalAuth {
  adminToken: string;
}

function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CorsPolicy {
  allowedOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number;
}

function allowOrigin(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (policy.allowedOrigins.includes('*')) return '*';
  return policy.allowedOrigins.includes(origin) ? origin : undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) {
        resolve('too-large');
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  pathParameters: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    // API Gateway joins repeated parameters with commas.
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const method = request.method ?? 'GET';
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
    },
    body: body.length > 0 ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
  };
}

/** CloudFront compresses answers of 1,000 bytes up to 10 MB; smaller ones gain nothing. */
export const COMPRESS_MIN_BYTES = 1000;

/**
 * The encoding CloudFront would choose for this Accept-Encoding: brotli when the client takes
 * it, else gzip, else none. A `q=0` refuses an encoding.
 */
export function chooseEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const refused = parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
    if (name !== '' && !refused) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return undefined;
}

/** The body as the CDN would send it: compressed when worth it and the client accepts. */
export function encodeBody(
  body: string,
  acceptEncoding: string | undefined,
): { body: Buffer; headers: Record<string, string> } {
  const raw = Buffer.from(body, 'utf8');
  const encoding = raw.length >= COMPRESS_MIN_BYTES ? chooseEncoding(acceptEncoding) : undefined;
  // Like CloudFront's, the answer depends on Accept-Encoding whether or not it was compressed.
  const vary = { vary: 'accept-encoding' };
  if (encoding === undefined) return { body: raw, headers: vary };
  const compressed =
    encoding === 'br'
      ? brotliCompressSync(raw, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        })
      : gzipSync(raw);
  return { body: compressed, headers: { ...vary, 'content-encoding': encoding } };
}

/**
 * Writes a handler's result as the HTTP response, with any headers the adapter adds, compressed
 * as the CDN would for a client that accepts it.
 */
export function send(
  response: ServerResponse,
  result: HttpResult,
  extraHeaders: Record<string, string>,
  acceptEncoding?: string,
): void {
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const encoded = encodeBody(result.body ?? '', acceptEncoding);
  // CORS already varies on Origin: keep both.
  const vary = [headers.vary, encoded.headers.vary].filter(Boolean).join(', ');
  response.writeHead(result.statusCode, { ...headers, ...encoded.headers, vary });
  response.end(encoded.body);
}

/** Handles one API request; returns after the response is written. */
export async function serveApi(
  request: IncomingMessage,
  response: ServerResponse,
  handlers: HandlerTable,
  cors: CorsPolicy,
  auth: LocalAuth,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const origin = allowOrigin(cors, request.headers.origin);
  const corsHeaders: Record<string, string> = origin
    ? {
        'access-control-allow-origin': origin,
        'access-control-expose-headers': cors.exposeHeaders.join(','),
        vary: 'origin',
      }
    : {};
  const method = (request.method ?? 'GET').toUpperCase();

  // Preflight, answered by API Gateway itself when CORS is configured.
  if (method === 'OPTIONS' && request.headers['access-control-request-method']) {
    response.writeHead(204, {
      ...corsHeaders,
      ...(origin
        ? {
            'access-control-allow-methods': cors.allowMethods.join(','),
            'access-control-allow-headers': cors.allowHeaders.join(','),
            'access-control-max-age': String(cors.maxAgeSeconds),
          }
        : {}),
    });
    response.end();
    return;
  }

  const body = await readBody(request);
  if (body === 'too-large') {
    send(response, problemResponse(problems.tooLarge(MAX_READ_BYTES)), corsHeaders);
    return;
  }
  const match = matchRoute(method, url.pathname);
  const handlerName = match.kind === 'route' ? match.route.handler : FALLBACK_ROUTE.handler;
  const handler = handlers.get(handlerName);
  if (handler === undefined) throw new Error(`no handler module ${handlerName}`);
  const event = toEvent(
    request,
    url,
    body,
    match.kind === 'route' ? match.pathParameters : undefined,
  );
  if (match.kind === 'route' && match.route.auth === 'operator') {
    // Stands in for API Gateway's IAM authorizer: no valid token, no call to the function.
    if (!sameToken(bearerToken(event), auth.adminToken)) {
      const refusal = problems.unauthorized("Operators' routes need the local admin token.");
      send(response, problemResponse(refusal), corsHeaders);
      return;
    }
    Object.assign(event.requestContext, {
      authorizer: { iam: { userArn: 'local-operator', accessKey: 'local', accountId: 'local' } },
    });
  }
  const result = await handler(event, { awsRequestId: event.requestContext.requestId });
  send(response, result, corsHeaders, request.headers['accept-encoding']);
}
