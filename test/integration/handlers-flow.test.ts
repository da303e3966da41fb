import { createHandler as createCommentHandler } from '../../lambda/handlers/create-comment';
import { createHandler as listCommentsHandler } from '../../lambda/handlers/list-comments';
import { createHandler as putReactionHandler } from '../../lambda/handlers/put-reaction';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { httpEvent as event } from '../support/events';

describe('handlers on DynamoDB Local', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await createTestTable('flow');
  });
  afterAll(async () => table.drop());

  it('creates a comment, lists it with its count, and counts a reaction', async () => {
    const runtime = table.runtime();
    const created = await createCommentHandler(runtime)(
      event('POST', '/articles/a1/comments', {
        pathParameters: { articleId: 'a1' },
        body: { name: 'Ada', email: 'ada@example.com', body: ' Hello ' },
      }),
    );
    expect(created.statusCode).toBe(201);
    const listed = await listCommentsHandler(runtime)(
      event('GET', '/articles/a1/comments', { pathParameters: { articleId: 'a1' } }),
    );
    const list = JSON.parse(String(listed.body));
    expect(list.commentCount).toBe(1);
    expect(list.comments[0].body).toBe('Hello');
    expect(String(listed.body)).not.toContain('ada@example.com');
    const reacted = await putReactionHandler(runtime)(
      event('PUT', '/articles/a1/reactions', {
        pathParameters: { articleId: 'a1' },
        body: { visitorId: 'visitor-0123456789', reaction: 'happy' },
      }),
    );
    expect(JSON.parse(String(reacted.body))).toMatchObject({ total: 1, mine: 'happy' });
  });
});
