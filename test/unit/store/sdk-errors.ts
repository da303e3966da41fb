/** Real SDK exceptions, shaped as the DynamoDB client throws them. */
import {
  type CancellationReason,
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

const $metadata = { httpStatusCode: 400, requestId: 'sdk-request' };

export function transactionCanceled(...codes: string[]): TransactionCanceledException {
  const reasons: CancellationReason[] = codes.map((Code) =>
    Code === 'None' ? { Code } : { Code, Message: `${Code} happened` },
  );
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata,
    CancellationReasons: reasons,
  });
}

/** A transaction of `items` items cancelled because the one at `index` failed its condition. */
export const conditionFailedAt = (index: number, items: number) =>
  transactionCanceled(
    ...Array.from({ length: items }, (_, at) => (at === index ? 'ConditionalCheckFailed' : 'None')),
  );

export const conditionalCheckFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata });

export const provisionedThroughputExceeded = () =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded',
    $metadata,
  });

export const throttling = () =>
  new ThrottlingException({
    message: 'Rate of requests exceeds the allowed throughput',
    $metadata,
  });

/** How a throttle arrives when the SDK has no modelled class for it: a service exception by name. */
export const throttlingByName = () =>
  new DynamoDBServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata,
    message: 'Rate exceeded',
  });

/** What the SDK's HTTP handler throws when a request times out. */
export function timeout(): Error {
  const error = new Error('Connection timed out after 1000 ms');
  error.name = 'TimeoutError';
  return error;
}

/**
 * A socket error as the SDK's NodeHttpHandler lets it through after its retries (probed against
 * a closed port, an unknown host and servers that drop the connection): Node's own Error with
 * errno, code and syscall, plus the retry middleware's `$metadata`; ECONNRESET, EPIPE and
 * ETIMEDOUT also renamed TimeoutError by the handler.
 */
export function socketError(
  code: string,
  message: string,
  extra: { name?: string; syscall?: string; errno?: number } = {},
): Error {
  const error = Object.assign(new Error(message), {
    ...(extra.errno === undefined ? {} : { errno: extra.errno }),
    code,
    ...(extra.syscall === undefined ? {} : { syscall: extra.syscall }),
    $metadata: { attempts: 3, totalRetryDelay: 120 },
  });
  if (extra.name) error.name = extra.name;
  return error;
}

/** The database down, unknown or cutting connections: each must become ServiceBusyError. */
export const UNREACHABLE_FAILURES: [string, () => Error][] = [
  [
    'ECONNREFUSED (nothing listening)',
    () =>
      socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000', {
        errno: -111,
        syscall: 'connect',
      }),
  ],
  [
    'ENOTFOUND (no such host)',
    () =>
      socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND dynamodb.invalid', {
        errno: -3008,
        syscall: 'getaddrinfo',
      }),
  ],
  [
    'EAI_AGAIN (DNS unavailable)',
    () =>
      socketError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN dynamodb.eu-west-1.amazonaws.com', {
        errno: -3001,
        syscall: 'getaddrinfo',
      }),
  ],
  [
    'ECONNRESET (connection reset)',
    () =>
      socketError('ECONNRESET', 'read ECONNRESET', {
        name: 'TimeoutError',
        errno: -104,
        syscall: 'read',
      }),
  ],
  ['socket hang up', () => socketError('ECONNRESET', 'socket hang up', { name: 'TimeoutError' })],
  [
    'ECONNRESET not renamed by the handler',
    () => socketError('ECONNRESET', 'read ECONNRESET', { errno: -104, syscall: 'read' }),
  ],
  [
    'EPIPE (written to a closed socket)',
    () => socketError('EPIPE', 'write EPIPE', { errno: -32, syscall: 'write' }),
  ],
  [
    'ETIMEDOUT (the connection timed out)',
    () =>
      socketError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443', {
        errno: -110,
        syscall: 'connect',
      }),
  ],
];

/** Every failure after which retrying later could succeed: each becomes ServiceBusyError. */
export const BUSY_FAILURES: [string, () => Error][] = [
  ['ProvisionedThroughputExceededException', provisionedThroughputExceeded],
  ['ThrottlingException', throttling],
  ['a service exception named ThrottlingException', throttlingByName],
  ['TimeoutError', timeout],
  ['a transaction cancelled by throttling', () => transactionCanceled('None', 'ThrottlingError')],
  ['a transaction conflict', () => transactionCanceled('TransactionConflict', 'None')],
];
