/**
 * Every route that touches the table, with the real handlers, repositories and document client,
 * and DynamoDB replaced by aws-sdk-client-mock throwing the SDK's own exceptions: a throttle, a
 * timeout, or a transaction cancelled by throttling or a conflict must each end as 503
 * problem+json with Retry-After (or the route's documented 4xx for a failed condition), with
 * nothing internal in the body, and count in DynamoDbThrottles.
 */
import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../lambda/domain/comment';
import { issueEditToken } from '../../lambda/domain/edit-token';
import { ulidTime } from '../../lambda/domain/ids';
import { confirmToken, moderationToken, unsubscribeToken } from '../../lambda/domain/notifications';
import { setMetricsSink } from '../../lambda/http/metrics';
import { ROUTES } from '../../lambda/routes';
import { loadRuntime } from '../../lambda/runtime';
import { toItem } from '../../lambda/store/comment-items';
import { ENTITY, keys } from '../../lambda/store/keys';
import { type ApiRequest, createApi } from '../support/api';
import { fixedClock, fixedId, NOW } from './fakes';
import { socketError, transactionCanceled } from './store/sdk-errors';

const TABLE = 'talkback-prod-Table1234ABCD';
const ARTICLE = 'russia-north-korea-ties';
const VISITOR = 'visitor-0123456789abcdef';
const $metadata = { httpStatusCode: 400, requestId: 'SDKREQUESTID0123' };

const ddb = mockClient(DynamoDBDocumentClient);
const ENV = {
  TABLE_NAME: TABLE,
  TALKBACK_SECRET: 'fault-secret-0123456789-0123456789-abcdef',
  TALKBACK_LINK_SECRET: 'fault-link-secret-0123456789-0123456789-abcdef',
  TALKBACK_SETTINGS: JSON.stringify({ moderation: { policy: 'none' } }),
};
const runtime = loadRuntime(ENV, { clock: fixedClock });
const api = createApi(runtime);
const subscriber = runtime.hasher.hash('email', 'ada@example.com');

const commentId = fixedId(NOW);
const editToken = issueEditToken(ARTICLE, runtime.hasher);
const record: CommentRecord = {
  commentId,
  articleId: ARTICLE,
  parentId: null,
  authorName: 'Ada',
  authorWebsite: null,
  email: 'ada@example.com',
  emailHash: runtime.hasher.hash('email', 'ada@example.com'),
  editTokenHash: editToken.hash,
  body: 'Hello there.',
  status: 'published',
  createdAt: new Date(NOW).toISOString(),
  editedAt: null,
  staff: false,
  pinned: false,
};
const commentItem = toItem(record);
/** A held comment, as a moderator's link acts only on one still held. */
const heldRecord: CommentRecord = {
  ...record,
  commentId: fixedId(NOW - 120_000),
  status: 'pending',
};
heldRecord.createdAt = new Date(ulidTime(heldRecord.commentId)).toISOString();
const bearer = { authorization: `Bearer ${editToken.token}` };

/** One request per route that reaches the table; `transaction` when it writes one. */
const REQUESTS: Record<
  string,
  { method: string; path: string; request: ApiRequest; transaction: boolean }
