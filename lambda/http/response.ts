import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpProblem } from './problem';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

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
