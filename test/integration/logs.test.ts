/**
 * What the handlers log and count, against DynamoDB Local: every route of the route table is
 * driven with one known reader (email, visitorId, source IP, website, name) on its success and
 * error paths, operators' routes included, and nothing the reader sent or was given (the edit
 * token) may appear in any log or metrics line, while every log line says which request, route
 * and status it was, and how long it took.
 */
import { ulidGenerator } from '../../lambda/domain/ids';
import { confirmToken, moderationToken, unsubscribeToken } from '../../lambda/domain/notifications';
import { setMetricsSink } from '../../lambda/http/metrics';
import { ROUTES } from '../../lambda/routes';
import type { Runtime } from '../../lambda/runtime';
import type { NotificationRepository } from '../../lambda/store/notification-repository';
import {
  type Api,
  type ApiRequest,
  type ApiResponse,
  createApi,
  createApiOnTable,
} from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

jest.setTimeout(60_000);

const EMAIL = 'Grace.Hopper+Talkback@Example.ORG';
const VISITOR = 'visitor-gh-7f3a9c2e1b4d';
const SOURCE_IP = '198.51.100.203';
const WEBSITE = 'https://grace-hopper.example/about';
const NAME = 'Grace Brewster Hopper';
const BODY = 'Nanoseconds are eleven point eight inches long.';
const ARTICLE = 'cobol-at-sixty';

let table: TestTable;
let logLines: string[];
const metricLines: string[] = [];
let api: Api;
/**
 * A runtime allowing one comment and one reaction per client and window, for the 429 paths: the
 * reader's address has used those up on `api` already (the windows live in the same table).
 */
let strictApi: Api;
/** Every edit token the API gave the reader. */
const editTokens: string[] = [];

let requests = 0;
let runtime: Runtime;
let subscriptions: NotificationRepository;

/** Every request comes from the reader's address. */
const call = (method: string, path: string, request: ApiRequest = {}, on = api) => {
  requests += 1;
  return on(method, path, { sourceIp: SOURCE_IP, ...request });
};

async function post(articleId = ARTICLE, extra: Record<string, unknown> = {}, on = api) {
  const response = await call(
    'POST',
    `/articles/${articleId}/comments`,
    { body: { name: NAME, email: EMAIL, website: WEBSITE, body: BODY, ...extra } },
    on,
  );
  if (typeof response.json.editToken === 'string') editTokens.push(response.json.editToken);
  return response;
}

const commentIdOf = (response: ApiResponse) =>
  String((response.json.comment as { id: string } | undefined)?.id);

