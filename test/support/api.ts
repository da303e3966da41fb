/**
 * The API as a client sees it, without a server: a request is matched against the route table
 * (as API Gateway does) and given to that route's handler, or to the fallback handler. Operators'
 * routes see a caller only when the request says `operator: true`; otherwise the handler gets
 * the event without an authorizer, as a misconfigured route would deliver it.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHandler as adminChangeArticle } from '../../lambda/handlers/admin-change-article';
import { createHandler as adminChangeCommenter } from '../../lambda/handlers/admin-change-commenter';
import { createHandler as adminDeleteComment } from '../../lambda/handlers/admin-delete-comment';
import { createHandler as adminErase } from '../../lambda/handlers/admin-erase';
import { createHandler as adminErasureCount } from '../../lambda/handlers/admin-erasure-count';
import { createHandler as adminFeatureComment } from '../../lambda/handlers/admin-feature-comment';
import { createHandler as adminFindCommenter } from '../../lambda/handlers/admin-find-commenter';
import { createHandler as adminGetArticle } from '../../lambda/handlers/admin-get-article';
import { createHandler as adminGetCommenter } from '../../lambda/handlers/admin-get-commenter';
import { createHandler as adminGetHouseRules } from '../../lambda/handlers/admin-get-house-rules';
import { createHandler as adminImport } from '../../lambda/handlers/admin-import';
import { createHandler as adminListComments } from '../../lambda/handlers/admin-list-comments';
import { createHandler as adminModerateComment } from '../../lambda/handlers/admin-moderate-comment';
import { createHandler as adminPinComment } from '../../lambda/handlers/admin-pin-comment';
import { createHandler as adminPutHouseRules } from '../../lambda/handlers/admin-put-house-rules';
import { createHandler as adminQueueCounts } from '../../lambda/handlers/admin-queue-counts';
import { createHandler as adminReply } from '../../lambda/handlers/admin-reply';
import { createHandler as adminTransparency } from '../../lambda/handlers/admin-transparency';
import { createHandler as adminUnfeatureComment } from '../../lambda/handlers/admin-unfeature-comment';
import { createHandler as adminUnpinComment } from '../../lambda/handlers/admin-unpin-comment';
import { createHandler as createComment } from '../../lambda/handlers/create-comment';
import { createHandler as deleteComment } from '../../lambda/handlers/delete-comment';
import { createHandler as deleteLike } from '../../lambda/handlers/delete-like';
import { createHandler as deleteReaction } from '../../lambda/handlers/delete-reaction';
import { createHandler as editComment } from '../../lambda/handlers/edit-comment';
import { handler as fallback } from '../../lambda/handlers/fallback';
import { createHandler as getConfig } from '../../lambda/handlers/get-config';
import { createHandler as getCounts } from '../../lambda/handlers/get-counts';
import { createHandler as getReactions } from '../../lambda/handlers/get-reactions';
import { createHandler as getThread } from '../../lambda/handlers/get-thread';
import { createHandler as listComments } from '../../lambda/handlers/list-comments';
import { createHandler as moderationLink } from '../../lambda/handlers/moderation-link';
import { createHandler as moderationLinkPage } from '../../lambda/handlers/moderation-link-page';
import { createHandler as postReport } from '../../lambda/handlers/post-report';
import { createHandler as putLike } from '../../lambda/handlers/put-like';
import { createHandler as putReaction } from '../../lambda/handlers/put-reaction';
import { createHandler as confirmSubscription } from '../../lambda/handlers/subscription-confirm';
import { createHandler as confirmSubscriptionPage } from '../../lambda/handlers/subscription-confirm-page';
import { createHandler as unsubscribe } from '../../lambda/handlers/subscription-unsubscribe';
import { createHandler as unsubscribePage } from '../../lambda/handlers/subscription-unsubscribe-page';
import type { LambdaHandler } from '../../lambda/http/handler';
import type { HttpResult } from '../../lambda/http/response';
import { moderationLinksFrom, subscriptionsFrom } from '../../lambda/mail/mail-areas';
import { matchRoute, ROUTES } from '../../lambda/routes';
import type { Runtime } from '../../lambda/runtime';
import { houseRulesFrom } from '../../lambda/screen/house-rules-routes';
import { NotificationRepository } from '../../lambda/store/notification-repository';
import { type EventInit, httpEvent } from './events';

export type ApiRequest = Omit<EventInit, 'pathParameters' | 'routeKey'>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body text, as a client receives it. */
  text: string;
  /** The parsed JSON body; empty when there is none. */
  json: Record<string, unknown>;
}

