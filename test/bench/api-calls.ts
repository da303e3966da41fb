/**
 * The API calls whose DynamoDB cost the benchmark measures and the request-count test pins,
 * on data shaped like a real article: a page of 50 comments of a few hundred characters, an
 * index page of 100 articles. Each call may prepare state first (not metered), then runs once.
 */
import type { IdGenerator } from '../../lambda/domain/ids';
import { IMPORT_BATCH_MAX } from '../../lambda/domain/imports';
import type { Api, ApiResponse } from '../support/api';
import type { CallKind } from './request-rule';

export const LIST_ARTICLE = 'count-the-lighthouses';
export const REACTION_ARTICLE = 'a-winter-on-the-rock';
export const INDEX_ARTICLES = Array.from({ length: 100 }, (_, index) => `index-article-${index}`);
export const PAGE_SIZE = 50;
/** Enough comments for a full first page and a full cursor page. */
export const LIST_COMMENTS = 2 * PAGE_SIZE + 10;

const BODY =
  'Thank you for this piece. My grandfather kept the light at Hartland Point for eleven winters ' +
  'and he always said the hardest part was not the weather but the quiet. The photographs of ' +
  'the lamp room brought it all back; I would love to read more about how the cottage is kept.';

export function newComment(index: number, extra: Record<string, unknown> = {}) {
  return {
    name: `Reader ${index}`,
    email: `reader${index}@example.com`,
    ...(index % 3 === 0 ? { website: `https://reader${index}.example` } : {}),
    body: `${BODY} (${index})`,
    ...extra,
  };
}

let visitors = 0;
/** A visitor id no call has used before. */
export function newVisitor(): string {
  visitors += 1;
  return `bench-visitor-${process.pid}-${visitors}`.padEnd(24, '0');
}

async function expectStatus(response: ApiResponse, status: number, what: string) {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
  }
  return response;
}