/** Every route, driven on its success and its error paths. */
async function driveEveryRoute(): Promise<void> {
  await call('GET', '/config');

  const first = await post();
  const reply = await post(ARTICLE, { parentId: commentIdOf(first) });
  await post(ARTICLE, { email: `not an email ${EMAIL}`, website: `javascript:${WEBSITE}` }); // 400
  await post(ARTICLE, { parentId: '01M8CYWZ34KHFZS9XHGHJE5FAC' }); // 404: no such parent
  await call('POST', `/articles/${ARTICLE}/comments`, { body: `{"email":"${EMAIL}"` }); // bad JSON
  await post('strict-article', {}, strictApi); // 429

  await call('GET', `/articles/${ARTICLE}/comments`);
  await call('GET', `/articles/${ARTICLE}/comments`, { query: { cursor: EMAIL } }); // 400

  await call('PUT', `/articles/${ARTICLE}/reactions`, {
    body: { visitorId: VISITOR, reaction: 'happy' },
  });
  await call('PUT', `/articles/${ARTICLE}/reactions`, {
    body: { visitorId: VISITOR, reaction: 'happy' }, // the same vote again: nothing written
  });
  await call('PUT', `/articles/${ARTICLE}/reactions`, {
    body: { visitorId: VISITOR, reaction: EMAIL }, // 400
  });
  await call(
    'PUT',
    '/articles/strict-article/reactions',
    { body: { visitorId: VISITOR, reaction: 'silly' } },
    strictApi,
  ); // 429
  await call('GET', `/articles/${ARTICLE}/reactions`, { query: { visitorId: VISITOR } });
  await call('GET', `/articles/${ARTICLE}/reactions`, { query: { visitorId: `${VISITOR}!` } }); // 400
  await call('DELETE', `/articles/${ARTICLE}/reactions`, { query: { visitorId: VISITOR } });
  await call('DELETE', `/articles/${ARTICLE}/reactions`, { query: { visitorId: EMAIL } }); // 400

  await call('GET', '/counts', { query: { articles: ARTICLE } });
  await call('GET', '/counts', { query: { articles: EMAIL } }); // 400

  const [firstToken, replyToken] = editTokens;
  await call('PATCH', `/comments/${commentIdOf(first)}`, {
    body: { body: `${BODY} Edited.` },
    headers: { authorization: `Bearer ${firstToken}` },
  });
  await call('PATCH', `/comments/${commentIdOf(first)}`, {
    body: { body: `${BODY} Edited.` },
    headers: { authorization: `Bearer ${replyToken}` }, // 401: another comment's token
  });
  await call('DELETE', `/comments/${commentIdOf(reply)}`, {
    headers: { authorization: `Bearer ${firstToken}x` }, // 401
    omitHeaders: ['content-type'],
  });
  await call('DELETE', `/comments/${commentIdOf(reply)}`, {
    headers: { authorization: `Bearer ${replyToken}` },
    omitHeaders: ['content-type'],
  });

  await call('GET', '/admin/comments', { query: { status: 'published' }, operator: true });
  await call('GET', '/admin/comments', { query: { status: 'published' } }); // no operator
  await call('GET', '/admin/comments', { query: { status: EMAIL }, operator: true }); // 400
  await call('PATCH', `/admin/comments/${commentIdOf(first)}`, {
    body: { status: 'spam' },
    operator: true,
  });
  await call('PATCH', '/admin/comments/01M8CYWZ34KHFZS9XHGHJE5FAC', {
    body: { status: 'published' },
    operator: true,
  }); // 404
  await call('DELETE', `/admin/comments/${commentIdOf(first)}`, {
    operator: true,
    omitHeaders: ['content-type'],
  });
  await call('DELETE', `/admin/comments/${commentIdOf(first)}`, {
    operator: true,
    omitHeaders: ['content-type'],
  }); // 404: gone
  await call('POST', '/admin/erasures', { body: { email: EMAIL }, operator: true });
  await call('POST', '/admin/erasures', { body: { email: EMAIL } }); // no operator
  await call('POST', '/admin/erasures', { body: { email: `${EMAIL} ${WEBSITE}` }, operator: true }); // 400

  // The console's routes, each to a success and an error.
  await call('GET', '/admin/counts', { query: { articleId: ARTICLE }, operator: true });
  await call('GET', '/admin/counts', { query: { articleId: EMAIL }, operator: true }); // 400
  await call('GET', '/admin/transparency', {
    query: { from: '2026-01', to: '2026-12' },
    operator: true,
  });
  await call('GET', '/admin/transparency', {
    query: { from: EMAIL, to: '2026-12' },
    operator: true,
  }); // 400
  await call('GET', '/admin/erasures', { query: { email: EMAIL }, operator: true });
  await call('GET', '/admin/erasures', { query: { email: `${EMAIL} ${WEBSITE}` }, operator: true }); // 400
  await call('GET', `/admin/articles/${ARTICLE}`, { operator: true });
  await call('GET', `/admin/articles/${EMAIL}`, { operator: true }); // 400
  await call('PATCH', '/admin/articles/closed-article', { body: { closed: true }, operator: true });
  await call('PATCH', '/admin/articles/closed-article', {
    body: { closed: EMAIL },
    operator: true,
  }); // 400
  // A commenter's record: the ids an address stands for (one that still has a comment: the
  // reader's own comments may be erased by now), one of them read and changed.
  const regular = 'regular@example.org';
  await post(ARTICLE, { email: regular });
  const found = await call('GET', '/admin/commenters', {
    query: { email: regular },
    operator: true,
  });
  const [commenterId] = (found.json as { commenterIds: string[] }).commenterIds;
  await call('GET', '/admin/commenters', { query: { email: WEBSITE }, operator: true }); // 400
  await call('GET', `/admin/commenters/${commenterId}`, { operator: true });
  await call('GET', '/admin/commenters/no-such-commenter', { operator: true }); // 404
  await call('PUT', `/admin/commenters/${commenterId}`, {
    body: { state: 'trusted', note: 'A regular.' },
    operator: true,
  });
  await call('PUT', `/admin/commenters/${commenterId}`, { body: { state: EMAIL }, operator: true }); // 400
  // The house rules: read, replaced, and a replacement refused.
  await call('GET', '/admin/house-rules', { operator: true });
  await call('GET', '/admin/house-rules'); // 401: no operator
  const rules = {
    hold: ['fool'],
    block: [],
    emailDomains: { disposable: 'allow', hold: [], block: [] },
  };
  await call('PUT', '/admin/house-rules', { body: { ...rules, version: 0 }, operator: true });
  await call('PUT', '/admin/house-rules', {
    body: { ...rules, colour: EMAIL, version: 1 },
    operator: true,
  }); // 400
  const staff = await call('POST', `/admin/articles/${ARTICLE}/comments`, {
    body: { name: NAME, body: BODY },
    operator: true,
  });
  await call('POST', `/admin/articles/${ARTICLE}/comments`, {
    body: { name: NAME, body: BODY, parentId: EMAIL },
    operator: true,
  }); // 400
  await call('PUT', `/admin/comments/${commentIdOf(staff)}/pin`, { operator: true });
  await call('PUT', '/admin/comments/01M8CYWZ34KHFZS9XHGHJE5FAC/pin', { operator: true }); // 404
  await call('DELETE', `/admin/comments/${commentIdOf(staff)}/pin`, {
    operator: true,
    omitHeaders: ['content-type'],
  });
  await call('DELETE', `/admin/comments/${EMAIL}/pin`, {
    operator: true,
    omitHeaders: ['content-type'],
  }); // 400

  // Readers' signals on the staff comment, once the stream's tally has made its signals item.
  const staffId = commentIdOf(staff);
  const staffItem = await runtime.moderationStore.findById(staffId);
  await runtime.areas.signals.sync({
    articleId: ARTICLE,
    createdAt: String(staffItem?.createdAt),
    commentId: staffId,
  });
  await call('PUT', `/comments/${staffId}/likes`, { body: { visitorId: VISITOR } });
  await call('PUT', `/comments/${staffId}/likes`, { body: { visitorId: EMAIL } }); // 400
  await call('DELETE', `/comments/${staffId}/likes`, {
    query: { visitorId: VISITOR },
    omitHeaders: ['content-type'],
  });
  await call('DELETE', `/comments/${staffId}/likes`, { omitHeaders: ['content-type'] }); // 400
  await call('POST', `/comments/${staffId}/reports`, {
    body: {
      visitorId: VISITOR,
      reason: 'illegal',
      explanation: `${BODY} ${EMAIL}`,
      goodFaith: true,
      email: EMAIL,
    },
  });
  await call('POST', `/comments/${staffId}/reports`, {
    body: { visitorId: VISITOR, reason: EMAIL },
  }); // 400
  await call('PUT', `/admin/comments/${staffId}/feature`, { operator: true });
  await call('PUT', '/admin/comments/01M8CYWZ34KHFZS9XHGHJE5FAC/feature', { operator: true }); // 404
  await call('DELETE', `/admin/comments/${staffId}/feature`, {
    operator: true,
    omitHeaders: ['content-type'],
  });
  await call('DELETE', `/admin/comments/${EMAIL}/feature`, {
    operator: true,
    omitHeaders: ['content-type'],
  }); // 400

  await call('GET', `/articles/${ARTICLE}`);
  await call('GET', `/articles/${ARTICLE}`, { query: { limit: EMAIL } }); // 400

  // Reply notifications' links; the confirmation needs the pending subscriber that the mail
  // dispatcher (a function, not a route) records when it sends the mail.
  const hasher = runtime.hasher;
  const emailHash = hasher.hash('email', EMAIL);
  const sentAt = new Date().toISOString();
  await subscriptions.markConfirmationSent(
    { emailHash, email: EMAIL },
    commentIdOf(first),
    sentAt,
    sentAt,
  );
  const unsubscribe = { query: { token: unsubscribeToken(hasher, emailHash) } };
  const confirm = { query: { token: confirmToken(hasher, emailHash, Date.now()) } };
  await call('GET', '/subscriptions/confirm', confirm);
  await call('POST', '/subscriptions/confirm', confirm);
  await call('GET', '/subscriptions/confirm', { query: { token: EMAIL } }); // 400
  await call('POST', '/subscriptions/confirm', { query: { token: EMAIL } }); // 400
  await call('GET', '/subscriptions/unsubscribe', unsubscribe);
  await call('GET', '/subscriptions/unsubscribe', { query: { token: EMAIL } }); // 400
  await call('POST', '/subscriptions/unsubscribe', unsubscribe);
  await call('POST', '/subscriptions/unsubscribe', { query: { token: EMAIL } }); // 400

  // A moderator's link: its page, then its button, on a comment of its own.
  const linked = await post();
  const link = {
    query: {
      token: moderationToken(
        hasher,
        { articleId: ARTICLE, commentId: commentIdOf(linked) },
        'spam',
        Date.now(),
      ),
    },
  };
  await call('GET', '/moderation/actions', link);
  await call('GET', '/moderation/actions', { query: { token: EMAIL } }); // 400
  await call('POST', '/moderation/actions', link);
  await call('POST', '/moderation/actions', { query: { token: EMAIL } }); // 400

  const importedAt = Date.now() - 60_000;
  const imported = {
    id: ulidGenerator(importedAt),
    articleId: ARTICLE,
    parentId: null,
    name: NAME,
    email: EMAIL,
    website: WEBSITE,
    body: BODY,
    status: 'published',
    createdAt: new Date(importedAt).toISOString(),
    editedAt: null,
  };
  await call('POST', '/admin/imports', { operator: true, body: { comments: [imported] } });
  await call('POST', '/admin/imports', { operator: true, body: { comments: EMAIL } }); // 400

  await call('GET', `/nowhere/${EMAIL}`); // 404 from the fallback
}