export type Api = (method: string, path: string, request?: ApiRequest) => Promise<ApiResponse>;

function toResponse(result: HttpResult): ApiResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  const text = result.body ?? '';
  const isJson = /json/.test(headers['content-type'] ?? '');
  return {
    status: result.statusCode,
    headers,
    text,
    json: text === '' || !isJson ? {} : JSON.parse(text),
  };
}

/** Every route on the runtime, the mail links' areas built beside it on its table. */
export function createApi(runtime: Runtime): Api {
  const deps = {
    ...runtime,
    areas: {
      ...runtime.areas,
      subscriptions: subscriptionsFrom(runtime),
      moderationLinks: moderationLinksFrom(runtime),
      // Built beside the runtime (as its own functions build it): its schema is no other bundle's.
      houseRules: houseRulesFrom(runtime),
    },
  };
  const handlers: Record<string, LambdaHandler> = {
    'get-config': getConfig(runtime),
    'get-thread': getThread(runtime),
    'list-comments': listComments(runtime),
    'create-comment': createComment(runtime),
    'get-reactions': getReactions(runtime),
    'put-reaction': putReaction(runtime),
    'delete-reaction': deleteReaction(runtime),
    'get-counts': getCounts(runtime),
    'put-like': putLike(runtime),
    'delete-like': deleteLike(runtime),
    'post-report': postReport(runtime),
    'edit-comment': editComment(runtime),
    'delete-comment': deleteComment(runtime),
    'admin-list-comments': adminListComments(runtime),
    'admin-moderate-comment': adminModerateComment(runtime),
    'admin-delete-comment': adminDeleteComment(runtime),
    'admin-erase': adminErase(runtime),
    'admin-queue-counts': adminQueueCounts(runtime),
    'admin-transparency': adminTransparency(runtime),
    'admin-pin-comment': adminPinComment(runtime),
    'admin-unpin-comment': adminUnpinComment(runtime),
    'admin-feature-comment': adminFeatureComment(runtime),
    'admin-unfeature-comment': adminUnfeatureComment(runtime),
    'admin-erasure-count': adminErasureCount(runtime),
    'admin-get-article': adminGetArticle(runtime),
    'admin-change-article': adminChangeArticle(runtime),
    'admin-get-commenter': adminGetCommenter(runtime),
    'admin-change-commenter': adminChangeCommenter(runtime),
    'admin-find-commenter': adminFindCommenter(runtime),
    'admin-reply': adminReply(runtime),
    'admin-get-house-rules': adminGetHouseRules(deps),
    'admin-put-house-rules': adminPutHouseRules(deps),
    'subscription-confirm-page': confirmSubscriptionPage(deps),
    'subscription-confirm': confirmSubscription(deps),
    'subscription-unsubscribe-page': unsubscribePage(deps),
    'subscription-unsubscribe': unsubscribe(deps),
    'admin-import': adminImport(runtime),
    'moderation-link-page': moderationLinkPage(deps),
    'moderation-link': moderationLink(deps),
  };
  const unmounted = ROUTES.filter((route) => !(route.handler in handlers));
  if (unmounted.length > 0) {
    throw new Error(`test api: no handler for ${unmounted.map((route) => route.id).join(', ')}`);
  }
  return async (method, path, request = {}) => {
    const match = matchRoute(method, path);
    if (match.kind !== 'route') {
      return toResponse(
        await fallback(httpEvent(method, path, { ...request, routeKey: '$default' })),
      );
    }
    const { route, pathParameters } = match;
    const handler = handlers[route.handler] as LambdaHandler;
    const event = httpEvent(method, path, {
      ...request,
      pathParameters,
      routeKey: `${route.method} ${route.path}`,
    });
    return toResponse(await handler(event));
  };
}

/**
 * Every route on a real table, and the subscriptions' store for a test to set up what mail
 * would.
 */
export function createApiOnTable(
  runtime: Runtime,
  table: { documentClient: DynamoDBDocumentClient; tableName: string },
): { api: Api; subscriptions: NotificationRepository } {
  const subscriptions = new NotificationRepository(table.documentClient, table.tableName);
  return { api: createApi(runtime), subscriptions };
}
