/** API Gateway HTTP API (payload 2.0) events, as the deployed API and the local server build them. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface EventInit {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  sourceIp?: string;
}

export function httpEvent(
  method: string,
  path: string,
  init: EventInit = {},
): APIGatewayProxyEventV2 {
  const query = init.query ?? {};
  const body =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body);
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json', ...init.headers },
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: init.pathParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: `request-${Math.random().toString(36).slice(2)}`,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: init.sourceIp ?? '127.0.0.1',
        userAgent: 'jest',
      },
    },
    body,
    isBase64Encoded: false,
  };
}

/** Parses a handler result's JSON body. */
export function bodyOf(result: { body?: string }): Record<string, unknown> {
  return JSON.parse(result.body ?? 'null');
}
