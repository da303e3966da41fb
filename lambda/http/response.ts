import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteCache } from '../routes';
import type { HttpProblem } from './problem';

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  /**
   * Not sent: how many seconds the answer stays true (an article that closes at a set time), so
   * that no cache keeps it longer (cacheControl). http/handler.ts takes it off the answer.
   */
  freshForSeconds?: number;
};

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(statusCode: number, body: unknown): HttpResult {
  return jsonText(statusCode, JSON.stringify(body));
}

/** A JSON answer whose body is already serialised. */
export function jsonText(statusCode: number, body: string): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' },
    body,
  };
}

export function noContent(): HttpResult {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
}

/** The RFC 9457 body. `instance` carries the request id so an operator can find the log line. */
export function problemResponse(problem: HttpProblem, requestId?: string): HttpResult {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json; charset=utf-8',
      'cache-control': 'no-store',
      ...problem.headers,
    },
    body: JSON.stringify({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
      ...(requestId ? { instance: `urn:talkback:request:${requestId}` } : {}),
    }),
  };
}

/** What every error, write and private answer carries: kept by no cache, shared or not. */
export const NO_STORE = 'no-store';

/** Said when an answer names one visitor's own state: never shared, never kept. */
export const PRIVATE_NO_STORE = 'private, no-store';

/**
 * The Cache-Control of a route's successful answer to a request with this query. A public
 * answer may be kept by browsers (max-age) and the CDN (s-maxage) and then served stale for a
 * while as it is refreshed in the background (RFC 5861), which CloudFront honours. An answer
 * that stays true only `freshForSeconds` more (a thread whose article closes then) is kept, stale
 * time included, no longer than that.
 */
export function cacheControl(
  cache: RouteCache,
  query: Readonly<Record<string, string | undefined>>,
  freshForSeconds?: number,
): string {
  if (cache.kind === 'no-store') return NO_STORE;
  if (cache.privateWith !== undefined && query[cache.privateWith] !== undefined) {
    return PRIVATE_NO_STORE;
  }
  const left = Math.max(0, Math.floor(freshForSeconds ?? Number.POSITIVE_INFINITY));
  const age = Math.min(cache.maxAgeSeconds, left);
  const stale = Math.min(cache.staleWhileRevalidateSeconds, left - age);
  return `public, max-age=${age}, s-maxage=${age}, stale-while-revalidate=${stale}`;
}

/** The answer, marked as true for `seconds` more (undefined: until something changes it). */
export function freshFor(result: HttpResult, seconds: number | undefined): HttpResult {
  return seconds === undefined ? result : { ...result, freshForSeconds: seconds };
}

/** The answer with its Cache-Control decided by the route, for a success; errors keep no-store. */
export function withCacheControl(result: HttpResult, value: string): HttpResult {
  if (result.statusCode >= 300) return result;
  return { ...result, headers: { ...result.headers, 'cache-control': value } };
}