interface LogEntry {
  requestId?: unknown;
  route?: unknown;
  status?: unknown;
  durationMs?: unknown;
}

let entries: LogEntry[];

beforeAll(async () => {
  logLines = captureLogs();
  setMetricsSink((line) => metricLines.push(line));
  table = await createTestTable('logs');
  runtime = table.runtime();
  ({ api, subscriptions } = createApiOnTable(runtime, table));
  strictApi = createApi(
    table.runtime({
      TALKBACK_SETTINGS: JSON.stringify({
        rateLimits: {
          commentsPerMinute: 1,
          commentsPerHour: 1,
          reactionsPerMinute: 1,
          reactionsPerHour: 1,
        },
      }),
    }),
  );
  await driveEveryRoute();
  entries = logLines.map((line) => JSON.parse(line) as LogEntry);
});
afterAll(async () => table.drop());

describe('request logs and metrics', () => {
  it('ran every route of the route table, each to a success and an error', () => {
    for (const route of ROUTES) {
      const statuses = entries
        .filter((entry) => entry.route === route.id)
        .map((entry) => Number(entry.status));
      expect({ route: route.id, success: statuses.some((s) => s < 300) }).toEqual({
        route: route.id,
        success: true,
      });
      if (route.id !== 'GetConfig') {
        expect({ route: route.id, error: statuses.some((s) => s >= 400) }).toEqual({
          route: route.id,
          error: true,
        });
      }
    }
    // The first comment, its reply, the commenter record's comment and the moderation link's.
    expect(editTokens).toHaveLength(4);
  });

  it('writes one log line per request, each with request id, route, status and duration', () => {
    expect(entries).toHaveLength(requests);
    for (const entry of entries) {
      expect(entry).toEqual(
        expect.objectContaining({
          requestId: expect.stringMatching(/\S/),
          route: expect.stringMatching(/^[A-Z]\w+$/),
          status: expect.any(Number),
          durationMs: expect.any(Number),
        }),
      );
    }
  });

  it('counted what happened, so the metrics lines below were really checked', () => {
    const counted = metricLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const name of [
      'CommentsPosted',
      'ReactionsWritten',
      'RateLimited',
      'ValidationFailures',
    ]) {
      expect({ name, counted: counted.some((line) => typeof line[name] === 'number') }).toEqual({
        name,
        counted: true,
      });
    }
  });

  it.each([
    ['the email', EMAIL],
    ['the email in lower case', EMAIL.toLowerCase()],
    ['the email’s local part', 'grace.hopper+talkback'],
    ['the visitorId', VISITOR],
    ['the source IP', SOURCE_IP],
    ['the website', 'grace-hopper.example'],
    ['the name', NAME],
    ['the comment body', 'eleven point eight'],
  ])('never writes %s', (_, value) => {
    const written = [...logLines, ...metricLines].join('\n').toLowerCase();
    expect(written).not.toContain(value.toLowerCase());
  });

  it('never writes an edit token the reader was given', () => {
    const written = [...logLines, ...metricLines].join('\n');
    for (const token of editTokens) expect(written).not.toContain(token);
  });
});
