/**
 * Every DynamoDB request the real handlers make, route by route (and the tally's), is allowed
 * by that function's IAM statements in the synthesized stack: the attribute allow-lists, the
 * partitions, ReturnValues and Select fit the code. A request the policy would refuse in
 * production fails here. Requests are captured by a middleware on the document client against
 * DynamoDB Local, and judged by test/stack/iam-evaluator.ts.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { ulidGenerator } from '../../lambda/domain/ids';
import {
  confirmToken,
  moderationToken,
  type QueuedJob,
  unsubscribeToken,
} from '../../lambda/domain/notifications';
import { createHandler as tallyHandler } from '../../lambda/handlers/tally-reactions';
import { createDispatcher } from '../../lambda/mail/dispatcher';
import { ROUTES } from '../../lambda/routes';
import { keys } from '../../lambda/store/keys';
import { runtimeOnClient } from '../bench/dynamodb-meter';
import { allows, requestsOf } from '../stack/iam-evaluator';
import {
  buildStack,
  functionLogicalId,
  policyStatementsOf,
  TALLY_FUNCTION_ID,
} from '../stack/synth';
import { createApiOnTable } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { AUDIENCE, hs256Token, SHARED_ISSUER, SHARED_SECRET } from '../support/reader-issuer';
import { TEST_MAIL } from './flows';

jest.setTimeout(60_000);

interface Captured {
  functionId: string;
  command: string;
  input: Record<string, unknown>;
}

let table: TestTable;
const captured: Captured[] = [];
let current = '';

function capture(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      captured.push({
        functionId: current,
        command: context.commandName ?? 'unknown',
        input: structuredClone(args.input as Record<string, unknown>),
      });
      return next(args);
    },
    { step: 'initialize', name: 'talkbackIamCapture' },
  );
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('iam-requests');
  capture(table.documentClient);
  // First-time policy: a new author's comment is held, an approval adds the author item, and
  // a known author's comment carries the author condition.
  // Readers with a shared secret: a signed-in reader's comment is written too.
  const runtime = runtimeOnClient(
    {
      ...table.env,
      // A house rule holds the link's comment below, so its approval counts for the screen's
      // tuning; readers with a shared secret, so a signed-in reader's comment is written too.
      TALKBACK_SETTINGS: testSettings({
        moderation: { policy: 'first-time' },
        rules: { hold: ['held for a rule'] },
        readers: {
          issuers: [{ issuer: SHARED_ISSUER, audience: AUDIENCE, secret: SHARED_SECRET }],
          badges: ['subscriber'],
        },
      }),
    },
    table.documentClient,
  );
  const { api, subscriptions } = createApiOnTable(runtime, table);
  const as = async (functionId: string, run: () => Promise<{ status: number; json: unknown }>) => {
    current = functionId;
    const response = await run();
    if (response.status >= 400) throw new Error(`${functionId}: ${JSON.stringify(response.json)}`);
    return response.json as Record<string, unknown>;
  };
  const path = '/articles/iam-a/comments';
  const author = { name: 'Ada', email: 'ada@example.com', body: 'First.' };
  const held = await as('CreateComment', () => api('POST', path, { body: author }));
  const heldId = String((held.comment as { id: string }).id);
  await as('AdminListComments', () =>
    api('GET', '/admin/comments', { operator: true, query: { status: 'pending', limit: '1' } }),
  );
  await as('AdminModerateComment', () =>
    api('PATCH', `/admin/comments/${heldId}`, { operator: true, body: { status: 'published' } }),
  );
  // The console: one article's queue (its partition, and the authors' items), the counts of the
  // whole queue and of one article's, closing and reopening, a staff reply to the published
  // comment, and a pin that the lists below show first and the erasure at the end updates.
  await as('AdminListComments', () =>
    api('GET', '/admin/comments', {
      operator: true,
      query: { status: 'published', articleId: 'iam-a', limit: '5' },
    }),
  );
  // The export's list of articles (index articles).
  await as('AdminListComments', () =>
    api('GET', '/admin/comments', { operator: true, query: { view: 'articles', limit: '1' } }),
  );
  await as('AdminQueueCounts', () => api('GET', '/admin/counts', { operator: true }));
  await as('AdminTransparency', () =>
    api('GET', '/admin/transparency', {
      operator: true,
      query: { from: '2026-01', to: '2026-12' },
    }),
  );
  await as('AdminQueueCounts', () =>
    api('GET', '/admin/counts', { operator: true, query: { articleId: 'iam-a' } }),
  );
  await as('AdminChangeArticle', () =>
    api('PATCH', '/admin/articles/iam-a', { operator: true, body: { closed: true } }),
  );
  await as('AdminReply', () =>
    api('POST', '/admin/articles/iam-a/comments', {
      operator: true,
      body: { name: 'The editors', body: 'Thanks.', parentId: heldId },
    }),
  );
  await as('AdminChangeArticle', () =>
    api('PATCH', '/admin/articles/iam-a', { operator: true, body: { closed: false } }),
  );
  // The article's own settings, set and given back to the deployment.
  await as('AdminChangeArticle', () =>
    api('PATCH', '/admin/articles/iam-c', {
      operator: true,
      body: { moderation: 'all', commenting: 'signed-in', closeAt: '2099-01-01T00:00:00Z' },
    }),
  );
  await as('AdminChangeArticle', () =>
    api('PATCH', '/admin/articles/iam-c', {
      operator: true,
      body: { moderation: null, commenting: null, closeAt: null, open: true },
    }),
  );
  // A signed-in reader's comment (commenterId, verified, badges on the Put).
  await as('CreateComment', async () =>
    api('POST', path, {
      body: {
        reader: await hs256Token(runtime.clock(), { claims: { badges: ['subscriber'] } }),
        body: 'As a subscriber.',
      },
    }),
  );
  await as('AdminGetArticle', () => api('GET', '/admin/articles/iam-a', { operator: true }));
  // The house rules read and replaced (every attribute of the item, emailDisposable too).
  const rules = await as('AdminGetHouseRules', () =>
    api('GET', '/admin/house-rules', { operator: true }),
  );
  await as('AdminPutHouseRules', () =>
    api('PUT', '/admin/house-rules', {
      operator: true,
      body: { ...rules, hold: ['held for a rule', 'another'], updatedAt: undefined },
    }),
  );
  await as('AdminPinComment', () =>
    api('PUT', `/admin/comments/${heldId}/pin`, { operator: true }),
  );
  await as('AdminUnpinComment', () =>
    api('DELETE', `/admin/comments/${heldId}/pin`, { operator: true }),
  );
  await as('AdminPinComment', () =>
    api('PUT', `/admin/comments/${heldId}/pin`, { operator: true }),
  );
  const known = await as('CreateComment', () => api('POST', path, { body: author }));
  const knownId = String((known.comment as { id: string }).id);
  const token = String(known.editToken);
  await as('CreateComment', () =>
    api('POST', path, { body: { ...author, body: 'A reply.', parentId: knownId } }),
  );
  await as('ListComments', () => api('GET', path, { query: { limit: '1' } }));
  const page = await as('ListComments', () => api('GET', path, { query: { limit: '1' } }));
  await as('ListComments', () =>
    api('GET', path, { query: { limit: '1', cursor: String(page.nextCursor) } }),
  );
  const reactions = '/articles/iam-a/reactions';
  const visitorId = 'visitor-0123456789abcdef';
  await as('PutReaction', () => api('PUT', reactions, { body: { visitorId, reaction: 'happy' } }));
  await as('PutReaction', () => api('PUT', reactions, { body: { visitorId, reaction: 'silly' } }));
  await as('PutReaction', () => api('PUT', reactions, { body: { visitorId, reaction: 'silly' } }));
  await as('GetReactions', () => api('GET', reactions, { query: { visitorId } }));
  await as('GetReactions', () => api('GET', reactions));
  await as('DeleteReaction', () => api('DELETE', reactions, { query: { visitorId } }));
  current = TALLY_FUNCTION_ID;
  await runtime.areas.tally.tally('iam-a');
  // Readers' signals: the tally keeps a comment's signals item from its stream record; likes,
  // their tally, the Top order, a featured comment and its copies, and reports to the threshold
  // that the queue shows and a decision clears.
  const stream = (itemKeys: { PK: string; SK: string }[]) => {
    current = TALLY_FUNCTION_ID;
    return tallyHandler({ areas: runtime.areas })({
      Records: itemKeys.map(({ PK, SK }) => ({
        eventName: 'MODIFY',
        eventSource: 'aws:dynamodb',
        dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } },
      })),
    });
  };
  const liked = await as('CreateComment', () =>
    api('POST', path, { body: { ...author, body: 'Worth a like.' } }),
  );
  const likedId = String((liked.comment as { id: string }).id);
  const likedKey = keys.commentById('iam-a', likedId);
  await stream([likedKey]);
  const likes = `/comments/${likedId}/likes`;
  await as('PutLike', () => api('PUT', likes, { body: { visitorId } }));
  await as('PutLike', () => api('PUT', likes, { body: { visitorId } }));
  await stream([keys.like('v', likedId)]);
  await as('DeleteLike', () => api('DELETE', likes, { query: { visitorId } }));
  await as('GetThread', () => api('GET', '/articles/iam-a', { query: { order: 'top' } }));
  const top = await as('ListComments', () =>
    api('GET', path, { query: { order: 'top', limit: '1' } }),
  );
  await as('ListComments', () =>
    api('GET', path, { query: { order: 'top', limit: '1', cursor: String(top.nextCursor) } }),
  );
  await as('AdminFeatureComment', () =>
    api('PUT', `/admin/comments/${likedId}/feature`, { operator: true }),
  );
  await stream([likedKey]);
  await as('AdminUnfeatureComment', () =>
    api('DELETE', `/admin/comments/${likedId}/feature`, { operator: true }),
  );
  await as('AdminFeatureComment', () =>
    api('PUT', `/admin/comments/${likedId}/feature`, { operator: true }),
  );
  for (const [n, reason] of ['spam', 'abuse', 'illegal'].entries()) {
    await as('PostReport', () =>
      api('POST', `/comments/${likedId}/reports`, {
        body: {
          visitorId: `reporter-0123456789-${n}`,
          reason,
          explanation: 'Publishes a private address.',
          goodFaith: true,
          email: 'notifier@example.com',
        },
      }),
    );
  }
  // Held by the reports: the stream drops its featured copies and its mark.
  await stream([likedKey]);
  await as('AdminListComments', () =>
    api('GET', '/admin/comments', { operator: true, query: { status: 'pending' } }),
  );
  await as('AdminModerateComment', () =>
    api('PATCH', `/admin/comments/${likedId}`, { operator: true, body: { status: 'published' } }),
  );
  // Reported again, below the threshold: listed as reported, kept (its report decided), reported
  // once more and deleted (its report decided `removed`).
  const reportAgain = (n: number) =>
    as('PostReport', () =>
      api('POST', `/comments/${likedId}/reports`, {
        body: { visitorId: `reporter-0123456789-${n}`, reason: 'off-topic' },
      }),
    );
  // Published again: the stream makes its signals item public again, as on AWS.
  await stream([likedKey]);
  await reportAgain(4);
  await as('AdminListComments', () =>
    api('GET', '/admin/comments', {
      operator: true,
      query: { status: 'published', reported: 'true' },
    }),
  );
  await as('AdminModerateComment', () =>
    api('PATCH', `/admin/comments/${likedId}`, { operator: true, body: { status: 'published' } }),
  );
  await reportAgain(5);
  await as('AdminDeleteComment', () =>
    api('DELETE', `/admin/comments/${likedId}`, { operator: true }),
  );
  await as('GetCounts', () => api('GET', '/counts', { query: { articles: 'iam-a,iam-b' } }));
  await as('GetThread', () => api('GET', '/articles/iam-a', { query: { limit: '1' } }));
  await as('GetThread', () => api('GET', '/articles/iam-a', { query: { order: 'newest' } }));
  const headers = { authorization: `Bearer ${token}` };
  await as('EditComment', () =>
    api('PATCH', `/comments/${knownId}`, { headers, body: { body: 'Edited.' } }),
  );
  await as('DeleteComment', () => api('DELETE', `/comments/${knownId}`, { headers }));
  await as('AdminModerateComment', () =>
    api('PATCH', `/admin/comments/${heldId}`, { operator: true, body: { status: 'spam' } }),
  );
  await as('AdminDeleteComment', () =>
    api('DELETE', `/admin/comments/${heldId}`, { operator: true }),
  );
  const importedAt = runtime.clock() - 60_000;
  await as('AdminImport', () =>
    api('POST', '/admin/imports', {
      operator: true,
      body: {
        comments: [
          {
            id: ulidGenerator(importedAt),
            articleId: 'iam-b',
            parentId: null,
            name: 'Imported',
            email: 'imported@example.com',
            website: null,
            body: 'From the old site.',
            status: 'published',
            createdAt: new Date(importedAt).toISOString(),
            editedAt: null,
          },
        ],
        // An article's reaction counts: the first shard, and the head's total and counts.
        reactions: [{ articleId: 'iam-reactions', counts: { happy: 2 } }],
      },
    }),
  );
  // The reply-notification links, as a confirmation mail carries them.
  const emailHash = runtime.hasher.hash('email', author.email);
  const subscribed = await as('CreateComment', () =>
    api('POST', path, { body: { ...author, body: 'Tell me.', notify: true } }),
  );
  // Pinned, so that the erasure below also updates the stats items' copies of it.
  await as('AdminPinComment', () =>
    api('PUT', `/admin/comments/${String((subscribed.comment as { id: string }).id)}/pin`, {
      operator: true,
    }),
  );
  // The mail dispatcher (its own function, not a route), on the stream record of the comment
  // that asked: it reads the comment and records the confirmation it sends. Without that pending
  // subscriber the link has nothing to confirm and answers 400.
  current = 'MailDispatch';
  const subscribedId = String((subscribed.comment as { id: string }).id);
  const queued: QueuedJob[][] = [];
  const dispatch = createDispatcher({
    store: subscriptions,
    hasher: runtime.hasher,
    clock: runtime.clock,
    mail: TEST_MAIL,
    undoSeconds: runtime.settings.moderation.undoSeconds,
    queue: { enqueue: async (jobs) => void queued.push(jobs) },
  });
  const key = keys.commentById('iam-a', subscribedId);
  await dispatch({
    Records: [
      { eventName: 'INSERT', dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } } },
    ],
  } as DynamoDBStreamEvent);
  expect(queued.flat().map(({ job }) => job.kind)).toEqual(['mail']);
  const confirming = { token: confirmToken(runtime.hasher, emailHash, runtime.clock()) };
  // The link's page reads the address's state, before and after the button.
  await as('ConfirmSubscriptionPage', () =>
    api('GET', '/subscriptions/confirm', { query: confirming }),
  );
  await as('ConfirmSubscription', () =>
    api('POST', '/subscriptions/confirm', { query: confirming }),
  );
  await as('ConfirmSubscriptionPage', () =>
    api('GET', '/subscriptions/confirm', { query: confirming }),
  );
  await as('Unsubscribe', () =>
    api('POST', '/subscriptions/unsubscribe', {
      query: { token: unsubscribeToken(runtime.hasher, emailHash) },
    }),
  );
  await as('AdminErasureCount', () =>
    api('GET', '/admin/erasures', { operator: true, query: { email: author.email } }),
  );
  // A moderator's link from a held-comment notice: its page, then its button.
  const newcomer = await as('CreateComment', () =>
    api('POST', path, { body: { ...author, email: 'eve@example.com', body: 'Held for a rule.' } }),
  );
  const link = {
    token: moderationToken(
      runtime.hasher,
      { articleId: 'iam-a', commentId: String((newcomer.comment as { id: string }).id) },
      'published',
      runtime.clock(),
    ),
  };
  await as('ModerationLinkPage', () => api('GET', '/moderation/actions', { query: link }));
  await as('ModerationLink', () => api('POST', '/moderation/actions', { query: link }));
  // A commenter's record: found by the email, read, changed (so the erasure has a note to remove).
  const found = await as('AdminFindCommenter', () =>
    api('GET', '/admin/commenters', { operator: true, query: { email: author.email } }),
  );
  const commenterPath = `/admin/commenters/${(found.commenterIds as string[])[0]}`;
  await as('AdminGetCommenter', () => api('GET', commenterPath, { operator: true }));
  await as('AdminChangeCommenter', () =>
    api('PUT', commenterPath, { operator: true, body: { state: 'trusted', note: 'Regular.' } }),
  );
  await as('AdminErase', () =>
    api('POST', '/admin/erasures', { operator: true, body: { email: author.email } }),
  );
});
afterAll(async () => table.drop());

const FUNCTIONS = [
  'PutLike',
  'DeleteLike',
  'PostReport',
  'AdminFeatureComment',
  'AdminUnfeatureComment',
  'CreateComment',
  'ListComments',
  'PutReaction',
  'GetReactions',
  'DeleteReaction',
  'GetCounts',
  'GetThread',
  'EditComment',
  'DeleteComment',
  TALLY_FUNCTION_ID,
  'AdminListComments',
  'AdminModerateComment',
  'AdminDeleteComment',
  'AdminErase',
  'ConfirmSubscriptionPage',
  'ConfirmSubscription',
  'Unsubscribe',
  'ModerationLinkPage',
  'ModerationLink',
  'AdminImport',
  'AdminQueueCounts',
  'AdminTransparency',
  'AdminErasureCount',
  'AdminGetArticle',
  'AdminGetHouseRules',
  'AdminPutHouseRules',
  'AdminChangeArticle',
  'AdminGetCommenter',
  'AdminChangeCommenter',
  'AdminFindCommenter',
  'AdminPinComment',
  'AdminUnpinComment',
  'AdminReply',
  'MailDispatch',
];

describe('the real requests fit the IAM policies', () => {
  // With mail, so that the mail functions are in the stack.
  const { stack, template } = buildStack({
    mailFrom: 'News Site <comments@news.example>',
    siteName: TEST_MAIL.siteName,
    articleUrlTemplate: TEST_MAIL.articleUrlTemplate,
    moderatorEmails: TEST_MAIL.moderatorEmails,
  });

  it('exercises every route that touches the table', () => {
    const withTable = ROUTES.filter((route) => route.access !== 'none').map((route) => route.id);
    expect(withTable.filter((id) => !FUNCTIONS.includes(id))).toEqual([]);
  });

  it.each(FUNCTIONS)('%s: IAM allows every request it made', (functionId) => {
    const mine = captured.filter((call) => call.functionId === functionId);
    expect(mine.length).toBeGreaterThan(0);
    const statements = policyStatementsOf(template, functionLogicalId(stack, functionId));
    const refused = mine.flatMap((call) =>
      requestsOf(call.command, call.input)
        .filter((request) => !allows(statements, request))
        .map((request) => ({ command: call.command, request })),
    );
    expect(refused).toEqual([]);
  });

  // Operators' grants have no ReturnValues condition: erasure reads back what it updated
  // (ALL_NEW) to find a pinned comment's copies.
  it('sets no ReturnValues, and no ReturnValuesOnConditionCheckFailure, outside operators', () => {
    const operators = new Set(
      ROUTES.filter((route) => route.auth === 'operator').map((route) => route.id),
    );
    const text = JSON.stringify(
      captured.filter((call) => !operators.has(call.functionId)).map((call) => call.input),
    );
    expect(text).not.toContain('ReturnValues');
  });
});
