/**
 * The public API as a client sees it, without a server: a request is matched against the route
 * table (as API Gateway does) and given to that route's handler, or to the fallback handler.
 */
import { createHandler as createComment } from '../../lambda/handlers/create-comment';
import { createHandler as deleteReaction } from '../../lambda/handlers/delete-reaction';
import { handler as fallback } from '../../lambda/handlers/fallback';
import { createHandler as getConfig } from '../../lambda/handlers/get-config';
import { createHandler as getCounts } from '../../lambda/handlers/get-counts';
import { createHandler as getReactions } from '../../lambda/handlers/get-reactions';
import { createHandler as listComments } from '../../lambda/handlers/list-comments';
import { createHandler as putReaction } from '../../lambda/handlers/put-reaction';
import type { LambdaHandler } from '../../lambda/http/handler';
import type { HttpResult } from '../../lambda/http/response';
import { matchRoute, ROUTES } from '../../lambda/routes';
import type { Runtime } from '../../lambda/runtime';
import { type EventInit, httpEvent } from './events';

export type ApiRequest = Omit<EventInit, 'pathParameters' | 'routeKey'>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body text, as a client receives it. */
  text: string;
  /** The parsed JSON body; empty when there is none. */
  json: Record<string, unknown>;
}

export type Api = (method: string, path: string, request?: ApiRequest) => Promise<ApiResponse>;

function toResponse(result: HttpResult): ApiResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  const text = result.body ?? '';
  return {
    status: result.statusCode,
    headers,
    text,
    json: text === '' ? {} : JSON.parse(text),
  };
}

export function createApi(runtime: Runtime): Api {
  const handlers: Record<string, LambdaHandler> = {
    'get-config': getConfig(runtime),
    'list-comments': listComments(runtime),
    'create-comment': createComment(runtime),
    'get-reactions': getReactions(runtime),
    'put-reaction': putReaction(runtime),
    'delete-reaction': deleteReaction(runtime),
    'get-counts': getCounts(runtime),
  };
  const unmounted = ROUTES.filter((route) => !(route.handler in handlers));
  if (unmounted.length > 0) {
    throw new Error(`test api: no handler for ${unmounted.map((route) => route.id).join(', ')}`);
  }
  return async (method, path, request = {}) => {
    const match = matchRoute(method, path);
    if (match.kind !== 'route') {
      return toResponse(
        await fallback(httpEvent(method, path, { ...request, routeKey: '$default' })),
      );
    }
    const { route, pathParameters } = match;
    const handler = handlers[route.handler] as LambdaHandler;
    const event = httpEvent(method, path, {
      ...request,
      pathParameters,
      routeKey: `${route.method} ${route.path}`,
    });
    return toResponse(await handler(event));
  };
}
