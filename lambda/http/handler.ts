import type { Context } from 'aws-lambda';
import type { Waits } from '../before-request';
import { FALLBACK_ROUTE, ROUTES } from '../routes';
import { errorOutcome } from './errors';
import { logRequest, throwSite } from './log';
import { RequestMetrics } from './metrics';
import { HttpProblem, problems } from './problem';
import { type HttpEvent, queryOf } from './request';
import { cacheControl, type HttpResult, problemResponse, withCacheControl } from './response';

export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;
export type LambdaHandler = (
  event: HttpEvent,
  context?: Pick<Context, 'awsRequestId'>,
) => Promise<HttpResult>;

/** HEAD is GET without the body, which the CDN and Lambda's URL leave out. */
function servesMethod(routeMethod: string, method: string): boolean {
  const asked = method.toUpperCase();
  return asked === routeMethod || (asked === 'HEAD' && routeMethod === 'GET');
}

/**
 * Wraps a route's logic: every outcome becomes an HTTP answer, every error problem+json, and
 * each request one log line and at most one metrics line. An unexpected fault is a 500 whose
 * detail names nothing internal. A request the route serves first waits for what the
 * composition root gave it to wait for (`waits`: the secrets the instance fetches on its first
 * request; a failed fetch is a 503).
 */
export function httpHandler(
  route: string,
  { beforeRequest }: Waits,
  logic: RouteHandler,
): LambdaHandler {
  const definition = ROUTES.find((entry) => entry.id === route);
  // The route table decides how long a success may be cached (lambda/routes.ts).
  const cache = definition?.cache ?? FALLBACK_ROUTE.cache;
  return async (event, context) => {
    const started = performance.now();
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? 'unknown';
    let result: HttpResult;
    let fault: Error | undefined;
    const metrics = new RequestMetrics();
    try {
      // API Gateway routes by method; a function URL behind the CDN passes on any method.
      const method = event.requestContext?.http?.method;
      if (definition && method !== undefined && !servesMethod(definition.method, method)) {
        throw problems.methodNotAllowed([definition.method]);
      }
      // A request the route will serve waits for the secrets it may need (fetched once).
      const pending = beforeRequest?.();
      if (pending !== undefined) await pending;
      const { freshForSeconds, ...answer } = await metrics.run(() => logic(event));
      result = withCacheControl(answer, cacheControl(cache, queryOf(event), freshForSeconds));
    } catch (error) {
      const { problem, metric } = errorOutcome(error);
      if (metric) metrics.count(metric);
      if (problem === undefined)
        fault = error instanceof Error ? error : new Error('non-error thrown');
      result = problemResponse(
        problem ??
          new HttpProblem(500, 'Something went wrong on our side. Please try again later.'),
        requestId,
      );
    }
    logRequest({
      requestId,
      route,
      status: result.statusCode,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(fault ? { error: { name: fault.name, at: throwSite(fault) } } : {}),
    });
    metrics.flush({ requestId, route });
    return result;
  };
}
