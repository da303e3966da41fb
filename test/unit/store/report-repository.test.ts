import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { NewReport, ReportedComment } from '../../../lambda/domain/reports';
import { ReportRepository } from '../../../lambda/store/report-repository';
import { transactionCanceled } from './sdk-errors';

const TABLE = 'talkback-test';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new ReportRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE, () => 0);
const ID = '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C';
const CREATED = '2026-11-26T21:19:00.000Z';
const comment: ReportedComment = {
  articleId: 'a1',
  createdAt: CREATED,
  commentId: ID,
  published: true,
  pinned: false,
};
const report: NewReport = {
  commentId: ID,
  reporterHash: 'rep0rterHash0123456789',
  reason: 'illegal',
  explanation: 'Publishes a private address.',
  email: 'notifier@example.com',
  goodFaith: true,
  receivedAt: '2026-12-08T10:00:00.000Z',
};
const COMMENT_KEY = { PK: 'ARTICLE#a1', SK: `COMMENT#${CREATED}#${ID}` };

beforeEach(() => dynamo.reset());

describe('ReportRepository', () => {
  it('reads the signals and whether the reporter reported, keys only, never an email', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await repository().read(ID, report.reporterHash);
    const input = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input;
    const request = input?.RequestItems?.[TABLE];
    expect(request?.Keys).toEqual([
      { PK: `SIGNALS#${ID}`, SK: 'COMMENT' },
      { PK: `REPORTS#${ID}`, SK: `REPORT#${report.reporterHash}` },
    ]);
    expect(Object.values(request?.ExpressionAttributeNames ?? {})).not.toContain('email');
  });

  it('puts the report if new and counts it under the threshold, in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(
      repository().file(report, comment, { threshold: 3, hideAtOnce: false }, []),
    ).resolves.toBe('counted');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toEqual([
      {
        Put: {
          TableName: TABLE,
          Item: {
            PK: `REPORTS#${ID}`,
            SK: `REPORT#${report.reporterHash}`,
            entity: 'Report',
            articleId: 'a1',
            reason: 'illegal',
            explanation: 'Publishes a private address.',
            email: 'notifier@example.com',
            goodFaith: true,
            receivedAt: report.receivedAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: TABLE,
          Key: COMMENT_KEY,
          UpdateExpression: 'ADD reportCount :one SET reportedAt = :now',
          ConditionExpression:
            '#status = :published AND (attribute_not_exists(reportCount) OR reportCount < :below)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':now': report.receivedAt,
            ':published': 'published',
            ':below': 2,
          },
        },
      },
    ]);
  });

  it('hides the comment with the report that reaches the threshold, uncounting it', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(transactionCanceled('None', 'ConditionalCheckFailed'))
      .resolves({});
    await expect(
      repository().file(report, comment, { threshold: 3, hideAtOnce: false }, []),
    ).resolves.toBe('hidden');
    const hide = dynamo.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(hide[1]?.Update).toMatchObject({
      Key: COMMENT_KEY,
      UpdateExpression:
        'ADD reportCount :one SET #status = :pending, holdReasons = :reasons, reportedAt = :now, moderatedAt = :now',
      ConditionExpression: '#status = :published AND attribute_not_exists(pinned)',
      ExpressionAttributeValues: expect.objectContaining({ ':reasons': ['reported'] }),
    });
    expect(hide.slice(2).map((item) => item.Update?.ExpressionAttributeValues?.[':delta'])).toEqual(
      [-1, -1],
    );
  });

  it("is a duplicate when the reporter's report is already there", async () => {
    dynamo.on(TransactWriteCommand).rejects(transactionCanceled('ConditionalCheckFailed', 'None'));
    await expect(
      repository().file(report, comment, { threshold: 3, hideAtOnce: false }, []),
    ).resolves.toBe('duplicate');
  });
});
