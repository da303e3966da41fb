/**
 * translateStoreError on the socket errors the SDK lets through when the database is down,
 * unknown or dropping connections (shapes probed from the SDK's NodeHttpHandler).
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { translateStoreError } from '../../../lambda/store/errors';
import { socketError, UNREACHABLE_FAILURES } from './sdk-errors';

describe('translateStoreError', () => {
  it.each(UNREACHABLE_FAILURES)('gives ServiceBusyError for %s', (_case, failure) => {
    expect(() => translateStoreError(failure())).toThrow(ServiceBusyError);
  });

  it('names no host, port or address in the busy error it gives', () => {
    const refused = socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.1.2.3:8000', {
      syscall: 'connect',
    });
    expect(() => translateStoreError(refused)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('10.1.2.3') }),
    );
  });

  it.each([
    [
      'a ValidationException',
      () =>
        new DynamoDBServiceException({
          name: 'ValidationException',
          $fault: 'client',
          message: 'One or more parameter values were invalid',
          $metadata: { httpStatusCode: 400 },
        }),
    ],
    ['an error with another code', () => socketError('ERR_INVALID_ARG_TYPE', 'bad argument')],
    ['an error whose code is not a string', () => Object.assign(new Error('odd'), { code: 111 })],
  ])('rethrows %s unchanged', (_case, failure) => {
    const error = failure();
    expect(() => translateStoreError(error)).toThrow(error);
  });
});
