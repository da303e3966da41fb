/**
 * Handler overhead: each route's real handler (createHandler with a runtime whose DynamoDB
 * client is stubbed with realistic items), called in-process one request at a time, next to a
 * floor handler that returns a fixed JSON body. What is left after the floor is our own work:
 * validation, domain logic, building the DynamoDB commands, shaping the response, the log line.
 *
 * The stub is a fake `send` that answers the document client's commands directly, not
 * aws-sdk-client-mock: its sinon matching cost about 100 µs per call here, more than the whole
 * target. The time spent inside the stub's answers is clocked and taken out of each figure: it
 * stands in for DynamoDB, and is not our work. The public routes are measured a second time through the real SDK (marshalling,
 * serialisation, signing, retry, parsing) with canned HTTP answers, which is what a request
 * costs the function apart from the network.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as documentClient from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import type { Areas } from '../../lambda/areas';
import type { CommentRecord } from '../../lambda/domain/comment';
import { issueEditToken } from '../../lambda/domain/edit-token';
import {
  confirmToken,
  type MailJob,
  mailForComment,
  moderationToken,
  type NotificationDeps,
  unsubscribeToken,
} from '../../lambda/domain/notifications';
import { type Delivery, deliveriesFor } from '../../lambda/domain/webhooks';
import {
  MAIL_CONFIGURATION_SET_ENV,
  MAIL_FROM_ENV,
  MAIL_QUEUE_URL_ENV,
  WEBHOOK_QUEUE_URL_ENV,
} from '../../lambda/env';
import type { LambdaHandler } from '../../lambda/http/handler';
import type { setLogSink } from '../../lambda/http/log';
import type { setMetricsSink } from '../../lambda/http/metrics';
import type * as mailAreaBuilders from '../../lambda/mail/mail-areas';
import { mailSettingsFromEnv } from '../../lambda/mail/mail-settings';
import type { sesSender } from '../../lambda/mail/ses-sender';
import type { sqsJobQueue, sqsQueue } from '../../lambda/mail/sqs-queue';
import { ROUTES } from '../../lambda/routes';
import type { loadRuntime, Runtime } from '../../lambda/runtime';
import { toItem, toPinnedCopy } from '../../lambda/store/comment-items';
import { ENTITY, keys } from '../../lambda/store/keys';
import { NotificationRepository } from '../../lambda/store/notification-repository';
import type * as webhookAreaBuilders from '../../lambda/webhooks/webhook-areas';
import { testSettings } from '../support/dynamodb';
import { httpEvent } from '../support/events';
import { importBatch } from './api-calls';
import { FUNCTION_BUILD_OPTIONS } from './cold-start';
import { runtimeOnClient } from './dynamodb-meter';
import {
  dispatchBatch,
  hookDispatchBatch,
  hookSendBatch,
  sendBatch,
  tallyBatch,
} from './function-events';
import {
  BENCH_HOOK_SETTINGS,
  BENCH_LINK_SECRET,
  BENCH_SECRET,
  MAIL_ENV,
  WEBHOOK_ENV,
  withHandlerEnv,
} from './handler-env';
import { type BenchResult, median, result } from './results';

/** The issue's target for our own work per read request. */
const READ_TARGET_US = 100;
/** Routes that only read. */
const READS = new Set([
  'GetConfig',
  'GetThread',
  'ListComments',
  'GetReactions',
  'GetCounts',
  'AdminListComments',
  'AdminQueueCounts',
  'AdminTransparency',
  'AdminErasureCount',
  'AdminGetArticle',
  'AdminGetHouseRules',
  'AdminGetCommenter',
  'AdminFindCommenter',
  // Show the confirm or unsubscribe button, the moderation link's comment and button; change nothing.
  'ConfirmSubscriptionPage',
  'UnsubscribePage',
  'ModerationLinkPage',
]);
/** Public routes that reach DynamoDB, measured again through the real SDK. */
const SDK_ROUTES = new Set([
  'GetThread',
  'ListComments',
  'GetReactions',
  'GetCounts',
  'CreateComment',
  'PutReaction',
  'DeleteReaction',
  'ConfirmSubscription',
  'Unsubscribe',
  'ModerationLinkPage',
  'ModerationLink',
]);

/** Why a row has no target: the read target is for what a reader waits on to see the page. */
function noTargetWhy(id: string): string {
  if (id === 'Fallback') return 'answers paths no route has (404, 405): no target';
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) return 'off the request path (a stream or queue consumer, per batch): no target';
  if (route.auth === 'operator') return "an operators' route: no target";
  return 'a write: the read target does not apply';
}

const WARMUP_MS = 300;
const SAMPLES = 7;
const SAMPLE_MS = 150;

const ARTICLE = 'the-lighthouse-keepers-last-winter';
const VISITOR = 'visitor-0123456789abcdef';
const BODY =
  'Thank you for this piece. My grandfather kept the light at Hartland Point for eleven winters ' +
  'and he always said the hardest part was not the weather but the quiet. The photographs of ' +
  'the lamp room brought it all back; I would love to read more about how the cottage is kept.';

type Item = Record<string, unknown>;

function comment(runtime: Runtime, index: number, status = 'published'): CommentRecord & Item {
  const createdMs = Date.parse('2026-11-20T08:00:00.000Z') + index * 61_000;
  return {
    commentId: runtime.newId(createdMs),
    articleId: ARTICLE,
    parentId: null,
    authorName: `Reader ${index}`,
    authorWebsite: index % 3 === 0 ? `https://reader${index}.example` : null,
    email: `reader${index}@example.com`,
    emailHash: runtime.hasher.hash('email', `reader${index}@example.com`),
    editTokenHash: runtime.hasher.hash('edit-token', `token-${index}`),
    body: BODY,
    status: status as CommentRecord['status'],
    createdAt: new Date(createdMs).toISOString(),
    editedAt: null,
    staff: false,
    pinned: false,
  };
}

/** The DynamoDB operations the repositories use, as the wire protocol names them. */
type Operation =
  | 'Query'
  | 'GetItem'
  | 'BatchGetItem'
  | 'TransactWriteItems'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'PutItem';

type Answer = (operation: Operation, input: Item) => Item;

/**
 * Items as the SDK hands them over: parsed from a JSON answer, so every string is flat. (Built
 * here from templates and the id generator, some would be rope strings that serialising has to
 * flatten first, which no real answer needs.)
 */
