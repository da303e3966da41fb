import { problems } from './problem';
import type { HttpEvent } from './request';

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(event: HttpEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() !== 'authorization' || value === undefined) continue;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
    return match?.[1];
  }
  return undefined;
}

/**
 * Operators' routes are authorised before the function runs: by IAM (SigV4) on API Gateway, by
 * the local token on the local server, which both leave the caller in `authorizer.iam`. A
 * request that arrives without it is refused here too, so a misconfigured route fails closed.
 */
export function requireOperator(event: HttpEvent): void {
  const context = event.requestContext as { authorizer?: { iam?: unknown } };
  if (!context.authorizer?.iam) {
    throw problems.unauthorized('This route is for operators, with signed (IAM) requests.');
  }
}

/**
 * Who an operator's request is from, for the records that say who changed what: the IAM
 * principal's ARN on API Gateway, `local-operator` on the local server.
 */
export function operatorOf(event: HttpEvent): string {
  const context = event.requestContext as { authorizer?: { iam?: { userArn?: unknown } } };
  const arn = context.authorizer?.iam?.userArn;
  return typeof arn === 'string' && arn !== '' ? arn : 'operator';
}