> = {
  GetThread: {
    method: 'GET',
    path: `/articles/${ARTICLE}`,
    request: {},
    transaction: false,
  },
  ListComments: {
    method: 'GET',
    path: `/articles/${ARTICLE}/comments`,
    request: {},
    transaction: false,
  },
  CreateComment: {
    method: 'POST',
    path: `/articles/${ARTICLE}/comments`,
    request: { body: { name: 'Ada', email: 'ada@example.com', body: 'Hello there.' } },
    transaction: true,
  },
  GetReactions: {
    method: 'GET',
    path: `/articles/${ARTICLE}/reactions`,
    request: { query: { visitorId: VISITOR } },
    transaction: false,
  },
  PutReaction: {
    method: 'PUT',
    path: `/articles/${ARTICLE}/reactions`,
    request: { body: { visitorId: VISITOR, reaction: 'excited' } },
    transaction: true,
  },
  DeleteReaction: {
    method: 'DELETE',
    path: `/articles/${ARTICLE}/reactions`,
    request: { query: { visitorId: VISITOR }, omitHeaders: ['content-type'] },
    transaction: true,
  },
  PutLike: {
    method: 'PUT',
    path: `/comments/${commentId}/likes`,
    request: { body: { visitorId: VISITOR } },
    transaction: true,
  },
  DeleteLike: {
    method: 'DELETE',
    path: `/comments/${commentId}/likes`,
    request: { query: { visitorId: VISITOR }, omitHeaders: ['content-type'] },
    transaction: true,
  },
  PostReport: {
    method: 'POST',
    path: `/comments/${commentId}/reports`,
    request: { body: { visitorId: VISITOR, reason: 'spam' } },
    transaction: true,
  },
  GetCounts: {
    method: 'GET',
    path: '/counts',
    request: { query: { articles: ARTICLE } },
    transaction: false,
  },
  EditComment: {
    method: 'PATCH',
    path: `/comments/${commentId}`,
    request: { body: { body: 'Hello again.' }, headers: bearer },
    transaction: true,
  },
  DeleteComment: {
    method: 'DELETE',
    path: `/comments/${commentId}`,
    request: { headers: bearer, omitHeaders: ['content-type'] },
    transaction: true,
  },
  AdminListComments: {
    method: 'GET',
    path: '/admin/comments',
    request: { query: { status: 'published' }, operator: true },
    transaction: false,
  },
  AdminModerateComment: {
    method: 'PATCH',
    path: `/admin/comments/${commentId}`,
    request: { body: { status: 'spam' }, operator: true },
    transaction: true,
  },
  AdminDeleteComment: {
    method: 'DELETE',
    path: `/admin/comments/${commentId}`,
    request: { operator: true, omitHeaders: ['content-type'] },
    transaction: true,
  },
  AdminErase: {
    method: 'POST',
    path: '/admin/erasures',
    request: { body: { email: 'ada@example.com' }, operator: true },
    transaction: false,
  },
  AdminErasureCount: {
    method: 'GET',
    path: '/admin/erasures',
    request: { query: { email: 'ada@example.com' }, operator: true },
    transaction: false,
  },
  AdminQueueCounts: {
    method: 'GET',
    path: '/admin/counts',
    request: { operator: true },
    transaction: false,
  },
  AdminTransparency: {
    method: 'GET',
    path: '/admin/transparency',
    request: { query: { from: '2026-11', to: '2026-12' }, operator: true },
    transaction: false,
  },
  AdminGetArticle: {
    method: 'GET',
    path: `/admin/articles/${ARTICLE}`,
    request: { operator: true },
    transaction: false,
  },
  AdminChangeArticle: {
    method: 'PATCH',
    path: `/admin/articles/${ARTICLE}`,
    request: { body: { closed: true }, operator: true },
    transaction: true,
  },
  AdminGetCommenter: {
    method: 'GET',
    path: '/admin/commenters/c0mmenter-1',
    request: { operator: true },
    transaction: false,
  },
  AdminChangeCommenter: {
    method: 'PUT',
    path: '/admin/commenters/c0mmenter-1',
    request: { body: { state: 'banned', note: 'Daily abuse.' }, operator: true },
    transaction: false,
  },
  AdminFindCommenter: {
    method: 'GET',
    path: '/admin/commenters',
    request: { query: { email: 'ada@example.com' }, operator: true },
    transaction: false,
  },
  AdminPinComment: {
    method: 'PUT',
    path: `/admin/comments/${commentId}/pin`,
    request: { operator: true, omitHeaders: ['content-type'] },
    transaction: true,
  },
  AdminUnpinComment: {
    method: 'DELETE',
    path: `/admin/comments/${commentId}/pin`,
    request: { operator: true, omitHeaders: ['content-type'] },
    transaction: false,
  },
  AdminFeatureComment: {
    method: 'PUT',
    path: `/admin/comments/${commentId}/feature`,
    request: { operator: true, omitHeaders: ['content-type'] },
    transaction: true,
  },
  // The comment is not featured: nothing to write.
  AdminUnfeatureComment: {
    method: 'DELETE',
    path: `/admin/comments/${commentId}/feature`,
    request: { operator: true, omitHeaders: ['content-type'] },
    transaction: false,
  },
  AdminReply: {
    method: 'POST',
    path: `/admin/articles/${ARTICLE}/comments`,
    request: { body: { name: 'The editors', body: 'Thanks.' }, operator: true },
    transaction: true,
  },
  AdminGetHouseRules: {
    method: 'GET',
    path: '/admin/house-rules',
    request: { operator: true },
    transaction: false,
  },
  AdminPutHouseRules: {
    method: 'PUT',
    path: '/admin/house-rules',
    request: {
      operator: true,
      body: {
        hold: ['fool'],
        block: [],
        emailDomains: { disposable: 'allow', hold: [], block: [] },
        version: 0,
      },
    },
    transaction: false,
  },
  // The page reads the subscriber's state (one GetItem) and changes nothing.
  ConfirmSubscriptionPage: {
    method: 'GET',
    path: '/subscriptions/confirm',
    request: {
      query: { token: confirmToken(runtime.hasher, subscriber, NOW) },
      omitHeaders: ['content-type'],
    },
    transaction: false,
  },
  ConfirmSubscription: {
    method: 'POST',
    path: '/subscriptions/confirm',
    request: { query: { token: confirmToken(runtime.hasher, subscriber, NOW) } },
    transaction: false,
  },
  Unsubscribe: {
    method: 'POST',
    path: '/subscriptions/unsubscribe',
    request: {
      query: { token: unsubscribeToken(runtime.hasher, subscriber) },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    },
    transaction: false,
  },
  ModerationLinkPage: {
    method: 'GET',
    path: '/moderation/actions',
    request: { query: { token: moderationToken(runtime.hasher, heldRecord, 'spam', NOW) } },
    transaction: false,
  },
  ModerationLink: {
    method: 'POST',
    path: '/moderation/actions',
    request: { query: { token: moderationToken(runtime.hasher, heldRecord, 'spam', NOW) } },
    transaction: true,
  },
  AdminImport: {
    method: 'POST',
    path: '/admin/imports',
    request: {
      body: {
        comments: [
          {
            id: fixedId(NOW - 60_000),
            articleId: ARTICLE,
            parentId: null,
            name: 'Ada',
            email: 'ada@example.com',
            website: null,
            body: 'Imported.',
            status: 'published',
            createdAt: new Date(NOW - 60_000).toISOString(),
            editedAt: null,
          },
        ],
      },
      operator: true,
    },
    transaction: true,
  },
};