const asParsed = <T>(items: T): T => JSON.parse(JSON.stringify(items)) as T;

/** Comments held in one moderators' digest window: a few, on a site that holds first posts. */
const HELD_IN_WINDOW = 5;
/** The window they fall in (comment() dates them from 08:00 on, a minute apart). */
const HELD_WINDOW = { start: '2026-11-20T08:00:00.000Z', end: '2026-11-20T08:15:00.000Z' };

const MAIL_ARTICLE = 'letters-from-the-lighthouse';
/** The comment everyone replies to; its author asked to hear of replies and confirmed. */
const PARENT_EMAIL = 'keeper@example.com';

const keyOf = (key: Item) => `${String(key.PK)}|${String(key.SK)}`;

/**
 * The items the mail functions read by key: a confirmed subscriber's comment and a full stream
 * batch of replies to it, each from a new reader who asks to hear of replies in turn. So every
 * reply calls for two mails: the reader's confirmation and the subscriber's notification.
 */
function mailItems(runtime: Runtime) {
  const hash = (email: string) => runtime.hasher.hash('email', email);
  const at = (index: number) => Date.parse('2026-11-21T09:00:00.000Z') + index * 37_000;
  const parent: CommentRecord = {
    ...comment(runtime, 0),
    commentId: runtime.newId(at(0)),
    articleId: MAIL_ARTICLE,
    createdAt: new Date(at(0)).toISOString(),
    email: PARENT_EMAIL,
    emailHash: hash(PARENT_EMAIL),
    notify: true,
  };
  const replies = Array.from({ length: dispatchBatch([parent]).Records.length }, (_, index) => {
    const email = `replier${index}@example.com`;
    return {
      ...comment(runtime, index + 1),
      commentId: runtime.newId(at(index + 1)),
      articleId: MAIL_ARTICLE,
      parentId: parent.commentId,
      createdAt: new Date(at(index + 1)).toISOString(),
      email,
      emailHash: hash(email),
      notify: true,
    } satisfies CommentRecord;
  });
  const subscriber = {
    ...keys.subscriber(hash(PARENT_EMAIL)),
    entity: ENTITY.subscriber,
    email: PARENT_EMAIL,
    state: 'confirmed',
  };
  const items: Item[] = asParsed([...[parent, ...replies].map(toItem), subscriber]);
  return { replies, byKey: new Map(items.map((item) => [keyOf(item), item])) };
}

/** What the console's tabs count (one page of a COUNT query each), and an erasure's preview. */
const QUEUE_COUNTS: Record<string, number> = { pending: 14, published: 2_310, spam: 57 };
const ERASABLE_COMMENTS = 2;

/**
 * What the operators' console works on besides the queue: a published comment to pin (and to
 * reply to as staff), one pinned already, and the article's count item that holds the pinned
 * copy, as the console's article view reads it.
 */
function consoleItems(runtime: Runtime) {
  const toPin = comment(runtime, 1);
  const pinned = { ...comment(runtime, 2), pinned: true };
  const head = {
    ...keys.statsHead(ARTICLE),
    entity: ENTITY.articleStats,
    articleId: ARTICLE,
    commentCount: 240,
    pins: { [pinned.commentId]: toPinnedCopy(pinned) },
  };
  const items: Item[] = asParsed([toItem(toPin), toItem(pinned), head]);
  return { toPin: toPin.commentId, pinned: pinned.commentId, items };
}

/** What DynamoDB would answer for each read a route makes: realistic items, full pages. */
function stubAnswers(runtime: Runtime, owned: Item, byKey: ReadonlyMap<string, Item>): Answer {
  // The operators' routes find a comment by its id first (the byCommentId index), then by key.
  const byId = new Map(
    [...byKey.values()]
      .filter((item) => typeof item.commentId === 'string')
      .map((item) => [item.commentId, item]),
  );
  const pageSize = runtime.settings.limits.pageSizeDefault;
  const stats = {
    ...keys.statsHead(ARTICLE),
    entity: ENTITY.articleStats,
    articleId: ARTICLE,
    commentCount: 240,
    reactionTotal: 1234,
    reactionCounts: { excited: 120, happy: 640, 'in-love': 210, 'not-sure': 90, silly: 174 },
  };
  // A first page reads the count item and one comment more than the page holds.
  const page = asParsed([
    stats,
    ...Array.from({ length: pageSize + 1 }, (_, index) => toItem(comment(runtime, index))),
  ]);
  const queue = asParsed(
    Array.from({ length: pageSize + 1 }, (_, index) => toItem(comment(runtime, index, 'pending'))),
  );
  const shard = {
    ...keys.reactionShard(ARTICLE, 0),
    entity: ENTITY.reactionCounts,
    excited: 120,
    happy: 640,
    'in-love': 210,
    'not-sure': 90,
    silly: 174,
  };
  const vote = {
    ...keys.vote(ARTICLE, runtime.hasher.hash('visitor', VISITOR)),
    entity: ENTITY.vote,
    reaction: 'happy',
  };
  const query = (input: Item): Item => {
    // The console's tab counts (by status) and an erasure's preview (by email hash).
    if (input.Select === 'COUNT') {
      const status = String((input.ExpressionAttributeValues as Item)[':status']);
      const count =
        input.IndexName === 'byEmailHash' ? ERASABLE_COMMENTS : (QUEUE_COUNTS[status] ?? 0);
      return { Count: count, ScannedCount: count };
    }
    // The mail sender's digest: the comments held in one window, all on one page.
    if (String(input.KeyConditionExpression).includes('BETWEEN')) {
      const held = queue.slice(0, HELD_IN_WINDOW);
      return { Items: held, Count: held.length };
    }
    switch (input.IndexName) {
      case undefined:
        return { Items: page, Count: page.length };
      case 'byStatus':
        return { Items: queue, Count: queue.length, LastEvaluatedKey: { PK: 'x', SK: 'y' } };
      case 'byCommentId': {
        const id = (input.ExpressionAttributeValues as Item)[':id'];
        const found = byId.get(id) ?? owned;
        return { Items: [{ PK: found.PK, SK: found.SK }], Count: 1 };
      }
      default:
        return { Items: queue.slice(0, 3), Count: 3 };
    }
  };
  const batchGet = (input: Item): Item => {
    const [table, request] = Object.entries(input.RequestItems as Record<string, Item>)[0] ?? [];
    const wanted = (request?.Keys ?? []) as { PK: string }[];
    const items = wanted.flatMap((key): Item[] => {
      // The mail dispatcher's batch of comments, whole.
      const stored = byKey.get(keyOf(key));
      if (stored) return [stored];
      if (key.PK.startsWith('REACTIONS#')) return [shard];
      if (key.PK.startsWith('VOTE#')) return [vote];
      // A like's read: the comment is published, liked 12 times, not yet by this visitor.
      if (key.PK.startsWith('SIGNALS#'))
        return [{ ...key, entity: ENTITY.commentSignals, published: true }];
      if (key.PK.startsWith('LIKES#')) return [{ ...key, entity: ENTITY.likeCounts, likes: 12 }];
      if (key.PK.startsWith('LIKE#') || key.PK.startsWith('REPORTS#')) return [];
      return [{ articleId: key.PK.slice('ARTICLE#'.length), commentCount: 12, reactionTotal: 87 }];
    });
    return { Responses: { [String(table)]: items } };
  };
  return (operation, input) => {
    switch (operation) {
      case 'Query':
        return query(input);
      case 'BatchGetItem':
        return batchGet(input);
      case 'GetItem': {
        const key = input.Key as Item;
        // A moderation link's once-only marker: not there, the link is unused.
        if (String(key.PK).startsWith(keys.linkUse('').PK)) return {};
        // No house rules saved: the settings' starting lists.
        if (key.PK === keys.houseRules().PK) return {};
        return { Item: byKey.get(keyOf(key)) ?? owned };
      }
      default:
        return {};
    }
  };
}

