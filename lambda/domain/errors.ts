/**
 * Every error the domain can raise: what went wrong in product terms. lambda/http/errors.ts maps
 * each class to its HTTP answer in one table.
 */

/** One bad field of a request, as problem+json lists it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The base of a domain error. Its `name` is written out because the bundles are minified: a
 * class's own name does not survive them.
 */
function namedError(name: string) {
  return class extends Error {
    override name = name;
  };
}

/** The base of a domain error whose message never changes. */
function fixedError(name: string, message: string) {
  return class extends namedError(name) {
    constructor() {
      super(message);
    }
  };
}

export class ParentNotFoundError extends fixedError(
  'ParentNotFoundError',
  'the parent comment is not a published comment of this article',
) {}

/**
 * Someone else changed the same vote between our read and our write, or wrote the same counter
 * at the same moment; nothing was written and a retry is safe.
 */
export class VoteChangedError extends fixedError(
  'VoteChangedError',
  'the vote changed while it was being written',
) {}

/**
 * The database refused for now (throttled, timed out, or a transaction kept conflicting).
 * Nothing was written; the client may retry after a moment.
 */
export class ServiceBusyError extends namedError('ServiceBusyError') {
  constructor(readonly reason: string) {
    super(`the database is busy: ${reason}`);
  }
}

/** The client used up a rate-limit window; nothing was written. */
export class RateLimitedError extends namedError('RateLimitedError') {
  constructor(readonly retryAfterSeconds: number) {
    super('rate limited');
  }
}

/** No valid credentials for this comment (a missing or wrong edit token). */
export class NotAuthorizedError extends fixedError('NotAuthorizedError', 'not authorized') {}

/** Valid credentials that may no longer do this (the edit window has closed). */
export class ForbiddenError extends namedError('ForbiddenError') {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** An operator named a comment that does not exist. */
export class CommentNotFoundError extends fixedError('CommentNotFoundError', 'no such comment') {}

/** The article is closed to new comments; nothing was written. */
export class ArticleClosedError extends fixedError(
  'ArticleClosedError',
  'comments are closed on this article',
) {}

/** The article already has as many pinned comments as it may. */
export class TooManyPinsError extends namedError('TooManyPinsError') {
  constructor(readonly max: number) {
    super(`an article may have at most ${max} pinned comments`);
  }
}

/** Only a published comment can be pinned or featured (both are shown to every reader). */
export class NotPublishedError extends namedError('NotPublishedError') {
  constructor(readonly action: 'pinned' | 'featured' = 'pinned') {
    super(`only a published comment can be ${action}`);
  }
}

/** The article already has as many featured comments as it may. */
export class TooManyFeaturedError extends namedError('TooManyFeaturedError') {
  constructor(readonly max: number) {
    super(`an article may have at most ${max} featured comments`);
  }
}

/** A comments cursor that is tampered, foreign (another article or order) or malformed. */
export class BadCursorError extends namedError('BadCursorError') {}

/** A moderation-queue cursor that is tampered, or issued for another status. */
export class BadAdminCursorError extends namedError('BadAdminCursorError') {}

/**
 * The secret could not be fetched (Secrets Manager unreachable, throttled or refusing): a fault
 * of the moment, answered 503 with Retry-After like a busy table, and fetched again next time.
 */
export class SecretUnavailableError extends ServiceBusyError {
  override name = 'SecretUnavailableError';
  constructor(override readonly cause: unknown) {
    super('a secret could not be fetched');
  }
}

/** The house rules changed since the version a replacement names (domain/screen-rules.ts). */
export class RulesChangedError extends Error {
  override name = 'RulesChangedError';
  constructor() {
    super('the house rules changed since they were read');
  }
}

/** An operator named a commenterId with neither a record nor a comment. */
export class CommenterNotFoundError extends fixedError(
  'CommenterNotFoundError',
  'no such commenter',
) {}

/** Another operator changed the commenter's record between this one's read and write. */
export class CommenterChangedError extends fixedError(
  'CommenterChangedError',
  'the commenter record changed meanwhile',
) {}
