import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { CommenterChangedError, ServiceBusyError } from '../../../lambda/domain/errors';
import { CommenterRepository } from '../../../lambda/store/commenter-repository';

const TABLE = 'talkback-test';
const ID = 'c0mmenter-1';
const KEY = { PK: `COMMENTER#${ID}`, SK: 'COMMENTER' };
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new CommenterRepository(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  TABLE,
);
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

beforeEach(() => ddb.reset());

describe('CommenterRepository', () => {
  it('reads the record consistently, whole', async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...KEY, state: 'banned', note: 'n', setBy: 'op', setAt: 't', history: [] },
    });
    expect(await repository.record(ID)).toEqual({
      state: 'banned',
      note: 'n',
      setBy: 'op',
      setAt: 't',
      history: [],
    });
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      ConsistentRead: true,
    });
  });

  it('counts by the index byCommenter and reads the latest comments in one batch', async () => {
    const key = (n: number) => ({
      PK: 'ARTICLE#a',
      SK: `COMMENT#2026-12-0${n}T00:00:00.000Z#0${n}`,
    });
    ddb.on(QueryCommand).resolves({
      Items: [
        { ...key(1), commenterId: ID, createdAt: '2026-12-01T00:00:00.000Z', status: 'published' },
        { ...key(2), commenterId: ID, createdAt: '2026-12-02T00:00:00.000Z', status: 'spam' },
      ],
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const activity = await repository.activity(ID, 1);
    expect(activity).toEqual({
      counts: { published: 1, pending: 0, spam: 1 },
      firstSeen: '2026-12-01T00:00:00.000Z',
      recent: [],
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'byCommenter',
      KeyConditionExpression: 'commenterId = :id',
      ExpressionAttributeValues: { ':id': ID },
      ExclusiveStartKey: undefined,
    });
    expect(ddb.commandCalls(BatchGetCommand)[0]?.args[0].input).toEqual({
      RequestItems: { [TABLE]: { Keys: [key(2)], ConsistentRead: true } },
    });
  });

  it('puts a new record only if none exists, a changed one only if still as read', async () => {
    ddb.on(PutCommand).resolves({});
    const next = { state: 'trusted' as const, setBy: 'op', setAt: 't2', history: [] };
    await repository.save(ID, next, null);
    await repository.save(ID, next, 't1');
    expect(ddb.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Item: { ...KEY, entity: 'Commenter', ...next },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
      {
        TableName: TABLE,
        Item: { ...KEY, entity: 'Commenter', ...next },
        ConditionExpression: 'setAt = :previous',
        ExpressionAttributeValues: { ':previous': 't1' },
      },
    ]);
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(repository.save(ID, next, 't1')).rejects.toBeInstanceOf(CommenterChangedError);
  });

  it('removes the note of an existing record, and does nothing without one', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    await repository.forgetNote(ID);
    await repository.forgetNote(ID);
    expect(ddb.commandCalls(UpdateCommand)[1]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression: 'REMOVE note',
      ConditionExpression: 'attribute_exists(PK)',
    });
  });

  it('gives ServiceBusyError for a throttle', async () => {
    ddb
      .onAnyCommand()
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(repository.record(ID)).rejects.toBeInstanceOf(ServiceBusyError);
    await expect(repository.activity(ID, 20)).rejects.toBeInstanceOf(ServiceBusyError);
  });
});