/**
 * The document client's commands the repositories send, by the names the package (and each
 * bundle) exports them under.
 */
const COMMAND_OPERATIONS: Record<string, Operation> = {
  QueryCommand: 'Query',
  GetCommand: 'GetItem',
  BatchGetCommand: 'BatchGetItem',
  TransactWriteCommand: 'TransactWriteItems',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  PutCommand: 'PutItem',
};

/**
 * Command classes to the operations they stand for: this process's own, or a bundle's (which has
 * its own copies), for the stub to recognise what the handler sends.
 */
function operationsOf(commands: Record<string, unknown>): Map<unknown, Operation> {
  return new Map(
    Object.entries(COMMAND_OPERATIONS).map(([name, operation]) => [commands[name], operation]),
  );
}

const OPERATIONS = operationsOf(documentClient);

/** Time spent inside the stub's answers, which stands in for DynamoDB and is not our work. */
const stubTime = { us: 0 };

/**
 * A document client whose `send` answers at once, with the items in document form. `operations`
 * maps the command classes it is sent to operations: a bundled handler has its own copies.
 */
function fakeClient(answer: Answer, operations = OPERATIONS): DynamoDBDocumentClient {
  const send = (command: { input: Item }) => {
    const started = performance.now();
    const operation = operations.get(command.constructor);
    if (!operation) throw new Error(`handler benchmark: no stub for ${command.constructor.name}`);
    const output = answer(operation, command.input);
    stubTime.us += (performance.now() - started) * 1000;
    return Promise.resolve(output);
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

/** DynamoDB JSON, as the wire carries items. */
function toAttribute(value: unknown): Item {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: toAttributes(value as Item) };
}

function toAttributes(item: Item): Item {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, toAttribute(value)]),
  );
}

function fromAttributes(item: Record<string, { S?: string; N?: string }>): Item {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, value.S ?? Number(value.N)]),
  );
}

/** The answer as DynamoDB sends it: items in DynamoDB JSON. */
function toWire(output: Item): Item {
  const wire: Item = { ...output };
  if (Array.isArray(output.Items)) wire.Items = output.Items.map(toAttributes);
  if (output.Item) wire.Item = toAttributes(output.Item as Item);
  if (output.LastEvaluatedKey)
    wire.LastEvaluatedKey = toAttributes(output.LastEvaluatedKey as Item);
  if (output.Responses) {
    wire.Responses = Object.fromEntries(
      Object.entries(output.Responses as Record<string, Item[]>).map(([table, items]) => [
        table,
        items.map(toAttributes),
      ]),
    );
  }
  return wire;
}

/**
 * The request as the stub reads it: the keys it looks items up by, and a query's values (the id
 * or status it asks for), back in document form.
 */
function fromWire(operation: Operation, input: Item): Item {
  if (operation === 'GetItem') {
    return { ...input, Key: fromAttributes(input.Key as Record<string, never>) };
  }
  if (operation === 'Query' && input.ExpressionAttributeValues) {
    const values = input.ExpressionAttributeValues as Record<string, never>;
    return { ...input, ExpressionAttributeValues: fromAttributes(values) };
  }
  if (operation !== 'BatchGetItem') return input;
  const requests = input.RequestItems as Record<string, { Keys: Record<string, never>[] }>;
  return {
    RequestItems: Object.fromEntries(
      Object.entries(requests).map(([table, request]) => [
        table,
        { ...request, Keys: request.Keys.map(fromAttributes) },
      ]),
    ),
  };
}

/**
 * The real document client and SDK, with an HTTP handler that answers in memory: every
 * middleware runs (marshalling, serialisation, SigV4 signing, retry, parsing); no socket opens.
 */
function cannedHttpClient(answer: Answer): DynamoDBDocumentClient {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const requestHandler = {
    async handle(request: { headers: Record<string, string>; body?: string | Uint8Array }) {
      const operation = request.headers['x-amz-target']?.split('.')[1] as Operation;
      const text = typeof request.body === 'string' ? request.body : decoder.decode(request.body);
      const input = fromWire(operation, JSON.parse(text || '{}'));
      const body = encoder.encode(JSON.stringify(toWire(answer(operation, input))));
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body,
        },
      };
    },
  };
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 3,
    requestHandler: requestHandler as unknown as DynamoDBClient['config']['requestHandler'],
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Events as Lambda's runtime hands them over: parsed from JSON, so every string is flat, as the
 * JSON fast path (lambda/json-fast-path.ts) needs of the strings an answer carries.
 */