/** Runs `count` tasks, `width` at a time. */
async function inParallel(count: number, width: number, task: (index: number) => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/** The articles the calls read: comments to list, and count items for the index page. */
export async function seed(api: Api): Promise<void> {
  await inParallel(LIST_COMMENTS, 8, async (index) =>
    expectStatus(
      await api('POST', `/articles/${LIST_ARTICLE}/comments`, { body: newComment(index) }),
      201,
      'seeding comments',
    ),
  );
  await inParallel(INDEX_ARTICLES.length, 8, async (index) =>
    expectStatus(
      await api('POST', `/articles/${INDEX_ARTICLES[index]}/comments`, {
        body: newComment(index),
      }),
      201,
      'seeding the index page',
    ),
  );
}

export interface ApiCall {
  name: string;
  /** The rule its DynamoDB requests are held to (request-rule.ts). */
  kind: CallKind;
  /** Brings the table to the state the call starts from; not metered. */
  prepare?: () => Promise<void>;
  run: () => Promise<ApiResponse>;
  status: number;
}

function reactionBody(visitorId: string, reaction: string) {
  return { body: { visitorId, reaction } };
}

/** One instance of each call, for one metered run. */
export function apiCalls(api: Api): ApiCall[] {
  const listPath = `/articles/${LIST_ARTICLE}/comments`;
  const reactionsPath = `/articles/${REACTION_ARTICLE}/reactions`;
  let cursor = '';
  let parentId = '';
  let visitor = '';
  const putReaction = async (reaction: string) =>
    expectStatus(
      await api('PUT', reactionsPath, reactionBody(visitor, reaction)),
      200,
      'preparing a reaction',
    );
  return [
    {
      name: 'thread of an article view',
      kind: 'read',
      run: () => api('GET', `/articles/${LIST_ARTICLE}`, { query: { limit: String(PAGE_SIZE) } }),
      status: 200,
    },
    {
      name: 'list 50 comments, first page',
      kind: 'read',
      run: () => api('GET', listPath, { query: { limit: String(PAGE_SIZE) } }),
      status: 200,
    },
    {
      name: 'list 50 comments, cursor page',
      kind: 'read',
      prepare: async () => {
        const first = await api('GET', listPath, { query: { limit: String(PAGE_SIZE) } });
        cursor = String((await expectStatus(first, 200, 'first page')).json.nextCursor);
      },
      run: () => api('GET', listPath, { query: { limit: String(PAGE_SIZE), cursor } }),
      status: 200,
    },
    {
      name: 'post a comment',
      kind: 'gated-write',
      run: () => api('POST', listPath, { body: newComment(1000) }),
      status: 201,
    },
    {
      name: 'post a reply',
      kind: 'gated-write',
      prepare: async () => {
        const first = await api('GET', listPath, { query: { limit: '1' } });
        const comments = (await expectStatus(first, 200, 'first comment')).json.comments as {
          id: string;
        }[];
        parentId = String(comments[0]?.id);
      },
      run: () => api('POST', listPath, { body: newComment(1001, { parentId }) }),
      status: 201,
    },
    {
      name: 'first reaction',
      kind: 'vote',
      prepare: async () => {
        visitor = newVisitor();
      },
      run: () => api('PUT', reactionsPath, reactionBody(visitor, 'happy')),
      status: 200,
    },
    {
      name: 'reaction switch',
      kind: 'vote',
      prepare: async () => {
        visitor = newVisitor();
        await putReaction('happy');
      },
      run: () => api('PUT', reactionsPath, reactionBody(visitor, 'in-love')),
      status: 200,
    },
    {
      name: 'same reaction again',
      kind: 'vote',
      prepare: async () => {
        visitor = newVisitor();
        await putReaction('happy');
      },
      run: () => api('PUT', reactionsPath, reactionBody(visitor, 'happy')),
      status: 200,
    },
    {
      name: 'withdraw a reaction',
      kind: 'vote',
      prepare: async () => {
        visitor = newVisitor();
        await putReaction('silly');
      },
      run: () => api('DELETE', reactionsPath, { query: { visitorId: visitor } }),
      status: 200,
    },
    {
      name: 'GET reactions with visitorId',
      kind: 'read',
      prepare: async () => {
        visitor = newVisitor();
        await putReaction('excited');
      },
      run: () => api('GET', reactionsPath, { query: { visitorId: visitor } }),
      status: 200,
    },
    {
      name: 'GET /counts for 100 articles',
      kind: 'read',
      run: () => api('GET', '/counts', { query: { articles: INDEX_ARTICLES.join(',') } }),
      status: 200,
    },
    {
      name: 'GET /config',
      kind: 'read',
      run: () => api('GET', '/config'),
      status: 200,
    },
  ];
}

/** Articles a full import batch spreads over, and how often a comment there is a reply. */
const IMPORT_ARTICLES = 10;
const IMPORT_REPLY_EVERY = 4;

/**
 * A full batch of the operator CLI's import (IMPORT_BATCH_MAX comments): ten old articles'
 * threads, every fourth comment a reply to its article's first, which the batch also carries.
 */
export function importBatch(newId: IdGenerator, body = BODY): Record<string, unknown> {
  const firsts = new Map<string, string>();
  const comments = Array.from({ length: IMPORT_BATCH_MAX }, (_, index) => {
    const articleId = `imported-article-${index % IMPORT_ARTICLES}`;
    const createdMs = Date.parse('2019-03-01T10:00:00.000Z') + index * 3_600_000;
    const id = newId(createdMs);
    const first = firsts.get(articleId);
    if (!first) firsts.set(articleId, id);
    return {
      id,
      articleId,
      parentId: first && index % IMPORT_REPLY_EVERY === 0 ? first : null,
      name: `Old reader ${index}`,
      email: `old-reader${index % 90}@example.com`,
      website: index % 5 === 0 ? `https://old-reader${index}.example` : null,
      body,
      status: 'published',
      createdAt: new Date(createdMs).toISOString(),
      editedAt: null,
    };
  });
  return { comments };
}

/** The tokens of the mails' links, each for a subscriber the call finds in the table. */
export interface LinkTokens {
  /** A pending subscriber's confirmation link. */
  confirm: () => Promise<string>;
  /** A confirmed subscriber's unsubscribe link. */
  unsubscribe: () => Promise<string>;
  /** A held-comment notice's link that publishes the comment. */
  approve: (comment: { articleId: string; commentId: string }) => string;
}

/**
 * The calls the benchmark prices besides those the request-count test pins: an author's own
 * comment, the mails' links, the operators' routes. A moderator's link is priced as an
 * operator's call: the route is public, but the one who follows it moderates.
 */
export function moreApiCalls(api: Api, links: LinkTokens, newId: IdGenerator): ApiCall[] {
  const listPath = `/articles/${LIST_ARTICLE}/comments`;
  let owned = { id: '', token: '' };
  let token = '';
  const postOwn = async () => {
    const posted = await expectStatus(
      await api('POST', listPath, { body: newComment(2000) }),
      201,
      'posting a comment to change',
    );
    owned = {
      id: String((posted.json.comment as { id: string }).id),
      token: String(posted.json.editToken),
    };
  };
  const operator = { operator: true };
  // A comment held for moderation, as a held-comment notice links to it.
  const holdOwn = async () => {
    await postOwn();
    await expectStatus(
      await api('PATCH', `/admin/comments/${owned.id}`, {
        ...operator,
        body: { status: 'pending' },
      }),
      200,
      'holding a comment',
    );
    token = links.approve({ articleId: LIST_ARTICLE, commentId: owned.id });
  };
  const pinOwn = async () => {
    await postOwn();
    await expectStatus(
      await api('PUT', `/admin/comments/${owned.id}/pin`, operator),
      200,
      'pinning a comment',
    );
  };
  return [
    {
      name: 'edit own comment',
      kind: 'owned-write',
      prepare: postOwn,
      run: () =>
        api('PATCH', `/comments/${owned.id}`, {
          headers: { authorization: `Bearer ${owned.token}` },
          body: { body: `${BODY} (edited)` },
        }),
      status: 200,
    },
    {
      name: 'delete own comment',
      kind: 'owned-write',
      prepare: postOwn,
      run: () =>
        api('DELETE', `/comments/${owned.id}`, {
          headers: { authorization: `Bearer ${owned.token}` },
        }),
      status: 204,
    },
    {
      name: 'confirmation page',
      kind: 'read',
      prepare: async () => {
        token = await links.confirm();
      },
      run: () => api('GET', '/subscriptions/confirm', { query: { token } }),
      status: 200,
    },
    {
      name: 'confirm a subscription',
      kind: 'write',
      prepare: async () => {
        token = await links.confirm();
      },
      run: () => api('POST', '/subscriptions/confirm', { query: { token } }),
      status: 200,
    },
    {
      name: 'unsubscribe page',
      kind: 'read',
      prepare: async () => {
        token = await links.unsubscribe();
      },
      run: () => api('GET', '/subscriptions/unsubscribe', { query: { token } }),
      status: 200,
    },
    {
      name: 'unsubscribe (one-click)',
      kind: 'write',
      prepare: async () => {
        token = await links.unsubscribe();
      },
      run: () =>
        api('POST', '/subscriptions/unsubscribe', {
          query: { token },
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }),
      status: 200,
    },
    {
      name: 'moderation link page',
      kind: 'operator',
      prepare: holdOwn,
      run: () => api('GET', '/moderation/actions', { query: { token } }),
      status: 200,
    },
    {
      name: 'moderation link publishes',
      kind: 'operator',
      prepare: holdOwn,
      run: () =>
        api('POST', '/moderation/actions', {
          query: { token },
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: '',
        }),
      status: 200,
    },
    {
      name: 'moderation list, 50 published',
      kind: 'operator',
      run: () =>
        api('GET', '/admin/comments', {
          ...operator,
          query: { status: 'published', limit: String(PAGE_SIZE) },
        }),
      status: 200,
    },
    {
      name: 'moderate a comment',
      kind: 'operator',
      prepare: postOwn,
      run: () =>
        api('PATCH', `/admin/comments/${owned.id}`, { ...operator, body: { status: 'spam' } }),
      status: 200,
    },
    {
      name: 'operator deletes a comment',
      kind: 'operator',
      prepare: postOwn,
      run: () => api('DELETE', `/admin/comments/${owned.id}`, operator),
      status: 204,
    },
    {
      name: 'queue counts',
      kind: 'operator',
      run: () => api('GET', '/admin/counts', operator),
      status: 200,
    },
    {
      name: 'pin a comment',
      kind: 'operator',
      prepare: postOwn,
      run: () => api('PUT', `/admin/comments/${owned.id}/pin`, operator),
      status: 200,
    },
    {
      name: 'unpin a comment',
      kind: 'operator',
      prepare: pinOwn,
      run: () => api('DELETE', `/admin/comments/${owned.id}/pin`, operator),
      status: 200,
    },
    {
      name: 'article view',
      kind: 'operator',
      run: () => api('GET', `/admin/articles/${LIST_ARTICLE}`, operator),
      status: 200,
    },
    {
      name: 'staff reply',
      kind: 'operator',
      prepare: postOwn,
      run: () =>
        api('POST', `/admin/articles/${LIST_ARTICLE}/comments`, {
          ...operator,
          body: { name: 'The newsroom', body: `${BODY} (staff)`, parentId: owned.id },
        }),
      status: 201,
    },
    {
      name: 'close an article',
      kind: 'operator',
      run: () =>
        api('PATCH', `/admin/articles/${INDEX_ARTICLES[0]}`, {
          ...operator,
          body: { closed: true },
        }),
      status: 200,
    },
    {
      name: 'erasure preview (2 comments)',
      kind: 'operator',
      run: () =>
        api('GET', '/admin/erasures', { ...operator, query: { email: 'reader7@example.com' } }),
      status: 200,
    },
    {
      name: 'erase an email (2 comments)',
      kind: 'operator',
      run: () =>
        api('POST', '/admin/erasures', { ...operator, body: { email: 'reader7@example.com' } }),
      status: 200,
    },
    {
      name: `import ${IMPORT_BATCH_MAX} comments`,
      kind: 'operator',
      run: () => api('POST', '/admin/imports', { ...operator, body: importBatch(newId) }),
      status: 200,
    },
  ];
}
