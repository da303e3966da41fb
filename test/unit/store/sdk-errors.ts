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

/** Every failure after which retrying later could succeed: each becomes ServiceBusyError. */
export const BUSY_FAILURES: [string, () => Error][] = [
  ['ProvisionedThroughputExceededException', provisionedThroughputExceeded],
  ['ThrottlingException', throttling],
  ['a service exception named ThrottlingException', throttlingByName],
  ['TimeoutError', timeout],
  ['a transaction cancelled by throttling', () => transactionCanceled('None', 'ThrottlingError')],
  ['a transaction conflict', () => transactionCanceled('TransactionConflict', 'None')],
];
