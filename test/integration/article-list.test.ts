/**
 * The list of articles (GET /admin/comments?view=articles, index `articles`) on DynamoDB Local:
 * every article with a comment, reactions or closed is listed once, whichever write made its
 * stats item, and a table made before the index had it gets the index at start.
 */
import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../bin/local/bootstrap';
import { createLowLevelClient } from '../../bin/local/clients';
import type { Runtime } from '../../lambda/runtime';
import { TABLE_DEFINITION } from '../../lambda/store/table-definition';
import { type Api, createApi } from '../support/api';
import { createTestTable, localEndpoint, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

let table: TestTable;
let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('article-list');
  runtime = table.runtime();
  api = createApi(runtime);
});
afterAll(async () => table.drop());

async function comment(articleId: string, parentId?: string): Promise<string> {
  const response = await api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@example.com', body: 'A comment.', parentId },
  });
  expect(response.status).toBe(201);
  return (response.json.comment as { id: string }).id;
}

/** Every page of the list, `limit` at a time. */
async function listed(limit: number): Promise<string[]> {
  const articles: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await api('GET', '/admin/comments', {
      query: { view: 'articles', limit: String(limit), ...(cursor ? { cursor } : {}) },
      operator: true,
    });
    expect(response.status).toBe(200);
    articles.push(...(response.json.articles as string[]));
    cursor = response.json.nextCursor as string | null;
  } while (cursor);
  return articles;
}

describe('the list of articles', () => {
  it('lists each article with a comment, reactions or closed once, in id order, page by page', async () => {
    // Comments, and a reply: two count writes on the same stats items.
    const first = await comment('with-comments');
    await comment('with-comments', first);
    // A vote, tallied as the stream would ask.
    const vote = await api('PUT', '/articles/with-reactions/reactions', {
      body: { visitorId: 'visitor-article-list-0001', reaction: 'happy' },
    });
    expect(vote.status).toBe(200);
    await runtime.reactionStore.tally('with-reactions');
    const closed = await api('PATCH', '/admin/articles/closed-only', {
      body: { closed: true },
      operator: true,
    });
    expect(closed.status).toBe(200);
    const imported = await api('POST', '/admin/imports', {
      body: {
        comments: [],
        reactions: [{ articleId: 'imported-reactions', counts: { silly: 2 } }],
      },
      operator: true,
    });
    expect(imported.status).toBe(200);
    // Reopened: still an article Talkback holds something for (its stats item).
    await api('PATCH', '/admin/articles/closed-only', { body: { closed: false }, operator: true });

    const everything = ['closed-only', 'imported-reactions', 'with-comments', 'with-reactions'];
    expect(await listed(100)).toEqual(everything);
    expect(await listed(1)).toEqual(everything);
    // Only the head stats item is in the index: one key per article.
    const indexed = (await table.scanAll()).filter((item) => item.articleList !== undefined);
    expect(indexed.map((item) => [item.PK, item.SK])).toEqual(
      everything.map((id) => [`ARTICLE#${id}`, 'COMMENT#!COUNT']),
    );
  });
});

describe('ensureTable', () => {
  it('adds the index of articles to a table made before it existed', async () => {
    const admin = createLowLevelClient(localEndpoint());
    const older = {
      ...TABLE_DEFINITION,
      globalIndexes: TABLE_DEFINITION.globalIndexes.filter(
        (index) => index.indexName !== 'articles',
      ),
    };
    const tableName = `article-list-older-${Date.now()}`;
    try {
      expect(await ensureTable(admin, tableName, older)).toBe(true);
      expect(await ensureTable(admin, tableName)).toBe(false);
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: tableName }));
      const index = Table?.GlobalSecondaryIndexes?.find((each) => each.IndexName === 'articles');
      expect(index?.KeySchema).toEqual([
        { AttributeName: 'articleList', KeyType: 'HASH' },
        { AttributeName: 'articleId', KeyType: 'RANGE' },
      ]);
      expect(Table?.GlobalSecondaryIndexes).toHaveLength(TABLE_DEFINITION.globalIndexes.length);
    } finally {
      await admin.send(new DeleteTableCommand({ TableName: tableName }));
      admin.destroy();
    }
  });
});
