import { httpHandler } from '../http/handler';
import { problems } from '../http/problem';
import type { HttpEvent } from '../http/request';
import { matchRoute } from '../routes';

/**
 * The API's default route. API Gateway's own 404 is not problem+json, so every request that
 * no route matches comes here: 405 with Allow for a known path, 404 otherwise.
 */
export const handler = httpHandler('Fallback', {}, async (event: HttpEvent) => {
  const match = matchRoute(event.requestContext.http.method, event.rawPath);
  if (match.kind === 'wrong-method') throw problems.methodNotAllowed(match.allowed);
  throw problems.notFound();
});
