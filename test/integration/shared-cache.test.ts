/**
 * A shared cache (the CDN) must never give one reader's private answer to another. Every route
 * of the route table is called by two different visitors (address, visitor id, user agent,
 * edit token, operator) against the real handlers on DynamoDB Local, and each answer is judged
 * by its own Cache-Control:
 *
 * - an answer that names a visitor or carries a token or an email says no-store or private;
 * - an answer a shared cache may keep is the same, byte for byte, for both visitors;
 * - an error says no-store.
 *
 * A route added to the table without a request here fails the first test.
 */
import { ulidGenerator } from '../../lambda/domain/ids';
import type { KeyedHasher } from '../../lambda/domain/keyed-hash';
import { confirmToken, moderationToken, unsubscribeToken } from '../../lambda/domain/notifications';
import { ROUTES } from '../../lambda/routes';
import type { Runtime } from '../../lambda/runtime';
import type { NotificationRepository } from '../../lambda/store/notification-repository';
import { type Api, type ApiRequest, type ApiResponse, createApiOnTable } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

const ARTICLE = 'the-shared-cache-article';

interface Visitor {
  n: 1 | 2;
  email: string;
  visitorId: string;
  sourceIp: string;
  /** A comment of the visitor's own, with its edit token: made fresh for each request. */
  own: () => Promise<{ id: string; token: string }>;
}

type Sample = (visitor: Visitor) => Promise<ApiResponse>;

let table: TestTable;
let api: Api;

/** Everything in an answer that belongs to one visitor. */
function privateMarks(visitor: Visitor): string[] {
  return [visitor.email, visitor.visitorId, visitor.sourceIp, 'editToken', '"mine":"', '"email"'];
}

function asVisitor(visitor: Visitor, request: ApiRequest = {}): ApiRequest {
  return {
    ...request,
    sourceIp: visitor.sourceIp,
    headers: { 'user-agent': `reader-${visitor.n}`, ...request.headers },
  };
}

