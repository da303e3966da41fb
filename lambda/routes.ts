/**
 * The route table: the single source of truth for the HTTP API. The CDK stack creates one
 * API Gateway route and one function per entry; the local server mounts the same handler
 * modules from it; the fallback handler uses it to tell 404 from 405.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a function may do to the table: one kind per distinct set of requests, so each function
 * is granted only the actions it makes (lib/talkback-function.ts). Functions that serve public
 * reads get read access limited by IAM to the public attributes, so they cannot read an email
 * even by mistake.
 */
export type TableAccess =
  | 'none'
  /** A page of comments: one Query of the article's partition. */
  | 'comment-read'
  /** An article's counter shards and the visitor's vote: BatchGetItem. */
  | 'reaction-read'
  /** The count items of many articles: BatchGetItem. */
  | 'counts-read'
  | 'comment-write'
  | 'reaction-write'
  /**
   * A like: BatchGetItem of the comment's signals item, the voter's like and the counter shards
   * (no comment, no email), then one TransactWriteItems: the like item, its shard, the rate-limit
   * windows.
   */
  | 'like-write'
  /**
   * A report: BatchGetItem of the comment's signals item and the reporter's report (no email),
   * then one TransactWriteItems: the report (the notifier's email, written, never read), the
   * comment's count and at the threshold its status and counts, the rate-limit windows; a
   * GetItem of the comment's status when its signals were behind.
   */
  | 'report-write'
  /** The author's own comment: reads it without the email, deletes it. */
  | 'own-comment'
  /**
   * The author's own comment edited: reads it without the email together with its article's
   * settings (BatchGetItem), and updates it.
   */
  | 'own-comment-edit'
  /**
   * Operators (every attribute, email included): the moderation queue, index byStatus, or one
   * article's (a Query of its partition), with which authors have published (BatchGetItem).
   */
  | 'admin-list'
  /** Operators: a comment by id (index byCommentId), its status and counts changed. */
  | 'admin-moderate'
  /** Operators: a comment by id (index byCommentId), deleted and uncounted. */
  | 'admin-delete'
  /** Operators: an email's comments (index byEmailHash) stripped of it, its author item deleted. */
  | 'admin-erase'
  /** Operators: the queue's counts (index byStatus, or a Query of one article's partition). */
  | 'admin-counts'
  /** Operators: the transparency counters and the screen's tuning counts, a Query of each partition. */
  | 'admin-transparency'
  /** Operators: how many comments an email has (index byEmailHash), nothing changed. */
  | 'admin-erasure-count'
  /** Operators: an article's stats item (GetItem). */
  | 'admin-article-read'
  /** Operators: an article closed or reopened (Updates of its stats items), then read. */
  | 'admin-article-change'
  /** Operators: a comment by id (index byCommentId) pinned or unpinned, with its copies. */
  | 'admin-pin'
  /**
   * Operators: a comment by id (index byCommentId), featured or not, with its copies on the
   * stats items.
   */
  | 'admin-feature'
  /** Operators: a staff comment's transaction (Put, ConditionCheck of the parent, Updates). */
  | 'admin-reply'
  /**
   * Operators: a commenter's record (GetItem) and their comments (index byCommenter, then a
   * BatchGetItem of the latest); changing it adds a conditional PutItem of the record.
   */
  | 'admin-commenter-read'
  | 'admin-commenter-change'
  /** Operators: the commenterIds an email's comments name (index byEmailHash, BatchGetItem). */
  | 'admin-commenter-find'
  /** Operators: the house rules' item (GetItem, consistent). */
  | 'admin-house-rules-read'
  /** Operators: the house rules' item replaced (one conditional PutItem), nothing read. */
  | 'admin-house-rules-write'
  /** Subscription links: one conditional UpdateItem of a subscriber item, no read. */
  | 'subscription'
  /**
   * The confirmation link's page: GetItem of a subscriber item's state and when its request
   * began (never its email), to say whether the link is done, ready or too old.
   */
  | 'subscription-read'
  /** A moderator's link page: GetItem of the comment's public fields and of the link's marker. */
  | 'moderation-link-page'
  /**
   * A moderator's link acting: GetItem of the link's marker and of the comment's public fields and
   * its email's hash (never the email), then one TransactWriteItems: the link's marker, the
   * status, counts and author.
   */
  | 'moderation-link'
  /**
   * Operators' imports: conditional Puts of comments, ConditionChecks of their parents, Updates
   * of the count, author and counter items; no reads.
   */
  | 'import';