function asLambdaEvents(byRoute: Record<string, Scenario>): Record<string, Scenario> {
  return Object.fromEntries(
    Object.entries(byRoute).map(([route, scenario]) => [
      route,
      {
        ...scenario,
        event: asParsed(scenario.event),
        ...(scenario.rotation ? { rotation: scenario.rotation.map(asParsed) } : {}),
      },
    ]),
  );
}

interface Scenario {
  /** An HTTP API request, or the stream or queue batch of a function that is not a route. */
  event: unknown;
  /** The status the answer must have; null for a function that is not a route. */
  status: number | null;
  /** Events to take turns with instead of repeating `event`. */
  rotation?: unknown[];
}

/** A handler as the bench calls it: a route's, or a stream or queue consumer's. */
type Invoke = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;

/**
 * What is wrong with a handler's first answer, if anything: a route's status other than the
 * scenario's, or a queue consumer that reports failed messages (Lambda would offer them again).
 */
function answerProblem(answer: unknown, status: number | null): string | undefined {
  const got = (answer ?? {}) as { statusCode?: number; body?: string; batchItemFailures?: [] };
  if (status !== null) {
    return got.statusCode === status
      ? undefined
      : `answered ${got.statusCode}, not ${status}: ${got.body}`;
  }
  const failed = got.batchItemFailures?.length ?? 0;
  return failed === 0 ? undefined : `reported ${failed} failed messages of the batch`;
}

/**
 * Enough articles that none is asked for often enough to be hot (store/hot-counts.ts), whose
 * views would come from the instance's copy: GET reactions is measured as a view of an ordinary
 * article, reading every shard.
 */
const QUIET_ARTICLES = 5_000;

/** A mail link's page, as following the link opens it. */
const linkPage = (path: string, token: string): Scenario => ({
  event: httpEvent('GET', path, { query: { token } }),
  status: 200,
});

/** A form posted back to a mail link's address, with the link's token. */
const linkForm = (path: string, token: string, body: string): Scenario => ({
  event: httpEvent('POST', path, {
    query: { token },
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  }),
  status: 200,
});

