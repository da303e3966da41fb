/**
 * HTTP answers to errors. Every error leaves as RFC 9457 problem+json; nothing else about an
 * error (message, stack, cause) is ever serialised.
 */
import type { FieldError } from '../domain/errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  override name = 'HttpProblem';

  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }
}

export const problems = {
  invalid: (detail: string, errors: FieldError[]) => new HttpProblem(400, detail, errors),
  notFound: (detail = 'There is nothing at this address.') => new HttpProblem(404, detail),
  methodNotAllowed: (allowed: string[]) =>
    new HttpProblem(405, `This address serves ${allowed.join(', ')} only.`, [], {
      allow: allowed.join(', '),
    }),
  tooLarge: (maxBytes: number) =>
    new HttpProblem(413, `The request body is larger than ${maxBytes} bytes.`),
  unsupportedMediaType: () =>
    new HttpProblem(415, 'The request body must be JSON (Content-Type: application/json).'),
  unauthorized: (detail = 'Valid credentials are required.', errors: FieldError[] = []) =>
    new HttpProblem(401, detail, errors),
  forbidden: (detail: string) => new HttpProblem(403, detail),
  conflict: (detail: string) => new HttpProblem(409, detail),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpProblem(
      429,
      `Too many requests from this address. Please wait ${retryAfterSeconds} seconds.`,
      [],
      { 'retry-after': String(retryAfterSeconds) },
    ),
  unavailable: (retryAfterSeconds: number) =>
    new HttpProblem(503, 'The service is busy. Please try again shortly.', [], {
      'retry-after': String(retryAfterSeconds),
    }),
};
