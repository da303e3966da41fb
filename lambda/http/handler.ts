import type { Context } from 'aws-lambda';
import { BadAdminCursorError } from '../domain/admin';
import { BadCursorError } from '../domain/comments';
import {
  ArticleClosedError,
  CommentNotFoundError,
  ForbiddenError,
  NotAuthorizedError,
  NotPublishedError,
  ParentNotFoundError,
  RateLimitedError,
  ServiceBusyError,
  TooManyPinsError,
} from '../domain/errors';
import { logRequest, throwSite } from './log';
import { type CountMetric, RequestMetrics } from './metrics';
import { HttpProblem, problems } from './problem';
import type { HttpEvent } from './request';
import { type HttpResult, problemResponse } from './response';

export type RouteHandler = (event: HttpEvent) => Promise<HttpResult>;
export type LambdaHandler = (
  event: HttpEvent,
  context?: Pick<Context, 'awsRequestId'>,
) => Promise<HttpResult>;

/** Seconds a client should wait after a 503 from a busy database. */
const RETRY_AFTER_SECONDS = 1;

/** Domain errors that are the client's to fix, or the database's to recover from. */
function toProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ParentNotFoundError) {
    return problems.notFound('The parent comment is not a published comment of this article.');
  }
  if (error instanceof RateLimitedError) return problems.tooManyRequests(error.retryAfterSeconds);
  if (error instanceof NotAuthorizedError) {
    return problems.unauthorized('A valid edit token for this comment is required.');
  }
  if (error instanceof ForbiddenError) {
    return problems.forbidden('The time for editing or deleting this comment has passed.');
  }
  if (error instanceof CommentNotFoundError) return problems.notFound('There is no such comment.');
  if (error instanceof ArticleClosedError) {
    return problems.forbidden('Comments are closed on this article.');
  }
  if (error instanceof TooManyPinsError) {
    return problems.conflict(
      `This article already has ${error.max} pinned comments; unpin one first.`,
    );
  }
  if (error instanceof NotPublishedError) {
    return problems.conflict('Only a published comment can be pinned.');
  }
  if (error instanceof BadCursorError || error instanceof BadAdminCursorError) {
    return problems.invalid('The cursor is not valid for this list.', [
      { field: 'cursor', message: 'is not a valid cursor for this list' },
    ]);
  }
  if (error instanceof ServiceBusyError) return problems.unavailable(RETRY_AFTER_SECONDS);
  return undefined;
}

/** The metric an error answer counts in, if any. */
function outcomeMetric(error: unknown, problem: HttpProblem | undefined): CountMetric | undefined {
  if (error instanceof ServiceBusyError) return 'DynamoDbThrottles';
  if (problem?.status === 429) return 'RateLimited';
  if (problem?.status === 400 && problem.errors.length > 0) return 'ValidationFailures';
  return undefined;
}

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
      const problem = toProblem(error);
      const metric = outcomeMetric(error, problem);
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
