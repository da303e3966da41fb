/**
 * The one table from domain errors to HTTP answers: each error class the domain raises, the
 * problem+json it becomes, and the metric it counts in, if it has its own.
 */

import { CommenterRefusedError, CommenterSuspendedError } from '../domain/commenters';
import {
  ArticleClosedError,
  BadAdminCursorError,
  BadCursorError,
  CommenterChangedError,
  CommenterNotFoundError,
  CommentNotFoundError,
  ForbiddenError,
  NotAuthorizedError,
  NotPublishedError,
  ParentNotFoundError,
  RateLimitedError,
  RulesChangedError,
  SecretUnavailableError,
  ServiceBusyError,
  TooManyFeaturedError,
  TooManyPinsError,
} from '../domain/errors';
import {
  CommentingNotAllowedError,
  KEYS_RETRY_AFTER_SECONDS,
  ReaderKeysUnavailableError,
  ReaderTokenError,
} from '../domain/readers';
import { RefusedEmailError } from '../domain/screen';
import type { CountMetric } from './metrics';
import { HttpProblem, problems } from './problem';

/** Seconds a client should wait after a 503 from a busy database. */
const RETRY_AFTER_SECONDS = 1;

interface ErrorAnswer<E extends Error> {
  problem: (error: E) => HttpProblem;
  metric?: CountMetric;
}

/** A class of errors, whatever its constructor takes. */
type ErrorClass<E extends Error> = abstract new (...args: never) => E;

const badCursor: ErrorAnswer<Error> = {
  problem: () =>
    problems.invalid('The cursor is not valid for this list.', [
      { field: 'cursor', message: 'is not a valid cursor for this list' },
    ]),
};

const ANSWERS = new Map<ErrorClass<Error>, ErrorAnswer<Error>>();
function answer<E extends Error>(errorClass: ErrorClass<E>, to: ErrorAnswer<E>): void {
  ANSWERS.set(errorClass, to as ErrorAnswer<Error>);
}
answer(HttpProblem, { problem: (problem) => problem });
answer(ParentNotFoundError, {
  problem: () =>
    problems.notFound('The parent comment is not a published comment of this article.'),
});
answer(RateLimitedError, { problem: (error) => problems.tooManyRequests(error.retryAfterSeconds) });
answer(NotAuthorizedError, {
  problem: () => problems.unauthorized('A valid edit token for this comment is required.'),
});
answer(ForbiddenError, {
  problem: () => problems.forbidden('The time for editing or deleting this comment has passed.'),
});
answer(CommentNotFoundError, { problem: () => problems.notFound('There is no such comment.') });
answer(CommenterNotFoundError, {
  problem: () => problems.notFound('There is no commenter with this id.'),
});
answer(CommenterChangedError, {
  problem: () =>
    problems.conflict('Another moderator changed this commenter meanwhile; load it again.'),
});
answer(ArticleClosedError, {
  problem: () => problems.forbidden('Comments are closed on this article.'),
});
// Neutral: a refused commenter learns neither the rule nor the state, nor which moderator.
answer(CommenterRefusedError, { problem: () => problems.forbidden('You cannot comment here.') });
answer(CommenterSuspendedError, {
  problem: (error) =>
    new HttpProblem(403, 'You cannot comment here for now.', [], {
      'retry-after': String(error.retryAfterSeconds),
    }),
});
answer(TooManyPinsError, {
  problem: (error) =>
    problems.conflict(`This article already has ${error.max} pinned comments; unpin one first.`),
});
answer(NotPublishedError, {
  problem: (error) => problems.conflict(`Only a published comment can be ${error.action}.`),
});
answer(TooManyFeaturedError, {
  problem: (error) =>
    problems.conflict(
      `This article already has ${error.max} featured comments; unfeature one first.`,
    ),
});
answer(RulesChangedError, {
  problem: () =>
    problems.conflict(
      'The house rules changed since you read them: read them again and make your change there.',
    ),
});
// Refused as the deployment's emailDomains.disposable says: the reader can fix it with another address.
answer(RefusedEmailError, {
  problem: () =>
    problems.invalid('The comment is not valid.', [
      { field: 'email', message: 'addresses from disposable-address services are not accepted' },
    ]),
});
answer(BadCursorError, badCursor);
answer(BadAdminCursorError, badCursor);
answer(ServiceBusyError, {
  problem: () => problems.unavailable(RETRY_AFTER_SECONDS),
  metric: 'DynamoDbThrottles',
});
// Busy too, but Secrets Manager's, not DynamoDB's: no DynamoDbThrottles alarm for it.
answer(SecretUnavailableError, { problem: () => problems.unavailable(RETRY_AFTER_SECONDS) });

answer(ReaderTokenError, {
  problem: (error) =>
    problems.unauthorized('The reader token is not valid.', [
      { field: 'reader', message: error.reason },
    ]),
});
// The issuer's JWKS, not DynamoDB, is down or slow: no DynamoDbThrottles alarm for it.
answer(ReaderKeysUnavailableError, {
  problem: () => problems.unavailable(KEYS_RETRY_AFTER_SECONDS),
});
answer(CommentingNotAllowedError, {
  problem: ({ mode, signedIn }) => {
    if (!signedIn) {
      return problems.unauthorized('Only signed-in readers may comment here.', [
        { field: 'reader', message: 'is required: sign in to comment' },
      ]);
    }
    return problems.forbidden(
      `Only readers with the ${mode.slice('badge:'.length)} badge may comment here.`,
    );
  },
});

/** The answer for the error's class or its nearest listed ancestor; none for a fault. */
function answerFor(error: unknown): ErrorAnswer<Error> | undefined {
  if (!(error instanceof Error)) return undefined;
  for (
    let proto = Object.getPrototypeOf(error);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const found = ANSWERS.get(proto.constructor);
    if (found) return found;
  }
  return undefined;
}

export interface ErrorOutcome {
  /** Undefined for an unexpected fault, which the handler answers with a bare 500. */
  problem: HttpProblem | undefined;
  metric: CountMetric | undefined;
}

/** What an error thrown by a route becomes: its problem+json and the metric it counts in. */
export function errorOutcome(error: unknown): ErrorOutcome {
  const found = answerFor(error);
  const problem = found?.problem(error as Error);
  return { problem, metric: found?.metric ?? statusMetric(problem) };
}

function statusMetric(problem: HttpProblem | undefined): CountMetric | undefined {
  if (problem?.status === 429) return 'RateLimited';
  if (problem?.status === 400 && problem.errors.length > 0) return 'ValidationFailures';
  return undefined;
}
