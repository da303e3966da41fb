/**
 * The route table: the single source of truth for the HTTP API. The CDK stack creates one
 * API Gateway route and one function per entry; the local server mounts the same handler
 * modules from it; the fallback handler uses it to tell 404 from 405.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a function may do to the table. Functions that serve public reads get read access
 * limited by IAM to the public attributes, so they cannot read an email even by mistake.
 */
export type TableAccess =
  | 'none'
  | 'public-read'
  | 'comment-write'
  | 'reaction-write'
  /** The author's own comment: reads it without the email, edits or deletes it. */
  | 'own-comment'
  /** Operators: the moderation indexes and every attribute, email included. */
  | 'admin';

/** public: anyone; operator: IAM (SigV4) on API Gateway, the local token on the local server. */
export type RouteAuth = 'public' | 'operator';

export interface RouteDefinition {
  /** PascalCase, used for construct ids and function names. */
  id: string;
  method: HttpMethod;
  /** API Gateway path template, e.g. /articles/{articleId}/comments. */
  path: string;
  /** Module in lambda/handlers/ that exports `handler`. */
  handler: string;
  access: TableAccess;
  auth: RouteAuth;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'GetConfig',
    method: 'GET',
    path: '/config',
    handler: 'get-config',
    access: 'none',
    auth: 'public',
  },
  {
    id: 'ListComments',
    method: 'GET',
    path: '/articles/{articleId}/comments',
    handler: 'list-comments',
    access: 'public-read',
    auth: 'public',
  },
  {
    id: 'CreateComment',
    method: 'POST',
    path: '/articles/{articleId}/comments',
    handler: 'create-comment',
    access: 'comment-write',
    auth: 'public',
  },
  {
    id: 'GetReactions',
    method: 'GET',
    path: '/articles/{articleId}/reactions',
    handler: 'get-reactions',
    access: 'public-read',
    auth: 'public',
  },
  {
    id: 'PutReaction',
    method: 'PUT',
    path: '/articles/{articleId}/reactions',
    handler: 'put-reaction',
    access: 'reaction-write',
    auth: 'public',
  },
  {
    id: 'DeleteReaction',
    method: 'DELETE',
    path: '/articles/{articleId}/reactions',
    handler: 'delete-reaction',
    access: 'reaction-write',
    auth: 'public',
  },
  {
    id: 'GetCounts',
    method: 'GET',
    path: '/counts',
    handler: 'get-counts',
    access: 'public-read',
    auth: 'public',
  },
  {
    id: 'EditComment',
    method: 'PATCH',
    path: '/comments/{commentId}',
    handler: 'edit-comment',
    access: 'own-comment',
    auth: 'public',
  },
  {
    id: 'DeleteComment',
    method: 'DELETE',
    path: '/comments/{commentId}',
    handler: 'delete-comment',
    access: 'own-comment',
    auth: 'public',
  },
  {
    id: 'AdminListComments',
    method: 'GET',
    path: '/admin/comments',
    handler: 'admin-list-comments',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminModerateComment',
    method: 'PATCH',
    path: '/admin/comments/{commentId}',
    handler: 'admin-moderate-comment',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminDeleteComment',
    method: 'DELETE',
    path: '/admin/comments/{commentId}',
    handler: 'admin-delete-comment',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminErase',
    method: 'POST',
    path: '/admin/erasures',
    handler: 'admin-erase',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminQueueCounts',
    method: 'GET',
    path: '/admin/counts',
    handler: 'admin-queue-counts',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminPinComment',
    method: 'PUT',
    path: '/admin/comments/{commentId}/pin',
    handler: 'admin-pin-comment',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminUnpinComment',
    method: 'DELETE',
    path: '/admin/comments/{commentId}/pin',
    handler: 'admin-unpin-comment',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminErasureCount',
    method: 'GET',
    path: '/admin/erasures',
    handler: 'admin-erasure-count',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminGetArticle',
    method: 'GET',
    path: '/admin/articles/{articleId}',
    handler: 'admin-get-article',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminChangeArticle',
    method: 'PATCH',
    path: '/admin/articles/{articleId}',
    handler: 'admin-change-article',
    access: 'admin',
    auth: 'operator',
  },
  {
    id: 'AdminReply',
    method: 'POST',
    path: '/admin/articles/{articleId}/comments',
    handler: 'admin-reply',
    access: 'admin',
    auth: 'operator',
  },
];

/** Answers every request no route matches: 404 for unknown paths, 405 for a wrong method. */
export const FALLBACK_ROUTE = {
  id: 'Fallback',
  handler: 'fallback',
  access: 'none',
  auth: 'public',
} as const;

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; pathParameters: Record<string, string> }
  | { kind: 'wrong-method'; allowed: HttpMethod[] }
  | { kind: 'none' };

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = got[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (actual === '') return undefined;
      parameters[part.slice(1, -1)] = decodeURIComponent(actual);
    } else if (part !== actual) {
      return undefined;
    }
  }
  return parameters;
}

/** Finds the route for a method and raw path the way API Gateway does. */
export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const route of ROUTES) {
    let parameters: Record<string, string> | undefined;
    try {
      parameters = matchPath(route.path, path);
    } catch {
      // A malformed percent-escape matches no route.
      return { kind: 'none' };
    }
    if (parameters === undefined) continue;
    if (route.method === method.toUpperCase()) {
      return { kind: 'route', route, pathParameters: parameters };
    }
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

/** CORS as the deployed API answers it; allowed origins come from the deployment. */
export const CORS_POLICY = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  // The console signs its requests with SigV4 from another origin (the CDN's): the signature's
  // own headers must pass the preflight too.
  allowHeaders: [
    'content-type',
    'authorization',
    'x-amz-date',
    'x-amz-security-token',
    'x-amz-content-sha256',
  ],
  /** So a widget on another origin can read how long to wait after a 429 or 503. */
  exposeHeaders: ['retry-after'],
  maxAgeSeconds: 600,
} as const;