/** One realistic successful request per route. */
function scenarios(
  editToken: string,
  ownedId: string,
  links: { confirm: string; unsubscribe: string; approve: string },
  consoleIds: { toPin: string; pinned: string },
  importBatch: Item,
): Record<string, Scenario> {
  // Slugs as long as real ones: the query's split slices each id of 13 characters or more.
  const articles = Array.from({ length: 100 }, (_, index) => `${ARTICLE}-${index}`).join(',');
  const path = { articleId: ARTICLE };
  const operator = { operator: true };
  return {
    GetConfig: { event: httpEvent('GET', '/config'), status: 200 },
    GetThread: {
      event: httpEvent('GET', `/articles/${ARTICLE}`, { pathParameters: path }),
      status: 200,
    },
    ListComments: {
      event: httpEvent('GET', `/articles/${ARTICLE}/comments`, { pathParameters: path }),
      status: 200,
    },
    CreateComment: {
      event: httpEvent('POST', `/articles/${ARTICLE}/comments`, {
        pathParameters: path,
        body: { name: 'Ada', email: 'ada@example.com', website: 'https://ada.example', body: BODY },
      }),
      status: 201,
    },
    GetReactions: {
      event: httpEvent('GET', `/articles/${ARTICLE}/reactions`, {
        pathParameters: path,
        query: { visitorId: VISITOR },
      }),
      status: 200,
      rotation: Array.from({ length: QUIET_ARTICLES }, (_, index) =>
        httpEvent('GET', `/articles/${ARTICLE}-${index}/reactions`, {
          pathParameters: { articleId: `${ARTICLE}-${index}` },
          query: { visitorId: VISITOR },
        }),
      ),
    },
    // The stub's vote is `happy`, so each request moves it: a read and a write every time.
    PutReaction: {
      event: httpEvent('PUT', `/articles/${ARTICLE}/reactions`, {
        pathParameters: path,
        body: { visitorId: VISITOR, reaction: 'excited' },
      }),
      status: 200,
    },
    DeleteReaction: {
      event: httpEvent('DELETE', `/articles/${ARTICLE}/reactions`, {
        pathParameters: path,
        query: { visitorId: VISITOR },
      }),
      status: 200,
    },
    // The stub's visitor has not liked it: a like is a read and a write every time; taking one
    // back that is not there is two reads.
    PutLike: {
      event: httpEvent('PUT', `/comments/${ownedId}/likes`, {
        pathParameters: { commentId: ownedId },
        body: { visitorId: VISITOR },
      }),
      status: 200,
    },
    DeleteLike: {
      event: httpEvent('DELETE', `/comments/${ownedId}/likes`, {
        pathParameters: { commentId: ownedId },
        query: { visitorId: VISITOR },
      }),
      status: 200,
    },
    // A report of a published comment under the threshold: a read and a write every time.
    PostReport: {
      event: httpEvent('POST', `/comments/${ownedId}/reports`, {
        pathParameters: { commentId: ownedId },
        body: { visitorId: VISITOR, reason: 'abuse', explanation: 'Insults another reader.' },
      }),
      status: 202,
    },
    GetCounts: { event: httpEvent('GET', '/counts', { query: { articles } }), status: 200 },
    EditComment: {
      event: httpEvent('PATCH', `/comments/${ownedId}`, {
        pathParameters: { commentId: ownedId },
        headers: { authorization: `Bearer ${editToken}` },
        body: { body: `${BODY} (edited)` },
      }),
      status: 200,
    },
    DeleteComment: {
      event: httpEvent('DELETE', `/comments/${ownedId}`, {
        pathParameters: { commentId: ownedId },
        headers: { authorization: `Bearer ${editToken}` },
      }),
      status: 204,
    },
    AdminListComments: { event: httpEvent('GET', '/admin/comments', operator), status: 200 },
    AdminModerateComment: {
      event: httpEvent('PATCH', `/admin/comments/${ownedId}`, {
        ...operator,
        pathParameters: { commentId: ownedId },
        body: { status: 'published' },
      }),
      status: 200,
    },
    AdminDeleteComment: {
      event: httpEvent('DELETE', `/admin/comments/${ownedId}`, {
        ...operator,
        pathParameters: { commentId: ownedId },
      }),
      status: 204,
    },
    AdminErase: {
      event: httpEvent('POST', '/admin/erasures', {
        ...operator,
        body: { email: 'reader1@example.com' },
      }),
      status: 200,
    },
    // The links of the mails: a new subscriber's confirmation, a subscriber's way out.
    ConfirmSubscriptionPage: linkPage('/subscriptions/confirm', links.confirm),
    ConfirmSubscription: {
      event: httpEvent('POST', '/subscriptions/confirm', { query: { token: links.confirm } }),
      status: 200,
    },
    UnsubscribePage: linkPage('/subscriptions/unsubscribe', links.unsubscribe),
    // RFC 8058 one-click, as a mail client posts it.
    Unsubscribe: linkForm(
      '/subscriptions/unsubscribe',
      links.unsubscribe,
      'List-Unsubscribe=One-Click',
    ),
    // A held-comment notice's "publish" link, for the owned comment (pending): the page it
    // opens, then its button, which posts an empty form back to the same address.
    ModerationLinkPage: linkPage('/moderation/actions', links.approve),
    ModerationLink: linkForm('/moderation/actions', links.approve, ''),
    AdminImport: {
      event: httpEvent('POST', '/admin/imports', { ...operator, body: importBatch }),
      status: 200,
    },
    // The console: its tab counts, an erasure's preview, an article's view and its changes.
    AdminQueueCounts: { event: httpEvent('GET', '/admin/counts', operator), status: 200 },
    AdminTransparency: {
      event: httpEvent('GET', '/admin/transparency', {
        ...operator,
        query: { from: '2026-01', to: '2026-12' },
      }),
      status: 200,
    },
    AdminPinComment: {
      event: httpEvent('PUT', `/admin/comments/${consoleIds.toPin}/pin`, {
        ...operator,
        pathParameters: { commentId: consoleIds.toPin },
      }),
      status: 200,
    },
    AdminUnpinComment: {
      event: httpEvent('DELETE', `/admin/comments/${consoleIds.pinned}/pin`, {
        ...operator,
        pathParameters: { commentId: consoleIds.pinned },
      }),
      status: 200,
    },
    // Featuring the comment the pin scenario pins; the pinned one is not featured: a no-op.
    AdminFeatureComment: {
      event: httpEvent('PUT', `/admin/comments/${consoleIds.toPin}/feature`, {
        ...operator,
        pathParameters: { commentId: consoleIds.toPin },
      }),
      status: 200,
    },
    AdminUnfeatureComment: {
      event: httpEvent('DELETE', `/admin/comments/${consoleIds.pinned}/feature`, {
        ...operator,
        pathParameters: { commentId: consoleIds.pinned },
      }),
      status: 200,
    },
    AdminErasureCount: {
      event: httpEvent('GET', '/admin/erasures', {
        ...operator,
        query: { email: 'reader1@example.com' },
      }),
      status: 200,
    },
    AdminGetArticle: {
      event: httpEvent('GET', `/admin/articles/${ARTICLE}`, { ...operator, pathParameters: path }),
      status: 200,
    },
    AdminGetHouseRules: {
      event: httpEvent('GET', '/admin/house-rules', operator),
      status: 200,
    },
    // A commenter's record (read whole), their comments by the index, the latest batch-read.
    AdminGetCommenter: {
      event: httpEvent('GET', '/admin/commenters/bench-commenter', {
        ...operator,
        pathParameters: { commenterId: 'bench-commenter' },
      }),
      status: 200,
    },
    AdminChangeCommenter: {
      event: httpEvent('PUT', '/admin/commenters/bench-commenter', {
        ...operator,
        pathParameters: { commenterId: 'bench-commenter' },
        body: { state: 'trusted', note: 'A regular; always fine.' },
      }),
      status: 200,
    },
    // The ids an address stands for: its comments by the email's hash, batch-read.
    AdminFindCommenter: {
      event: httpEvent('GET', '/admin/commenters', {
        ...operator,
        query: { email: 'reader1@example.com' },
      }),
      status: 200,
    },
    AdminPutHouseRules: {
      event: httpEvent('PUT', '/admin/house-rules', {
        ...operator,
        body: {
          hold: ['idiot', 'fool'],
          block: ['cheap pills'],
          emailDomains: { disposable: 'allow', hold: [], block: ['spam.example'] },
          version: 0,
        },
      }),
      status: 200,
    },
    AdminChangeArticle: {
      event: httpEvent('PATCH', `/admin/articles/${ARTICLE}`, {
        ...operator,
        pathParameters: path,
        body: { closed: true },
      }),
      status: 200,
    },
    // The newsroom answers a reader, published at once.
    AdminReply: {
      event: httpEvent('POST', `/admin/articles/${ARTICLE}/comments`, {
        ...operator,
        pathParameters: path,
        body: {
          name: 'The newsroom',
          body: 'Thank you: the keepers’ logbooks are at the county archive, and we will write about the cottage in the spring.',
          parentId: consoleIds.toPin,
        },
      }),
      status: 201,
    },
    Fallback: { event: httpEvent('GET', '/nowhere', { routeKey: '$default' }), status: 404 },
  };
}

/**
 * The functions that are not routes, by module: the tally on a full batch of votes, the mail
 * dispatcher on a full batch of new replies, the sender on a full batch of the jobs the
 * dispatcher queued for them and a moderators' digest; the webhook dispatcher on the same new
 * replies and its sender on a full batch of their deliveries (each signed and POSTed).
 */
function functionScenarios(
  replies: readonly CommentRecord[],
  jobs: MailJob[],
  deliveries: Delivery[],
) {
  return {
    'tally-reactions': { event: tallyBatch(), status: null },
    'mail-dispatch': { event: dispatchBatch(replies), status: null },
    'mail-send': { event: sendBatch(jobs), status: null },
    'webhook-dispatch': { event: hookDispatchBatch(replies), status: null },
    'webhook-send': { event: hookSendBatch(deliveries), status: null },
  } satisfies Record<string, Scenario>;
}

/**
 * Calls `fn` one request at a time; returns microseconds per call for each sample, without the
 * time spent inside the stubbed client's answers (what DynamoDB and the SDK would do instead).
 */
async function timeCalls(fn: () => Promise<unknown>): Promise<number[]> {
  const runFor = async (ms: number) => {
    let calls = 0;
    stubTime.us = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < ms) {
      // Batches of 16 keep the clock reads out of the figure for the fastest handlers.
      for (let i = 0; i < 16; i++) await fn();
      calls += 16;
      elapsed = performance.now() - started;
    }
    return (elapsed * 1000 - stubTime.us) / calls;
  };
  await runFor(WARMUP_MS);
  const samples: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) samples.push(await runFor(SAMPLE_MS));
  return samples;
}

