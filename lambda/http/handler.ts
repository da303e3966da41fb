import type { Context } from 'aws-lambda';
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
 * Set-up every request waits for before its logic, registered where the hasher is built
 * (lambda/secrets/keyed-hasher-from-env.ts): the hashing key's fetch from Secrets Manager on an
 * instance's first request. Undefined when
 * nothing is left to wait for, so a warm request does not even await.
 */
let beforeRequest: (() => Promise<void> | undefined) | undefined;

/** One runtime per instance: the last one built decides (undefined: nothing to wait for). */
export function awaitBeforeEachRequest(step: (() => Promise<void> | undefined) | undefined): void {
  beforeRequest = step;
}

/**
 * Wraps a route's logic: every outcome becomes an HTTP answer, every error problem+json, and
 * each request one log line and at most one metrics line. An unexpected fault is a 500 whose
 * detail names nothing internal.
 */
export function httpHandler(route: string, logic: RouteHandler): LambdaHandler {
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
      const pending = beforeRequest?.();
      if (pending !== undefined) await pending;
      // API Gateway routes by method; a function URL behind the CDN passes on any method.
      const method = event.requestContext?.http?.method;
      if (definition && method !== undefined && !servesMethod(definition.method, method)) {
        throw problems.methodNotAllowed([definition.method]);
      }
      result = withCacheControl(
        await metrics.run(() => logic(event)),
        cacheControl(cache, queryOf(event)),
      );
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