const TABLE_ROUTES = ROUTES.filter((route) => route.access !== 'none').map((route) => route.id);
const TRANSACTION_ROUTES = TABLE_ROUTES.filter((id) => REQUESTS[id]?.transaction);

/** A table holding the one comment, and the visitor's vote for `happy`. */
function healthyTable(): void {
  ddb.reset();
  ddb.on(GetCommand).resolves({ Item: commentItem });
  ddb
    .on(GetCommand, { Key: keys.comment(ARTICLE, heldRecord.createdAt, heldRecord.commentId) })
    .resolves({ Item: toItem(heldRecord) });
  // No moderator's link has been used.
  ddb.on(GetCommand, { Key: { SK: 'USED' } }).resolves({});
  // No house rules edited yet: the settings' starting lists.
  ddb.on(GetCommand, { Key: keys.houseRules() }).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [commentItem] });
  ddb.on(BatchGetCommand).resolves({
    Responses: {
      [TABLE]: [
        { entity: ENTITY.vote, reaction: 'happy' },
        // The comment's signals item, as a like reads it: published.
        { entity: ENTITY.commentSignals, published: true },
      ],
    },
  });
  // An edit reads its comment with its article's settings, consistently, in one batch.
  ddb
    .on(BatchGetCommand, {
      RequestItems: {
        [TABLE]: { Keys: [keys.commentById(ARTICLE, commentId), keys.statsHead(ARTICLE)] },
      },
    })
    .resolves({ Responses: { [TABLE]: [commentItem] } });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
}

