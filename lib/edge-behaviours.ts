/**
 * Which CDN behaviour serves which routes, from the route table alone (no CDK here, so the
 * decision can be read and tested on its own).
 *
 * - One behaviour per path pattern of the public routes; `{param}` becomes `*`.
 * - The operators' routes the console calls, one behaviour per name after /admin/
 *   (`/admin/comments*`), so the console's page reaches the API from its own origin (see
 *   consolePatterns). Every other /admin path is the console's own (lib/edge-console.ts).
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

/**
 * The path patterns of the operators' routes the console calls (`routeIds`), one per name after
 * /admin/ (`/admin/comments*` covers a comment, its pin, and the queue), so a route the console
 * adds under a name it already calls needs no new behaviour (CloudFront allows 25 a
 * distribution). They come before the console's own `/admin*`, which keeps every other /admin
 * path, its page and files among them, at the bucket.
 */
export function consolePatterns(
  routeIds: readonly string[],
  routes: readonly RouteDefinition[] = ROUTES,
): string[] {
  const patterns = new Set<string>();
  for (const route of routes) {
    if (!routeIds.includes(route.id)) continue;
    const [, root, name] = route.path.split('/');
    if (root !== 'admin' || !name || name.startsWith('{')) {
      throw new Error(`the console's route ${route.id} is not under /admin/<name>`);
    }
    // A route the console does not call at the bare path (GET /admin/commenters, a search by
    // email) stays at the bucket: the pattern then takes only the paths below it.
    const bare = `/admin/${name}`;
    const strayAtBare = routes.some((other) => other.path === bare && !routeIds.includes(other.id));
    const calledAtBare = routes.some((other) => other.path === bare && routeIds.includes(other.id));
    patterns.add(strayAtBare && !calledAtBare ? `${bare}/*` : `${bare}*`);
  }
  return [...patterns];
}