/** The runtime, with the mail functions' areas besides for their modules. */
type AnyDeps = Omit<Runtime, 'areas'> & { areas: Partial<Areas> };

/** What each bench bundle exports: its handler module, and what the bench needs from inside it. */
interface BundledHandler {
  createHandler?: (deps: AnyDeps) => Invoke;
  handler: Invoke;
  loadRuntime: typeof loadRuntime;
  setLogSink: typeof setLogSink;
  setMetricsSink: typeof setMetricsSink;
  commands: Record<string, unknown>;
  /** The builders of the mail links' and mail functions' areas, for the bench's client. */
  mailAreas?: typeof mailAreaBuilders;
  /** The mail functions' queue, through the bundle's own SQS client, answered in memory. */
  sqsQueue?: typeof sqsQueue;
  SQSClient?: typeof SQSClient;
  /** The mail sender's: SES through the bundle's own SES client. */
  sesSender?: typeof sesSender;
  SESv2Client?: typeof SESv2Client;
  /** The webhook functions' area builders and their queue. */
  webhookAreas?: typeof webhookAreaBuilders;
  sqsJobQueue?: typeof sqsJobQueue;
}

/** What a module's bench bundle exports besides the handler module and the runtime. */
function extraExports(module: string, lambda: (path: string) => string): string[] {
  return [
    ...(/^(mail-|subscription-|moderation-link)/.test(module)
      ? [`export * as mailAreas from ${lambda('mail/mail-areas')};`]
      : []),
    ...(module.startsWith('mail-')
      ? [
          `export { sqsQueue } from ${lambda('mail/sqs-queue')};`,
          `export { SQSClient } from '@aws-sdk/client-sqs';`,
        ]
      : []),
    ...(module.startsWith('webhook-')
      ? [
          `export * as webhookAreas from ${lambda('webhooks/webhook-areas')};`,
          `export { sqsJobQueue } from ${lambda('mail/sqs-queue')};`,
          `export { SQSClient } from '@aws-sdk/client-sqs';`,
        ]
      : []),
    ...(module === 'mail-send'
      ? [
          `export { sesSender } from ${lambda('mail/ses-sender')};`,
          `export { SESv2Client } from '@aws-sdk/client-sesv2';`,
        ]
      : []),
  ];
}

/**
 * Each handler bundled as the CDK bundles it (esbuild, minified ESM, the SDK inside), so the
 * figures are those of the deployed code, not of the test loader's module wrappers (tsx makes
 * every call across modules go through a getter, which added 10-20% here). Each bundle also
 * exports loadRuntime, the log and metrics sinks and the command classes from inside it, so the
 * bench can hand its handler a runtime on the stubbed client. `root` is the tree whose lambda/
 * is bundled: another commit's, extracted under the repository, for a before-and-after figure.
 */
async function bundleHandlers(
  modules: string[],
  root = join(__dirname, '..', '..'),
): Promise<Map<string, BundledHandler>> {
  const workdir = join(root, 'test-output', 'bench');
  mkdirSync(workdir, { recursive: true });
  const dir = mkdtempSync(join(workdir, 'handlers-'));
  try {
    const lambda = (path: string) => JSON.stringify(join(root, 'lambda', path));
    const entryPoints: Record<string, string> = {};
    for (const module of modules) {
      const entry = join(dir, `${module}.entry.ts`);
      writeFileSync(
        entry,
        [
          `export * from ${lambda(`handlers/${module}`)};`,
          `export { loadRuntime } from ${lambda('runtime')};`,
          `export { setLogSink } from ${lambda('http/log')};`,
          `export { setMetricsSink } from ${lambda('http/metrics')};`,
          `export * as commands from '@aws-sdk/lib-dynamodb';`,
          ...extraExports(module, lambda),
        ].join('\n'),
      );
      entryPoints[module] = entry;
    }
    await build({
      ...FUNCTION_BUILD_OPTIONS,
      entryPoints,
      outdir: join(dir, 'out'),
      outExtension: { '.js': '.mjs' },
    });
    const bundled = new Map<string, BundledHandler>();
    for (const module of modules) {
      const url = pathToFileURL(join(dir, 'out', `${module}.mjs`)).href;
      bundled.set(module, await withHandlerEnv(() => import(url) as Promise<BundledHandler>));
    }
    return bundled;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BENCH_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/**
 * SQS's answer to SendMessageBatch: every entry taken, each with the MD5 of its body, which the
 * SDK's SQS client checks (it throws on a mismatch).
 */
function sqsAnswer(body: string): Item {
  const { Entries } = JSON.parse(body) as { Entries: { Id: string; MessageBody: string }[] };
  return {
    Successful: Entries.map(({ Id, MessageBody }) => ({
      Id,
      MessageId: `message-${Id}`,
      MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex'),
    })),
    Failed: [],
  };
}

/** The mail queue's HTTP, answered in memory (clocked as the stub's time, like DynamoDB's). */
const cannedSqsHandler = {
  async handle(request: { body?: unknown }) {
    const started = performance.now();
    const body = new TextEncoder().encode(JSON.stringify(sqsAnswer(String(request.body))));
    stubTime.us += (performance.now() - started) * 1000;
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body,
      },
    };
  },
};

/** SES's HTTP, answered in memory: every message taken. */
const cannedSesHandler = {
  async handle() {
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(JSON.stringify({ MessageId: 'bench-message' })),
      },
    };
  },
};

/**
 * A handler of the bundle on a runtime whose DynamoDB client is `client`, logging nowhere; the
 * mail functions' SQS and SES answered in memory.
 */
function bundledHandler(bundled: BundledHandler, client: DynamoDBDocumentClient): Invoke {
  // The log and metrics lines are still built for each request, as on Lambda; only the write to
  // stdout is dropped.
  bundled.setLogSink(() => {});
  bundled.setMetricsSink(() => {});
  const runtime = bundled.loadRuntime(ENV, { client });
  if (!bundled.createHandler) return bundled.handler;
  return bundled.createHandler({
    ...runtime,
    areas: { ...runtime.areas, ...mailAreas(bundled, runtime), ...webhookAreas(bundled, runtime) },
  });
}