const throttling = () =>
  new ThrottlingException({
    message: `Throughput exceeds the current capacity of your table ${TABLE}`,
    $metadata,
  });
const provisioned = () =>
  new ProvisionedThroughputExceededException({
    message: `The level of configured provisioned throughput for the table ${TABLE} was exceeded`,
    $metadata,
  });
/** As @smithy/node-http-handler throws it (see client-timeouts.test.ts for the real one). */
const timeout = () =>
  Object.assign(
    new Error(
      '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 3000 ms requestTimeout.',
    ),
    { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: 3 } },
  );

/** A cancellation with `code` on the transaction's last item and None on every other. */
const cancelledWith =
  (code: string) =>
  (input: { TransactItems?: unknown[] }): never => {
    const count = input.TransactItems?.length ?? 1;
    throw transactionCanceled(
      ...Array.from({ length: count }, (_, i) => (i === count - 1 ? code : 'None')),
    );
  };

/** What must never reach a client: names of the table, the SDK and its errors, stack frames. */
const INTERNALS = [
  TABLE,
  'Exception',
  'TimeoutError',
  'requestTimeout',
  'ECONN',
  'ENOTFOUND',
  '127.0.0.1',
  'getaddrinfo',
  'smithy',
  'SDKREQUESTID',
  'Throughput',
  'cancellation',
  'happened',
  ' at ',
  '.ts:',
];

let metricLines: string[];
beforeEach(() => {
  metricLines = [];
  setMetricsSink((line) => metricLines.push(line));
});

async function call(id: string, on = api) {
  const spec = REQUESTS[id];
  if (!spec) throw new Error(`no request for ${id}`);
  return on(spec.method, spec.path, spec.request);
}

function expectBusy(response: Awaited<ReturnType<typeof call>>): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('1');
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response.json).toMatchObject({
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The service is busy. Please try again shortly.',
  });
  for (const internal of INTERNALS) expect(response.text).not.toContain(internal);
  expect(metricLines.map((line) => JSON.parse(line))).toEqual([
    expect.objectContaining({ DynamoDbThrottles: 1 }),
  ]);
}