/** public: anyone; operator: IAM (SigV4) on API Gateway, the local token on the local server. */
export type RouteAuth = 'public' | 'operator';

/**
 * Who a route serves, which decides where the stack builds its function: each area's functions
 * are a nested stack of their own (`AREA_STACKS` in lib/area-stacks.ts), so no one
 * CloudFormation stack outgrows its resource limit as routes are added.
 */
export type RouteArea =
  /** What the widget and the count snippet call: config, threads, comments, reactions, counts. */
  | 'readers'
  /** The links in Talkback's mail: subscriptions, and moderators' actions on held comments. */
  | 'mail'
  /** The operators' API, /admin/ (IAM), for the console and the CLI. */
  | 'operators';

/**
 * How long browsers and shared caches (the CDN) may keep a route's successful answer. Every
 * error, whatever the route, is `no-store`. The handler writes the Cache-Control header from
 * this, and the CDN builds each behaviour's cache policy from it, so the two cannot disagree.
 */
export type RouteCache =
  /** Writes, an author's own comment, operators' routes: never stored anywhere. */
  | { kind: 'no-store' }
  | {
      /** The same answer for every reader: a CDN may serve one reader's copy to another. */
      kind: 'public';
      /** Seconds a browser or CDN serves the copy without asking (max-age and s-maxage). */
      maxAgeSeconds: number;
      /** Seconds after that a stale copy may still be served while it is refreshed. */
      staleWhileRevalidateSeconds: number;
      /** Exactly the query parameters the answer depends on: the CDN's cache key. */
      query: readonly string[];
      /**
       * A query parameter that makes the answer one visitor's own (GET reactions' visitorId
       * brings `mine`): with it present the answer is `private, no-store`.
       */
      privateWith?: string;
    };