/**
 * The webhook functions' areas on the runtime's client, their queue answered in memory and each
 * POST taken at once (what the endpoint does is not our work); none for other bundles.
 */
function webhookAreas(bundled: BundledHandler, runtime: Runtime): Partial<Areas> {
  if (!bundled.webhookAreas || !bundled.sqsJobQueue || !bundled.SQSClient) return {};
  const sqs = new bundled.SQSClient({
    region: ENV.AWS_REGION,
    credentials: BENCH_CREDENTIALS,
    requestHandler: cannedSqsHandler as unknown as SQSClient['config']['requestHandler'],
  });
  return {
    hookDispatch: bundled.webhookAreas.hookDispatchFrom(runtime),
    hookQueue: bundled.sqsJobQueue(sqs, ENV[WEBHOOK_QUEUE_URL_ENV], 'webhook'),
    hookSend: { ...bundled.webhookAreas.hookSendFrom(runtime), post: async () => undefined },
    hookRetry: async () => undefined,
  };
}

/**
 * The mail links' and mail functions' areas on the runtime's client, with SQS and SES answered in
 * memory; none for other bundles.
 */
function mailAreas(bundled: BundledHandler, runtime: Runtime): Partial<Areas> {
  if (!bundled.mailAreas) return {};
  const links = {
    subscriptions: bundled.mailAreas.subscriptionsFrom(runtime),
    moderationLinks: bundled.mailAreas.moderationLinksFrom(runtime),
  };
  if (!bundled.sqsQueue || !bundled.SQSClient) return links;
  const mailQueue = bundled.sqsQueue(
    new bundled.SQSClient({
      region: ENV.AWS_REGION,
      credentials: BENCH_CREDENTIALS,
      requestHandler: cannedSqsHandler as unknown as SQSClient['config']['requestHandler'],
    }),
    ENV[MAIL_QUEUE_URL_ENV],
  );
  const areas = {
    ...links,
    notifications: bundled.mailAreas.notificationsFrom(runtime),
    mailQueue,
  };
  if (!bundled.sesSender || !bundled.SESv2Client) return areas;
  const ses = new bundled.SESv2Client({
    region: ENV.AWS_REGION,
    credentials: BENCH_CREDENTIALS,
    requestHandler: cannedSesHandler as unknown as SESv2Client['config']['requestHandler'],
  });
  const from = ENV[MAIL_FROM_ENV];
  const mailSender = bundled.sesSender(ses, {
    from,
    messageIdDomain: from.replace(/^.*@/, ''),
    configurationSetName: ENV[MAIL_CONFIGURATION_SET_ENV],
    clock: runtime.clock,
  });
  return { ...areas, mailSender };
}

const ENV = {
  TABLE_NAME: 'talkback-bench',
  TALKBACK_SECRET: BENCH_SECRET,
  TALKBACK_LINK_SECRET: BENCH_LINK_SECRET,
  TALKBACK_SETTINGS: testSettings(BENCH_HOOK_SETTINGS),
  AWS_REGION: 'eu-west-1',
  ...MAIL_ENV,
  ...WEBHOOK_ENV,
  // `TALKBACK_JSON_FAST_PATH=off npm run bench` measures the handlers without V8's fast path.
  TALKBACK_JSON_FAST_PATH: process.env.TALKBACK_JSON_FAST_PATH ?? 'on',
};
const CONTEXT = { awsRequestId: 'bench' };

interface Measured {
  us: number;
  samples: number[];
  /** The response body's size. */
  bodyBytes: number;
  /** What the body alone costs to serialise: the floor no handler of this answer can go under. */
  stringifyUs?: number;
}

async function measureRoute(
  route: { id: string },
  handler: Invoke,
  scenario: Scenario,
  options: { stringify?: boolean } = {},
): Promise<Measured> {
  const first = await handler(scenario.event, CONTEXT);
  const problem = answerProblem(first, scenario.status);
  if (problem) throw new Error(`handler benchmark: ${route.id} ${problem}`);
  const { rotation } = scenario;
  let turn = 0;
  const nextEvent = rotation ? () => rotation[turn++ % rotation.length] : () => scenario.event;
  const samples = await timeCalls(() => handler(nextEvent(), CONTEXT));
  const { body, headers } = (first ?? {}) as { body?: string; headers?: Record<string, string> };
  const measured = { us: median(samples), samples, bodyBytes: Buffer.byteLength(body ?? '') };
  // A page (the unsubscribe link's) is HTML: there is no JSON to stringify.
  if (!options.stringify || !body || !headers?.['content-type']?.includes('json')) return measured;
  const parsed: unknown = JSON.parse(body);
  const stringify = await timeCalls(async () => JSON.stringify(parsed));
  return { ...measured, stringifyUs: median(stringify) };
}

const perSecond = (us: number) => `${Math.round(1e6 / us).toLocaleString('en-US')} req/s`;

/** The records of a stream or queue batch. */
const recordsOf = (event: unknown) => (event as { Records: unknown[] }).Records.length;