describe('fault answers', () => {
  it('has a request for every route that touches the table', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual([...TABLE_ROUTES].sort());
  });

  it.each(TABLE_ROUTES)(
    '%s succeeds against the healthy table the faults start from',
    async (id) => {
      healthyTable();
      const response = await call(id);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      expect(metricLines.join('\n')).not.toContain('DynamoDbThrottles');
    },
  );

  describe.each([
    ['ThrottlingException', throttling],
    ['ProvisionedThroughputExceededException', provisioned],
    ['TimeoutError', timeout],
    [
      'ECONNREFUSED',
      () =>
        socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000', { syscall: 'connect' }),
    ],
    [
      'ENOTFOUND',
      () =>
        socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.invalid', { syscall: 'getaddrinfo' }),
    ],
  ])('when every DynamoDB call fails with %s', (_, failure) => {
    beforeEach(() => {
      ddb.reset();
      ddb.onAnyCommand().callsFake(() => {
        throw failure();
      });
    });

    it.each(TABLE_ROUTES)('%s answers 503 with Retry-After and nothing internal', async (id) => {
      expectBusy(await call(id));
    });
  });

  describe.each([
    ['ThrottlingError', 'throttling'],
    ['TransactionConflict', 'a conflict that persists'],
  ])('when DynamoDB cancels the transaction with %s (%s)', (code) => {
    beforeEach(() => {
      healthyTable();
      ddb.on(TransactWriteCommand).callsFake(cancelledWith(code));
    });

    it.each(TRANSACTION_ROUTES)(
      '%s answers 503 with Retry-After and nothing internal',
      async (id) => {
        expectBusy(await call(id));
      },
    );
  });

  // On instances that have not read the rules yet (one that has keeps them for a minute more).
  describe('when only the house rules cannot be read', () => {
    beforeEach(() => {
      healthyTable();
      ddb.on(GetCommand, { Key: keys.houseRules() }).rejects(throttling());
    });

    it.each([
      ['CreateComment', 201],
      ['EditComment', 200],
    ])(
      '%s holds the comment for a human (screen:unavailable), never publishing it unscreened',
      async (id, status) => {
        const response = await call(id, createApi(loadRuntime(ENV, { clock: fixedClock })));
        expect(response.status).toBe(status);
        // An edit's answer is the comment as its author sees it; its stored status is pending.
        if (id === 'CreateComment') expect(response.json).toMatchObject({ status: 'pending' });
        const written = ddb
          .commandCalls(TransactWriteCommand)
          .flatMap((call) => call.args[0].input.TransactItems ?? [])
          .map((item) => item.Put?.Item ?? item.Update?.ExpressionAttributeValues ?? {});
        expect(JSON.stringify(written)).toContain('screen:unavailable');
        expect(JSON.stringify(written)).toContain('"pending"');
      },
    );
  });

  describe('when the transaction’s first condition fails', () => {
    beforeEach(() => {
      healthyTable();
      ddb.on(TransactWriteCommand).callsFake((input: { TransactItems?: unknown[] }) => {
        const count = input.TransactItems?.length ?? 1;
        throw transactionCanceled('ConditionalCheckFailed', ...Array(count - 1).fill('None'));
      });
    });

    // The first item is a rate-limit window for public writes, the comment itself otherwise.
    it.each([
      ['CreateComment', 429],
      ['PutReaction', 429],
      ['DeleteReaction', 429],
      ['PutLike', 429],
      ['DeleteLike', 429],
      ['PostReport', 429],
      ['EditComment', 404],
      ['DeleteComment', 404],
      ['AdminModerateComment', 404],
      ['AdminDeleteComment', 404],
      // The comment is no longer published: only a published comment can be pinned.
      ['AdminPinComment', 409],
      // Likewise, only a published comment can be featured.
      ['AdminFeatureComment', 409],
    ])('%s answers its documented %d, counted as no throttle', async (id, status) => {
      const response = await call(id);
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      for (const internal of INTERNALS) expect(response.text).not.toContain(internal);
      expect(metricLines.join('\n')).not.toContain('DynamoDbThrottles');
    });

    it('AdminImport answers 200, reporting the comment as already there', async () => {
      const response = await call('AdminImport');
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ imported: [], existing: [fixedId(NOW - 60_000)] });
      expect(metricLines.join('\n')).not.toContain('DynamoDbThrottles');
    });

    it('ModerationLink answers 409 as the link used meanwhile, counted as no throttle', async () => {
      const response = await call('ModerationLink');
      expect(response.status).toBe(409);
      expect(response.text).toContain('already used');
      for (const internal of INTERNALS) expect(response.text).not.toContain(internal);
      expect(metricLines.join('\n')).not.toContain('DynamoDbThrottles');
    });

    // Closing an article sets a flag unconditionally, and a staff reply's Put is conditional only
    // on a fresh id: neither has a condition a request can fail.
    it('covers every route that writes a transaction', () => {
      expect(TRANSACTION_ROUTES.sort()).toEqual(
        [
          'AdminChangeArticle',
          'AdminPinComment',
          'AdminFeatureComment',
          'AdminReply',
          'AdminDeleteComment',
          'AdminImport',
          'AdminModerateComment',
          'CreateComment',
          'DeleteComment',
          'DeleteReaction',
          'DeleteLike',
          'PostReport',
          'EditComment',
          'ModerationLink',
          'PutReaction',
          'PutLike',
        ].sort(),
      );
    });
  });
});
