/**
 * Turns SDK failures into domain errors, so nothing above the store knows the SDK exists.
 * Matching is by error name, which is how the SDK identifies service exceptions.
 */
import { ServiceBusyError } from '../domain/errors';

/**
 * DynamoDB answers a throttled request with 400 and one of these names, not 429; a transaction
 * cancelled by throttling names one of THROTTLED_REASONS in its cancellation reasons.
 */
export const THROTTLES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);
export const THROTTLED_REASONS: ReadonlySet<string> = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

/** Failures that retrying later could get past. */
const BUSY = new Set([
  ...THROTTLES,
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/**
 * Node's codes for a database that cannot be reached: refused, not resolved, reset or cut off.
 * The SDK's NodeHttpHandler rethrows these socket errors as they are (a plain Error with `code`,
 * after its retries), except that it renames ECONNRESET, EPIPE and ETIMEDOUT to TimeoutError;
 * "socket hang up" is ECONNRESET. A later try can succeed once the database is back.
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function isUnreachable(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

export interface CancellationReason {
  Code?: string;
}

export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && error.name === 'TransactionCanceledException') {
    return (
      (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
    );
  }
  return undefined;
}

/** Another transaction held one of the items at the same moment; nothing was written. */
export function isTransactionConflict(reasons: CancellationReason[] | undefined): boolean {
  return reasons?.some((reason) => reason.Code === 'TransactionConflict') ?? false;
}

/** Rethrows an SDK error as ServiceBusyError when retrying later could succeed. */
export function translateStoreError(error: unknown): never {
  if (error instanceof Error) {
    if (BUSY.has(error.name) || error.name === 'AbortError') {
      throw new ServiceBusyError(error.name);
    }
    if (isUnreachable(error)) throw new ServiceBusyError('the database could not be reached');
    const reasons = cancellationReasons(error);
    if (
      reasons?.some(
        (reason) =>
          THROTTLED_REASONS.has(reason.Code ?? '') || reason.Code === 'TransactionConflict',
      )
    ) {
      throw new ServiceBusyError('transaction cancelled by throttling or a conflict');
    }
  }
  throw error;
}

/** Another transaction held one of the items; nothing was written. */
export class WriteConflict extends Error {
  override name = 'WriteConflict';
  constructor(override readonly cause: unknown) {
    super('transaction conflict');
  }
}

/** The first-time policy's author check failed: the comment is to be held instead. */
export class UnknownAuthor extends Error {
  override name = 'UnknownAuthor';
}