/** A few seconds: counts may trail the latest votes by that much (docs/api.md, the thread). */
const SHORT = { kind: 'public', maxAgeSeconds: 5, staleWhileRevalidateSeconds: 30 } as const;
const NO_STORE = { kind: 'no-store' } as const;

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
  /** Who it serves: its function is built in that area's nested stack. */
  area: RouteArea;
  /**
   * Whether the function computes keyed hashes (visitor, client, email and edit-token hashes,
   * signed cursors): only these get the hashing secret (its ARN, and the right to read it).
   */
  hashes: boolean;
  /**
   * Which of the mail's links the function checks: only these get the link secret (its ARN, and
   * the right to read it). The subscription links' functions also get the hashing secret during
   * a legacy-links transition, to accept links mailed before links had a key of their own
   * (lambda/domain/keyring.ts). Absent: none.
   */
  links?: 'subscription' | 'moderation';
  /**
   * Whether the function screens text (lambda/domain/screen.ts): only these get the guardrail
   * (its id and version, and bedrock:ApplyGuardrail on it) where screening is `guardrails`.
   */
  screens?: true;
  /**
   * Whether the route takes a signed-in reader's token (`reader` in the body): only these get
   * the right to read the HS256 issuers' secrets (docs/readers.md). Absent: it does not.
   */
  verifiesReaders?: true;
  cache: RouteCache;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'GetConfig',
    method: 'GET',
    path: '/config',
    handler: 'get-config',
    access: 'none',
    auth: 'public',
    area: 'readers',
    cache: { kind: 'public', maxAgeSeconds: 300, staleWhileRevalidateSeconds: 3600, query: [] },
    hashes: false,
  },
  {
    id: 'GetThread',
    method: 'GET',
    path: '/articles/{articleId}',
    handler: 'get-thread',
    access: 'comment-read',
    auth: 'public',
    area: 'readers',
    cache: { ...SHORT, query: ['limit', 'order'] },
    hashes: true,
  },
  {
    id: 'ListComments',
    method: 'GET',
    path: '/articles/{articleId}/comments',
    handler: 'list-comments',
    access: 'comment-read',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: { ...SHORT, query: ['limit', 'cursor', 'order'] },
  },
  {
    id: 'CreateComment',
    method: 'POST',
    path: '/articles/{articleId}/comments',
    handler: 'create-comment',
    screens: true,
    access: 'comment-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    verifiesReaders: true,
    cache: NO_STORE,
  },
  {
    id: 'GetReactions',
    method: 'GET',
    path: '/articles/{articleId}/reactions',
    handler: 'get-reactions',
    access: 'reaction-read',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: { ...SHORT, query: ['visitorId'], privateWith: 'visitorId' },
  },
  {
    id: 'PutReaction',
    method: 'PUT',
    path: '/articles/{articleId}/reactions',
    handler: 'put-reaction',
    access: 'reaction-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'DeleteReaction',
    method: 'DELETE',
    path: '/articles/{articleId}/reactions',
    handler: 'delete-reaction',
    access: 'reaction-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'GetCounts',
    method: 'GET',
    path: '/counts',
    handler: 'get-counts',
    access: 'counts-read',
    auth: 'public',
    area: 'readers',
    hashes: false,
    cache: {
      kind: 'public',
      maxAgeSeconds: 60,
      staleWhileRevalidateSeconds: 300,
      query: ['articles'],
    },
  },
  {
    id: 'EditComment',
    method: 'PATCH',
    path: '/comments/{commentId}',
    handler: 'edit-comment',
    screens: true,
    access: 'own-comment-edit',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'DeleteComment',
    method: 'DELETE',
    path: '/comments/{commentId}',
    handler: 'delete-comment',
    access: 'own-comment',
    auth: 'public',
    area: 'readers',
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'PutLike',
    method: 'PUT',
    path: '/comments/{commentId}/likes',
    handler: 'put-like',
    access: 'like-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    verifiesReaders: true,
    cache: NO_STORE,
  },
  {
    id: 'DeleteLike',
    method: 'DELETE',
    path: '/comments/{commentId}/likes',
    handler: 'delete-like',
    access: 'like-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    verifiesReaders: true,
    cache: NO_STORE,
  },
  {
    id: 'PostReport',
    method: 'POST',
    path: '/comments/{commentId}/reports',
    handler: 'post-report',
    access: 'report-write',
    auth: 'public',
    area: 'readers',
    hashes: true,
    verifiesReaders: true,
    cache: NO_STORE,
  },
  {
    id: 'AdminListComments',
    method: 'GET',
    path: '/admin/comments',
    handler: 'admin-list-comments',
    access: 'admin-list',
    auth: 'operator',
    area: 'operators',
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'AdminModerateComment',
    method: 'PATCH',
    path: '/admin/comments/{commentId}',
    handler: 'admin-moderate-comment',
    access: 'admin-moderate',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminDeleteComment',
    method: 'DELETE',
    path: '/admin/comments/{commentId}',
    handler: 'admin-delete-comment',
    access: 'admin-delete',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminErase',
    method: 'POST',
    path: '/admin/erasures',
    handler: 'admin-erase',
    access: 'admin-erase',
    auth: 'operator',
    area: 'operators',
    hashes: true,
    cache: NO_STORE,
  },
  // Reply notifications' links (docs/notifications.md).
  {
    id: 'ConfirmSubscriptionPage',
    method: 'GET',
    path: '/subscriptions/confirm',
    handler: 'subscription-confirm-page',
    // Checks the token's signature (the link key) and reads the address's state; changes
    // nothing: mail scanners follow links.
    access: 'subscription-read',
    auth: 'public',
    area: 'mail',
    hashes: false,
    links: 'subscription',
    // Token-bearing pages and a write: never kept by a shared cache.
    cache: NO_STORE,
  },
  {
    id: 'ConfirmSubscription',
    method: 'POST',
    path: '/subscriptions/confirm',
    handler: 'subscription-confirm',
    access: 'subscription',
    auth: 'public',
    area: 'mail',
    hashes: false,
    links: 'subscription',
    // Token-bearing pages and a write: never kept by a shared cache.
    cache: NO_STORE,
  },
  {
    id: 'UnsubscribePage',
    method: 'GET',
    path: '/subscriptions/unsubscribe',
    handler: 'subscription-unsubscribe-page',
    // Checks the token's signature (the link key) and changes nothing.
    access: 'none',
    auth: 'public',
    area: 'mail',
    hashes: false,
    links: 'subscription',
    // Token-bearing pages and a write: never kept by a shared cache.
    cache: NO_STORE,
  },
  {
    id: 'Unsubscribe',
    method: 'POST',
    path: '/subscriptions/unsubscribe',
    handler: 'subscription-unsubscribe',
    access: 'subscription',
    auth: 'public',
    area: 'mail',
    hashes: false,
    links: 'subscription',
    // Token-bearing pages and a write: never kept by a shared cache.
    cache: NO_STORE,
  },
  // Moderators' links from held-comment notices (docs/notifications.md, "Moderators").
  {
    id: 'ModerationLinkPage',
    method: 'GET',
    path: '/moderation/actions',
    handler: 'moderation-link-page',
    access: 'moderation-link-page',
    auth: 'public',
    area: 'mail',
    // Checks the token's signature and names the link's marker by a keyed hash (the link key).
    hashes: false,
    links: 'moderation',
    cache: NO_STORE,
  },
  {
    id: 'ModerationLink',
    method: 'POST',
    path: '/moderation/actions',
    handler: 'moderation-link',
    access: 'moderation-link',
    auth: 'public',
    area: 'mail',
    hashes: false,
    links: 'moderation',
    cache: NO_STORE,
  },
  {
    id: 'AdminImport',
    method: 'POST',
    path: '/admin/imports',
    handler: 'admin-import',
    access: 'import',
    auth: 'operator',
    area: 'operators',
    // The keyed hash of each imported comment's email (erasure and the first-time policy).
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'AdminTransparency',
    method: 'GET',
    path: '/admin/transparency',
    handler: 'admin-transparency',
    access: 'admin-transparency',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminQueueCounts',
    method: 'GET',
    path: '/admin/counts',
    handler: 'admin-queue-counts',
    access: 'admin-counts',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminPinComment',
    method: 'PUT',
    path: '/admin/comments/{commentId}/pin',
    handler: 'admin-pin-comment',
    access: 'admin-pin',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminUnpinComment',
    method: 'DELETE',
    path: '/admin/comments/{commentId}/pin',
    handler: 'admin-unpin-comment',
    access: 'admin-pin',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminFeatureComment',
    method: 'PUT',
    path: '/admin/comments/{commentId}/feature',
    handler: 'admin-feature-comment',
    access: 'admin-feature',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminUnfeatureComment',
    method: 'DELETE',
    path: '/admin/comments/{commentId}/feature',
    handler: 'admin-unfeature-comment',
    access: 'admin-feature',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminErasureCount',
    method: 'GET',
    path: '/admin/erasures',
    handler: 'admin-erasure-count',
    access: 'admin-erasure-count',
    auth: 'operator',
    area: 'operators',
    // The keyed hash of the email, as the erasure itself computes it.
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'AdminGetArticle',
    method: 'GET',
    path: '/admin/articles/{articleId}',
    handler: 'admin-get-article',
    access: 'admin-article-read',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminChangeArticle',
    method: 'PATCH',
    path: '/admin/articles/{articleId}',
    handler: 'admin-change-article',
    access: 'admin-article-change',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminGetCommenter',
    method: 'GET',
    path: '/admin/commenters/{commenterId}',
    handler: 'admin-get-commenter',
    access: 'admin-commenter-read',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminChangeCommenter',
    method: 'PUT',
    path: '/admin/commenters/{commenterId}',
    handler: 'admin-change-commenter',
    access: 'admin-commenter-change',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminFindCommenter',
    method: 'GET',
    path: '/admin/commenters',
    handler: 'admin-find-commenter',
    access: 'admin-commenter-find',
    auth: 'operator',
    area: 'operators',
    // A guest's commenterId and the email's hash, keyed as the create path and erasure key them.
    hashes: true,
    cache: NO_STORE,
  },
  {
    id: 'AdminGetHouseRules',
    method: 'GET',
    path: '/admin/house-rules',
    handler: 'admin-get-house-rules',
    access: 'admin-house-rules-read',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminPutHouseRules',
    method: 'PUT',
    path: '/admin/house-rules',
    handler: 'admin-put-house-rules',
    access: 'admin-house-rules-write',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
  {
    id: 'AdminReply',
    method: 'POST',
    path: '/admin/articles/{articleId}/comments',
    handler: 'admin-reply',
    access: 'admin-reply',
    auth: 'operator',
    area: 'operators',
    hashes: false,
    cache: NO_STORE,
  },
];

/** Answers every request no route matches: 404 for unknown paths, 405 for a wrong method. */
export const FALLBACK_ROUTE = {
  id: 'Fallback',
  handler: 'fallback',
  access: 'none',
  auth: 'public',
  hashes: false,
  cache: NO_STORE,
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
