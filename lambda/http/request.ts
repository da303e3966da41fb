import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as v from 'valibot';
import type { FieldError } from '../domain/errors';
import { validate } from '../domain/validation';
import { ORIGIN_VERIFY_HEADER } from '../env';
import { matchRoute } from '../routes';
import { problems } from './problem';

export type HttpEvent = APIGatewayProxyEventV2;

function header(event: HttpEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The JSON object in the request body: 415 unless the Content-Type is JSON, 413 above the size
 * limit, 400 unless the body is a JSON object.
 */
export function readJsonObject(event: HttpEvent, maxBytes: number): Record<string, unknown> {
  if (!JSON_MEDIA_TYPE.test(header(event, 'content-type') ?? '')) {
    throw problems.unsupportedMediaType();
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw problems.tooLarge(maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw problems.invalid('The request body is not valid JSON.', []);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw problems.invalid('The request body must be a JSON object.', []);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Validates several parts of a request (path, query, body) and throws one 400 that lists
 * every bad field of all of them, or returns each part's parsed value.
 */
export function validateAll<const T extends readonly [v.GenericSchema, unknown][]>(
  detail: string,
  ...parts: T
): { [K in keyof T]: v.InferOutput<T[K][0]> } {
  const errors: FieldError[] = [];
  const values: unknown[] = [];
  for (const [schema, input] of parts) {
    const result = validate(schema, input);
    if (result.ok) values.push(result.value);
    else errors.push(...result.errors);
  }
  if (errors.length > 0) throw problems.invalid(detail, errors);
  return values as { [K in keyof T]: v.InferOutput<T[K][0]> };
}

/**
 * Reads a write's path parameters and JSON body, each checked by its schema, with every bad
 * field of both in one 400 (path first). The body is read first, so a wrong type or size is a
 * 415/413.
 */
export function pathAndBody<P extends v.GenericSchema, B extends v.GenericSchema>(
  path: P,
  body: B,
  limits: { requestBodyMaxBytes: number },
) {
  return (event: HttpEvent, detail: string) => {
    const json = readJsonObject(event, limits.requestBodyMaxBytes);
    return validateAll(detail, [path, pathOf(event)], [body, json]);
  };
}

export const queryOf = (event: HttpEvent): Record<string, string | undefined> =>
  event.queryStringParameters ?? {};
/**
 * The path parameters. API Gateway fills them from its route; a Lambda function URL (the CDN's
 * origin for some reads, see lib/talkback-edge.ts) sends none, so they are read from the raw
 * path with the same route table.
 */
export function pathOf(event: HttpEvent): Record<string, string | undefined> {
  if (event.pathParameters !== undefined) return event.pathParameters;
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  // HEAD is answered as GET (the handler checks the method, see http/handler.ts).
  const match = matchRoute(method === 'HEAD' ? 'GET' : method, event.rawPath ?? '');
  if (match.kind !== 'route') throw problems.notFound();
  return match.pathParameters;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Lengths differ only when the value is wrong; timingSafeEqual needs equal lengths.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The address a write's rate limit is kept for. Behind the CDN, the connection's source is a
 * CloudFront edge shared by many readers; CloudFront then sends the reader's own address in
 * CloudFront-Viewer-Address (`ip:port`, the port after the last colon, so IPv6 works too).
 * That header is only believed when the request also carries the origin-verify value only
 * CloudFront knows, since anyone may call the API Gateway URL directly and forge it.
 * Otherwise (no edge configured, a direct call, a malformed header): the source address.
 */
export function clientAddress(event: HttpEvent, originVerify: string | undefined): string {
  const sourceIp = event.requestContext.http.sourceIp;
  if (originVerify === undefined || originVerify === '') return sourceIp;
  const verify = header(event, ORIGIN_VERIFY_HEADER);
  if (verify === undefined || !sameSecret(verify, originVerify)) return sourceIp;
  const viewer = header(event, 'cloudfront-viewer-address') ?? '';
  const colon = viewer.lastIndexOf(':');
  const ip = colon > 0 ? viewer.slice(0, colon) : '';
  return /^\d{1,5}$/.test(viewer.slice(colon + 1)) && isIP(ip) !== 0 ? ip : sourceIp;
}
