/** API Gateway HTTP API (payload 2.0) events, as the deployed API and the local server build them. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface EventInit {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  sourceIp?: string;
  /** The matched route template, e.g. `GET /articles/{articleId}/comments`; `method path` when absent. */
  routeKey?: string;
  /** Headers to leave out, such as the default content-type. */
  omitHeaders?: string[];
  /**
   * An operator's request: sets `requestContext.authorizer.iam`, as API Gateway's IAM
   * authorizer (and the local server, after checking its token) does.
   */
  operator?: boolean;
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
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  for (const name of init.omitHeaders ?? []) delete headers[name];
  const routeKey = init.routeKey ?? `${method} ${path}`;
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: init.pathParameters,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: `request-${Math.random().toString(36).slice(2)}`,
      routeKey,
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
  if (init.operator) {
    Object.assign(event.requestContext, {
      authorizer: {
        iam: {
          accessKey: 'AKIATEST',
          accountId: '123456789012',
          callerId: 'AIDATEST',
          principalOrgId: null,
          userArn: 'arn:aws:iam::123456789012:user/operator',
          userId: 'AIDATEST',
        },
      },
    });
  }
  return event;
}

/** Parses a handler result's JSON body. */
export function bodyOf(result: { body?: string }): Record<string, unknown> {
  return JSON.parse(result.body ?? 'null');
}