/** The visitor's commenterId, as an operator finds it by their email. */
async function commenterOf(visitor: Visitor): Promise<string> {
  const found = await api(
    'GET',
    '/admin/commenters',
    asVisitor(visitor, { operator: true, query: { email: visitor.email } }),
  );
  return String((found.json.commenterIds as string[])[0]);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A comment of the visitor's own, published by an operator (only those can be pinned). */
async function published(visitor: Visitor): Promise<string> {
  const { id } = await visitor.own();
  const moderated = await api(
    'PATCH',
    `/admin/comments/${id}`,
    asVisitor(visitor, { operator: true, body: { status: 'published' } }),
  );
  if (moderated.status !== 200) throw new Error(`publish: ${moderated.status} ${moderated.text}`);
  return id;
}

/** A published comment of the visitor's, with the signals item the stream's tally keeps. */
async function signalled(visitor: Visitor): Promise<string> {
  const id = await published(visitor);
  const found = await runtime?.moderationStore.findById(id);
  if (!runtime || !found) throw new Error('no comment to like');
  await runtime.areas.signals.sync({
    articleId: ARTICLE,
    createdAt: found.createdAt,
    commentId: id,
  });
  return id;
}

/** One request per route and variant, as each visitor would make it. */
const SAMPLES: Record<string, Record<string, Sample>> = {
  GetConfig: { plain: (v) => api('GET', '/config', asVisitor(v)) },
  GetThread: {
    plain: (v) => api('GET', `/articles/${ARTICLE}`, asVisitor(v)),
    'with limit and order': (v) =>
      api('GET', `/articles/${ARTICLE}`, asVisitor(v, { query: { limit: '1', order: 'newest' } })),
  },
  ListComments: {
    plain: (v) => api('GET', `/articles/${ARTICLE}/comments`, asVisitor(v)),
  },
  CreateComment: {
    plain: (v) =>
      api(
        'POST',
        `/articles/${ARTICLE}/comments`,
        asVisitor(v, { body: { name: `Reader ${v.n}`, email: v.email, body: 'Hello' } }),
      ),
  },
  GetReactions: {
    anonymous: (v) => api('GET', `/articles/${ARTICLE}/reactions`, asVisitor(v)),
    'with visitorId': (v) =>
      api(
        'GET',
        `/articles/${ARTICLE}/reactions`,
        asVisitor(v, { query: { visitorId: v.visitorId } }),
      ),
  },
  PutReaction: {
    plain: (v) =>
      api(
        'PUT',
        `/articles/${ARTICLE}/reactions`,
        asVisitor(v, { body: { visitorId: v.visitorId, reaction: 'happy' } }),
      ),
  },
  DeleteReaction: {
    plain: (v) =>
      api(
        'DELETE',
        `/articles/${ARTICLE}/reactions`,
        asVisitor(v, { query: { visitorId: v.visitorId } }),
      ),
  },
  GetCounts: {
    plain: (v) => api('GET', '/counts', asVisitor(v, { query: { articles: `${ARTICLE},other` } })),
  },
  EditComment: {
    plain: async (v) => {
      const own = await v.own();
      return api(
        'PATCH',
        `/comments/${own.id}`,
        asVisitor(v, { headers: bearer(own.token), body: { body: 'Edited' } }),
      );
    },
  },
  DeleteComment: {
    plain: async (v) => {
      const own = await v.own();
      return api('DELETE', `/comments/${own.id}`, asVisitor(v, { headers: bearer(own.token) }));
    },
  },
  AdminListComments: {
    plain: (v) =>
      api(
        'GET',
        '/admin/comments',
        asVisitor(v, { operator: true, query: { status: 'published' } }),
      ),
  },
  AdminModerateComment: {
    plain: async (v) => {
      const own = await v.own();
      return api(
        'PATCH',
        `/admin/comments/${own.id}`,
        asVisitor(v, { operator: true, body: { status: 'spam' } }),
      );
    },
  },
  AdminDeleteComment: {
    plain: async (v) => {
      const own = await v.own();
      return api('DELETE', `/admin/comments/${own.id}`, asVisitor(v, { operator: true }));
    },
  },
  AdminErase: {
    plain: (v) =>
      api('POST', '/admin/erasures', asVisitor(v, { operator: true, body: { email: v.email } })),
  },
  AdminTransparency: {
    plain: (v) =>
      api(
        'GET',
        '/admin/transparency',
        asVisitor(v, { operator: true, query: { from: '2026-01', to: '2026-12' } }),
      ),
  },
  AdminQueueCounts: {
    plain: (v) => api('GET', '/admin/counts', asVisitor(v, { operator: true })),
    'one article': (v) =>
      api('GET', '/admin/counts', asVisitor(v, { operator: true, query: { articleId: ARTICLE } })),
  },
  AdminErasureCount: {
    plain: (v) =>
      api('GET', '/admin/erasures', asVisitor(v, { operator: true, query: { email: v.email } })),
  },
  AdminFindCommenter: {
    plain: (v) =>
      api('GET', '/admin/commenters', asVisitor(v, { operator: true, query: { email: v.email } })),
  },
  AdminGetCommenter: {
    plain: async (v) => {
      await v.own();
      return api(
        'GET',
        `/admin/commenters/${await commenterOf(v)}`,
        asVisitor(v, { operator: true }),
      );
    },
  },
  AdminChangeCommenter: {
    plain: async (v) => {
      await v.own();
      return api(
        'PUT',
        `/admin/commenters/${await commenterOf(v)}`,
        asVisitor(v, { operator: true, body: { state: 'trusted' } }),
      );
    },
  },
  AdminGetArticle: {
    plain: (v) => api('GET', `/admin/articles/${ARTICLE}`, asVisitor(v, { operator: true })),
  },
  AdminGetHouseRules: {
    plain: (v) => api('GET', '/admin/house-rules', asVisitor(v, { operator: true })),
  },
  AdminPutHouseRules: {
    // From the version each visitor reads, so both saves succeed.
    plain: async (v) => {
      const read = await api('GET', '/admin/house-rules', asVisitor(v, { operator: true }));
      return api(
        'PUT',
        '/admin/house-rules',
        asVisitor(v, {
          operator: true,
          body: { ...read.json, hold: [`word ${v.n}`], updatedAt: undefined },
        }),
      );
    },
  },
  AdminChangeArticle: {
    // An article of its own, so the readers' samples can still post to ARTICLE.
    plain: (v) =>
      api(
        'PATCH',
        `/admin/articles/closed-${v.n}`,
        asVisitor(v, { operator: true, body: { closed: true } }),
      ),
  },
  AdminReply: {
    plain: (v) =>
      api(
        'POST',
        `/admin/articles/${ARTICLE}/comments`,
        asVisitor(v, { operator: true, body: { name: 'The editors', body: `Thanks, ${v.n}.` } }),
      ),
  },
  PutLike: {
    plain: async (v) =>
      api(
        'PUT',
        `/comments/${await signalled(v)}/likes`,
        asVisitor(v, { body: { visitorId: v.visitorId } }),
      ),
  },
  DeleteLike: {
    plain: async (v) =>
      api(
        'DELETE',
        `/comments/${await signalled(v)}/likes`,
        asVisitor(v, { query: { visitorId: v.visitorId } }),
      ),
  },
  PostReport: {
    plain: async (v) =>
      api(
        'POST',
        `/comments/${await signalled(v)}/reports`,
        asVisitor(v, {
          body: {
            visitorId: v.visitorId,
            reason: 'illegal',
            explanation: 'Publishes a private address.',
            goodFaith: true,
            email: v.email,
          },
        }),
      ),
  },
  AdminFeatureComment: {
    plain: async (v) =>
      api('PUT', `/admin/comments/${await published(v)}/feature`, asVisitor(v, { operator: true })),
  },
  AdminUnfeatureComment: {
    plain: async (v) => {
      const id = await published(v);
      await api('PUT', `/admin/comments/${id}/feature`, asVisitor(v, { operator: true }));
      return api('DELETE', `/admin/comments/${id}/feature`, asVisitor(v, { operator: true }));
    },
  },
  AdminPinComment: {
    plain: async (v) =>
      api('PUT', `/admin/comments/${await published(v)}/pin`, asVisitor(v, { operator: true })),
  },
  AdminUnpinComment: {
    plain: async (v) => {
      const id = await published(v);
      await api('PUT', `/admin/comments/${id}/pin`, asVisitor(v, { operator: true }));
      return api('DELETE', `/admin/comments/${id}/pin`, asVisitor(v, { operator: true }));
    },
  },
  AdminImport: {
    plain: (v) => {
      const at = Date.now() - 60_000 * v.n;
      return api(
        'POST',
        '/admin/imports',
        asVisitor(v, {
          operator: true,
          body: {
            comments: [
              {
                id: ulidGenerator(at),
                articleId: ARTICLE,
                parentId: null,
                name: `Imported ${v.n}`,
                email: v.email,
                website: null,
                body: 'From the old site.',
                status: 'published',
                createdAt: new Date(at).toISOString(),
                editedAt: null,
              },
            ],
          },
        }),
      );
    },
  },
  // The links of a confirmation mail and of every notification, each for the visitor's address.
  ConfirmSubscription: {
    plain: async (v) => {
      // What the mail dispatcher records when it sends the confirmation mail.
      const sentAt = new Date().toISOString();
      await subscriptions?.markConfirmationSent(
        { emailHash: emailHashOf(v), email: v.email },
        ulidGenerator(Date.now()),
        sentAt,
        sentAt,
      );
      return api(
        'POST',
        '/subscriptions/confirm',
        asVisitor(v, { query: { token: confirmToken(hasher(), emailHashOf(v), Date.now()) } }),
      );
    },
  },
  ConfirmSubscriptionPage: {
    plain: (v) =>
      api(
        'GET',
        '/subscriptions/confirm',
        asVisitor(v, { query: { token: confirmToken(hasher(), emailHashOf(v), Date.now()) } }),
      ),
  },
  UnsubscribePage: {
    plain: (v) =>
      api(
        'GET',
        '/subscriptions/unsubscribe',
        asVisitor(v, { query: { token: unsubscribeToken(hasher(), emailHashOf(v)) } }),
      ),
  },
  Unsubscribe: {
    plain: (v) =>
      api(
        'POST',
        '/subscriptions/unsubscribe',
        asVisitor(v, { query: { token: unsubscribeToken(hasher(), emailHashOf(v)) } }),
      ),
  },
  // A moderator's one-click link from a held-comment mail: its page, then its button.
  ModerationLinkPage: {
    plain: async (v) =>
      api('GET', '/moderation/actions', asVisitor(v, { query: await moderationLink(v) })),
  },
  ModerationLink: {
    plain: async (v) =>
      api('POST', '/moderation/actions', asVisitor(v, { query: await moderationLink(v) })),
  },
};

/** A signed link that publishes the visitor's own (held) comment. */
async function moderationLink(v: Visitor): Promise<{ token: string }> {
  const { id } = await v.own();
  return {
    token: moderationToken(
      hasher(),
      { articleId: ARTICLE, commentId: id },
      'published',
      Date.now(),
    ),
  };
}

let runtime: Runtime | undefined;
let subscriptions: NotificationRepository | undefined;
function hasher(): KeyedHasher {
  if (!runtime) throw new Error('shared-cache: no runtime yet');
  return runtime.hasher;
}
const emailHashOf = (v: Visitor) => hasher().hash('email', v.email);

function visitor(n: 1 | 2): Visitor {
  const email = `reader${n}@example.com`;
  const sourceIp = n === 1 ? '198.51.100.7' : '203.0.113.9';
  return {
    n,
    email,
    visitorId: `shared-cache-visitor-${n}-0123456789`,
    sourceIp,
    own: async () => {
      const created = await api('POST', `/articles/${ARTICLE}/comments`, {
        sourceIp,
        body: { name: `Owner ${n}`, email, body: `Mine, ${n}` },
      });
      if (created.status !== 201) throw new Error(`own comment: ${created.status} ${created.text}`);
      return {
        id: String((created.json.comment as { id: string }).id),
        token: String(created.json.editToken),
      };
    },
  };
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('shared-cache');
  runtime = table.runtime();
  ({ api, subscriptions } = createApiOnTable(runtime, table));
  // Something to show: a comment and a vote by someone else.
  await api('POST', `/articles/${ARTICLE}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body: 'First' },
  });
  await api('PUT', `/articles/${ARTICLE}/reactions`, {
    body: { visitorId: 'someone-else-0123456789', reaction: 'silly' },
  });
});
afterAll(async () => table.drop());

const isShared = (response: ApiResponse) =>
  /^public\b/.test(response.headers['cache-control'] ?? '');
const isPrivate = (response: ApiResponse) =>
  /\bno-store\b|\bprivate\b/.test(response.headers['cache-control'] ?? '');

describe('what a shared cache may keep', () => {
  it('has requests for every route of the route table', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(ROUTES.map((route) => route.id).sort());
  });

  const cases = Object.entries(SAMPLES).flatMap(([id, variants]) =>
    Object.entries(variants).map(([variant, sample]) => [`${id} (${variant})`, sample] as const),
  );

  it.each(cases)(
    '%s: private answers are never shared, shared ones are the same for all',
    async (_name, sample) => {
      const [one, two] = [visitor(1), visitor(2)];
      const first = await sample(one);
      const second = await sample(two);
      expect(first.status).toBeLessThan(300);
      expect(second.status).toBeLessThan(300);
      for (const [response, who] of [
        [first, one],
        [second, two],
      ] as const) {
        const marks = privateMarks(who).filter((mark) => response.text.includes(mark));
        if (marks.length > 0) expect(isPrivate(response)).toBe(true);
        expect(isShared(response) || isPrivate(response)).toBe(true);
      }
      expect(isShared(first)).toBe(isShared(second));
      if (isShared(first)) {
        expect(second.text).toBe(first.text);
        for (const mark of [...privateMarks(one), ...privateMarks(two)]) {
          expect(first.text).not.toContain(mark);
        }
      }
    },
  );

  // GET /config and GET /admin/house-rules take no input, so they have no error of their own;
  // /config's 405 is the fallback's.
  it('answers a wrong method no-store', async () => {
    const response = await api('POST', '/config', { body: {} });
    expect(response.status).toBe(405);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each(
    ROUTES.filter((route) => !['GetConfig', 'AdminGetHouseRules'].includes(route.id)).map(
      (route) => [route.method, route.path],
    ),
  )('%s %s answers an error no-store', async (method, path) => {
    // A bad id in every path, so every route answers 400 (or 401 for the protected ones).
    const bad = path.replace('{articleId}', 'no%20spaces').replace('{commentId}', 'not-an-id');
    const response = await api(method, bad, {
      operator: path.startsWith('/admin/'),
      query: { limit: '0', visitorId: 'x', articles: '', articleId: 'no spaces' },
      body: method === 'GET' || method === 'DELETE' ? undefined : { status: 'x', email: 'x' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
