import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../../lambda/domain/comment';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { ulid } from '../../../lambda/domain/ids';
import { ImportRepository } from '../../../lambda/store/import-repository';
import { NOW } from '../fakes';
import { commentRecord, TABLE } from './comment-fixtures';
import { throttling, transactionCanceled } from './sdk-errors';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = new ImportRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
  () => NOW,
);
const NOW_ISO = new Date(NOW).toISOString();

function imported(n: number, overrides: Partial<CommentRecord> = {}): CommentRecord {
  const time = Date.UTC(2020, 0, 1) + n * 60_000;
  return commentRecord({
    commentId: ulid(time, Buffer.alloc(10, n)),
    createdAt: new Date(time).toISOString(),
    editTokenHash: null,
    ...overrides,
  });
}

const sent = () =>
  ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);

beforeEach(() => {
  ddb.reset();
});

describe('ImportRepository.importComments', () => {
  it('puts each comment on a free key, counting published ones once per article and the author', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const published = imported(1);
    const pending = imported(2, { status: 'pending' });
    const result = await repository.importComments([published, pending]);
    expect(result).toEqual({
      imported: [published.commentId, pending.commentId],
      existing: [],
      parentMissing: [],
    });
    const [items] = sent();
    expect(items).toHaveLength(5);
    expect(items?.[0]).toEqual({
      Put: {
        TableName: TABLE,
        Item: expect.objectContaining({
          PK: `ARTICLE#${published.articleId}`,
          SK: `COMMENT#${published.createdAt}#${published.commentId}`,
          entity: 'Comment',
          commentId: published.commentId,
          status: 'published',
          emailHash: published.emailHash,
          createdAt: published.createdAt,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    expect(items?.[2]).toEqual({
      Update: expect.objectContaining({
        Key: { PK: `ARTICLE#${published.articleId}`, SK: 'COMMENT#!COUNT' },
        UpdateExpression: expect.stringMatching(/^ADD commentCount :delta /),
        ExpressionAttributeValues: expect.objectContaining({ ':delta': 1, ':now': NOW_ISO }),
      }),
    });
    expect(items?.[3]).toMatchObject({ Update: { Key: { SK: 'COMMENT#~COUNT' } } });
    expect(items?.[4]).toMatchObject({
      Update: { Key: { PK: `AUTHOR#${published.emailHash}`, SK: 'AUTHOR' } },
    });
    expect(items?.[4]).not.toHaveProperty('Update.ConditionExpression');
  });

  it('leaves out the record of an author an earlier batch recorded, and only theirs', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const known = imported(1, { emailHash: 'hash-known' });
    const again = imported(2, { emailHash: 'hash-known' });
    const fresh = imported(3, { emailHash: 'hash-fresh' });
    await repository.importComments([known, again, fresh], new Set(['hash-known']));
    const [items] = sent();
    expect(items?.map((item) => Object.keys(item)[0])).toEqual([
      'Put',
      'Put',
      'Put',
      'Update',
      'Update',
      'Update',
    ]);
    expect(items?.[5]).toMatchObject({
      Update: {
        Key: { PK: 'AUTHOR#hash-fresh', SK: 'AUTHOR' },
        ExpressionAttributeValues: { ':now': fresh.createdAt },
      },
    });
  });

  it('fits about 100 comments in a transaction when their authors are recorded', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const records = Array.from({ length: 250 }, (_, n) =>
      imported(n + 1, { emailHash: `hash-${n}` }),
    );
    const recorded = new Set(records.map((record) => record.emailHash ?? ''));
    await repository.importComments(records, recorded);
    expect(sent().map((items) => items.length)).toEqual([100, 100, 56]);
  });

  it('checks that a reply’s parent exists when the parent is not in the transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const parent = imported(1);
    const reply = imported(2, { parentId: parent.commentId, status: 'pending' });
    await repository.importComments([reply]);
    expect(sent()[0]?.[1]).toEqual({
      ConditionCheck: {
        TableName: TABLE,
        Key: {
          PK: `ARTICLE#${parent.articleId}`,
          SK: `COMMENT#${parent.createdAt}#${parent.commentId}`,
        },
        ConditionExpression: 'attribute_exists(PK)',
      },
    });
  });

  it('takes out comments already there and writes the rest, counting only those', async () => {
    const existing = imported(1);
    const fresh = imported(2);
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'))
      .resolves({});
    const result = await repository.importComments([existing, fresh]);
    expect(result).toEqual({
      imported: [fresh.commentId],
      existing: [existing.commentId],
      parentMissing: [],
    });
    const retry = sent()[1] ?? [];
    expect(retry.map((item) => Object.keys(item)[0])).toEqual([
      'Put',
      'Update',
      'Update',
      'Update',
    ]);
    expect(retry[1]).toMatchObject({ Update: { ExpressionAttributeValues: { ':delta': 1 } } });
  });

  it('reports a reply whose parent is missing, with its own replies, and writes nothing for them', async () => {
    const absent = imported(1);
    const reply = imported(2, { parentId: absent.commentId, status: 'pending' });
    const replyToReply = imported(3, { parentId: reply.commentId, status: 'pending' });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed', 'None'));
    const result = await repository.importComments([reply, replyToReply]);
    expect(result).toEqual({
      imported: [],
      existing: [],
      parentMissing: [reply.commentId, replyToReply.commentId],
    });
    expect(sent()).toHaveLength(1);
  });

  it('splits a large batch into transactions of at most 100 items', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const records = Array.from({ length: 250 }, (_, n) =>
      imported(n + 1, { emailHash: `hash-${n}` }),
    );
    const result = await repository.importComments(records);
    expect(result.imported).toHaveLength(250);
    const sizes = sent().map((items) => items.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(250 * 2 + 2 * sizes.length);
  });

  it('turns throttling into ServiceBusyError, having written nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(throttling());
    await expect(repository.importComments([imported(1)])).rejects.toBeInstanceOf(ServiceBusyError);
  });
});

