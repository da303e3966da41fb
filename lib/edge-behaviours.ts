/**
 * Which CDN behaviour serves which routes, from the route table alone (no CDK here, so the
 * decision can be read and tested on its own).
 *
 * - One behaviour per path pattern of the public routes; `{param}` becomes `*`. Operators'
 *   routes get none: /admin/ is not reachable through the CDN at all (the default behaviour
 *   serves the widget bucket, which has no such objects).
 * - The origin: a pattern served by a single public GET (the thread, /counts, /config) goes to
 *   that function's URL, signed by CloudFront (Origin Access Control), so a view pays no API
 *   Gateway request; a pattern that also takes writes (comments, reactions, an author's own
 *   comment) goes to the HTTP API, since a behaviour has one origin for every method and API
 *   Gateway routes each method to its function.
 * - The cache key: exactly the query parameters the route's GET reads (RouteCache.query).
 */
import { Duration } from 'aws-cdk-lib';
import { type HttpMethod, ROUTES, type RouteCache, type RouteDefinition } from '../lambda/routes';

/**
 * HSTS on every answer the CDN sends (widget, API, console): each behaviour's response headers
 * policy carries it, so a browser that saw Talkback once never asks over plain HTTP for a year.
 * Subdomains are the deployer's, so they are left out.
 */
export const HSTS = {
  accessControlMaxAge: Duration.days(365),
  includeSubdomains: false,
  override: true,
} as const;

export type EdgeOrigin = 'function-url' | 'http-api';

export interface EdgeBehaviour {
  /** CloudFront path pattern, e.g. /articles/*\/comments. */
  pathPattern: string;
  routes: RouteDefinition[];
  origin: EdgeOrigin;
  /** The GET route's cache decision, or no-store when the pattern has no GET. */
  cache: RouteCache;
  /** True when the pattern serves any method but GET: the behaviour must pass writes on. */
  writes: boolean;
  /** For a function-URL origin: the route whose function answers. */
  functionRoute?: RouteDefinition;
}

export function pathPattern(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

/** More literal segments first, so /articles/*\/comments wins over /articles/*. */
function specificity(pattern: string): number {
  return pattern.split('/').filter((part) => part !== '' && part !== '*').length;
}

export function edgeBehaviours(routes: readonly RouteDefinition[] = ROUTES): EdgeBehaviour[] {
  const byPattern = new Map<string, RouteDefinition[]>();
  for (const route of routes) {
    if (route.auth !== 'public') continue;
    const pattern = pathPattern(route.path);
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), route]);
  }
  const behaviours: EdgeBehaviour[] = [];
  for (const [pattern, served] of byPattern) {
    const get = served.find((route) => route.method === 'GET');
    const methods = new Set<HttpMethod>(served.map((route) => route.method));
    const onlyGet = served.length === 1 && get !== undefined;
    behaviours.push({
      pathPattern: pattern,
      routes: served,
      origin: onlyGet ? 'function-url' : 'http-api',
      cache: get?.cache ?? { kind: 'no-store' },
      writes: [...methods].some((method) => method !== 'GET'),
      ...(onlyGet ? { functionRoute: get } : {}),
    });
  }
  return behaviours.sort(
    (a, b) =>
      specificity(b.pathPattern) - specificity(a.pathPattern) ||
      b.pathPattern.length - a.pathPattern.length,
  );
}