export async function handlerOverhead(log: (line: string) => void): Promise<BenchResult[]> {
  const { answer, scenarios: byRoute, functions } = await stubbedRoutes();
  const sdkClient = cannedHttpClient(answer);

  try {
    const fixed = JSON.stringify({ articleId: ARTICLE, counts: { happy: 1 }, total: 1 });
    const floorHandler: LambdaHandler = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: fixed,
    });
    const floorEvent = httpEvent('GET', '/config');
    log('floor handler');
    const floorSamples = await timeCalls(() => floorHandler(floorEvent, CONTEXT));
    const floorUs = median(floorSamples);
    const rows: BenchResult[] = [
      result({
        group: 'handler',
        name: 'floor (fixed JSON)',
        value: floorUs,
        unit: 'µs/req',
        samples: floorSamples,
        note: perSecond(floorUs),
      }),
    ];

    const routes = [
      ...ROUTES.map((route) => ({ id: route.id, module: route.handler })),
      { id: 'Fallback', module: 'fallback' },
    ];
    const consumers = Object.keys(functions).map((module) => ({ id: module, module }));
    log(`bundling ${routes.length} handlers and ${consumers.length} functions as the CDK does`);
    const bundled = await bundleHandlers([...routes, ...consumers].map((route) => route.module));
    const bundleOf = (route: { module: string }) => bundled.get(route.module) as BundledHandler;
    for (const route of routes) {
      const scenario = byRoute[route.id];
      if (!scenario) throw new Error(`handler benchmark: no scenario for route ${route.id}`);
      log(route.id);
      const read = READS.has(route.id);
      const bundle = bundleOf(route);
      const handler = bundledHandler(bundle, fakeClient(answer, operationsOf(bundle.commands)));
      const { us, samples, bodyBytes, stringifyUs } = await measureRoute(route, handler, scenario, {
        stringify: read,
      });
      const ours = us - floorUs;
      const body =
        stringifyUs === undefined
          ? ''
          : `; its ${(bodyBytes / 1024).toFixed(1)} KB body alone takes ${stringifyUs.toFixed(1)} µs to stringify`;
      rows.push(
        result({
          group: 'handler',
          name: route.id,
          value: us,
          unit: 'µs/req',
          floor: floorUs,
          target: read ? `ours <= ${READ_TARGET_US} µs` : null,
          met: read ? ours <= READ_TARGET_US : null,
          samples,
          note: `ours ${ours.toFixed(1)} µs, ${perSecond(us)}${body}${read ? '' : `; ${noTargetWhy(route.id)}`}`,
          detail: {
            oursUs: ours,
            requestsPerSecond: 1e6 / us,
            bodyBytes,
            stringifyUs,
            samplesUs: samples,
          },
        }),
      );
    }

    // The functions that are not routes: a whole batch a call, with nobody waiting on it.
    for (const consumer of consumers) {
      const scenario = functions[consumer.id] as Scenario;
      log(consumer.id);
      const bundle = bundleOf(consumer);
      const handler = bundledHandler(bundle, fakeClient(answer, operationsOf(bundle.commands)));
      const { us, samples } = await measureRoute(consumer, handler, scenario);
      const records = recordsOf(scenario.event);
      rows.push(
        result({
          group: 'handler',
          name: consumer.id,
          value: us,
          unit: 'µs/batch',
          samples,
          note: `${records} records, ${(us / records).toFixed(1)} µs each; ${noTargetWhy(consumer.id)}`,
          detail: { records, usPerRecord: us / records, samplesUs: samples },
        }),
      );
    }

    // The same public routes through the whole SDK, for what a request costs the function.
    const sdkRoutes = routes.filter((route) => SDK_ROUTES.has(route.id));
    for (const route of sdkRoutes) {
      const scenario = byRoute[route.id] as Scenario;
      log(`${route.id} through the SDK`);
      const handler = bundledHandler(bundleOf(route), sdkClient);
      const { us, samples } = await measureRoute(route, handler, scenario);
      rows.push(
        result({
          group: 'handler',
          name: `${route.id} + SDK`,
          value: us,
          unit: 'µs/req',
          floor: floorUs,
          samples,
          note: `ours + SDK ${(us - floorUs).toFixed(1)} µs, ${perSecond(us)}`,
          detail: { requestsPerSecond: 1e6 / us, samplesUs: samples },
        }),
      );
    }
    return rows;
  } finally {
    sdkClient.destroy();
  }
}

/**
 * The stubbed DynamoDB answers and one request per route, for this benchmark and for one that
 * serves them to a function in another process (memory.ts answers the bundle's real SDK over
 * HTTP with them): the answers, the events by route id and by function module, and the
 * environment they were made for (its secret signs the tokens, its settings size the pages).
 */
export async function stubbedRoutes(): Promise<{
  answer: Answer;
  scenarios: Record<string, Scenario>;
  functions: Record<string, Scenario>;
  env: typeof ENV;
}> {
  const setup = runtimeOnClient(
    ENV,
    fakeClient(() => ({})),
  );
  const token = issueEditToken(ARTICLE, setup.hasher);
  const owned = toItem({
    ...comment(setup, 0, 'pending'),
    createdAt: new Date().toISOString(),
    editTokenHash: token.hash,
  });
  const mail = mailItems(setup);
  const consoleState = consoleItems(setup);
  const stored = new Map([
    ...mail.byKey,
    ...consoleState.items.map((item): [string, Item] => [keyOf(item), item]),
  ]);
  const answer = stubAnswers(setup, owned, stored);
  const subscriber = setup.hasher.hash('email', PARENT_EMAIL);
  const links = {
    confirm: confirmToken(setup.hasher, subscriber, setup.clock()),
    unsubscribe: unsubscribeToken(setup.hasher, subscriber),
    approve: moderationToken(
      setup.hasher,
      { articleId: ARTICLE, commentId: String(owned.commentId) },
      'published',
      setup.clock(),
    ),
  };
  // The sender's batch: what the dispatcher queues for the first replies, and a digest.
  const deps: NotificationDeps = {
    store: new NotificationRepository(fakeClient(answer), ENV.TABLE_NAME),
    hasher: setup.hasher,
    clock: setup.clock,
    mail: mailSettingsFromEnv(ENV),
    undoSeconds: 6,
  };
  const jobs: MailJob[] = [];
  for (const reply of mail.replies.slice(0, 5)) {
    jobs.push(...(await mailForComment(deps, reply)).map((queued) => queued.job));
  }
  jobs.splice(9, jobs.length, {
    kind: 'held',
    windowStart: HELD_WINDOW.start,
    windowEnd: HELD_WINDOW.end,
  });
  // The webhook sender's batch: what the webhook dispatcher queues for the first replies.
  const hookDeps = {
    store: undefined as never,
    webhooks: setup.settings.webhooks,
    slack: true,
    undoSeconds: 6,
  };
  const deliveries = mail.replies
    .slice(0, 5)
    .flatMap((reply) =>
      deliveriesFor(hookDeps, { ref: reply, inserted: true, removed: false }, reply),
    )
    .map((queued) => queued.job);
  return {
    answer,
    scenarios: asLambdaEvents(
      scenarios(
        token.token,
        String(owned.commentId),
        links,
        consoleState,
        importBatch(setup.newId, BODY),
      ),
    ),
    functions: asLambdaEvents(functionScenarios(mail.replies, jobs, deliveries)),
    env: ENV,
  };
}

export type { Answer, BundledHandler, Invoke, Operation, Scenario };
export { answerProblem, bundleHandlers, cannedHttpClient, fromWire, sqsAnswer, toWire };