describe('ImportRepository.importReactions', () => {
  it('adds the counts to the first shard and the total, once, behind a marker', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(
      await repository.importReactions({ articleId: 'a1', counts: { happy: 2, 'in-love': 3 } }),
    ).toBe(true);
    const [items] = sent();
    expect(items?.[0]).toEqual({
      Put: {
        TableName: TABLE,
        Item: {
          PK: 'IMPORT#a1',
          SK: 'REACTIONS',
          entity: 'ImportedReactions',
          articleId: 'a1',
          counts: { happy: 2, 'in-love': 3 },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    expect(items?.[1]).toMatchObject({
      Update: {
        Key: { PK: 'REACTIONS#a1#0', SK: 'COUNTS' },
        UpdateExpression: expect.stringMatching(
          /^ADD #happy :n0, #_696e2d6c6f7665 :n1, writes :one SET /,
        ),
        ExpressionAttributeValues: { ':n0': 2, ':n1': 3 },
      },
    });
    // The head stats item, which also lists the article (index `articles`).
    expect(items?.[2]).toMatchObject({
      Update: {
        Key: { PK: 'ARTICLE#a1', SK: 'COMMENT#!COUNT' },
        UpdateExpression: expect.stringMatching(
          /SET reactionCounts = if_not_exists\(reactionCounts, :counts\), .*, articleList = :articleList$/,
        ),
        // The counts by reaction as well as the total: the thread shows each reaction's count.
        ExpressionAttributeValues: {
          ':total': 5,
          ':counts': { happy: 2, 'in-love': 3 },
          ':one': 1,
          ':articleList': 'ARTICLE',
        },
      },
    });
  });

  it('answers false when the article’s counts were imported before', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(transactionCanceled('ConditionalCheckFailed', 'None', 'None'));
    expect(await repository.importReactions({ articleId: 'a1', counts: { happy: 1 } })).toBe(false);
  });
});
