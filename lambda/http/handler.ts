import type { Context } from 'aws-lambda';
import { errorOutcome } from './errors';
import { logRequest, throwSite } from './log';
import { RequestMetrics } from './metrics';
import { HttpProblem } from './problem';
import type { HttpEvent } from './request';
import { type HttpResult, problemResponse } from './response';

export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;
export type LambdaHandler = (
  event: HttpEvent,
  context?: Pick<Context, 'awsRequestId'>,
) => Promise<HttpResult>;

/**
 * Wraps a route's logic: every outcome becomes an HTTP answer, every error problem+json, and
 * each request one log line and at most one metrics line. An unexpected fault is a 500 whose
 * detail names nothing internal.
 */
export function httpHandler(route: string, logic: RouteHandler): LambdaHandler {
  return async (event, context) => {
    const started = performance.now();
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? 'unknown';
    let result: HttpResult;
    let fault: Error | undefined;
    const metrics = new RequestMetrics();
    try {
      result = await metrics.run(() => logic(event));
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
