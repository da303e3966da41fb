/** The operators' read of the transparency counters: one Query of a range of months, paged. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { TransparencyRepository } from '../../../lambda/store/transparency-repository';
import { provisionedThroughputExceeded } from './sdk-errors';

const TABLE = 'talkback-test';
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = () =>
  new TransparencyRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), TABLE);

beforeEach(() => dynamo.reset());

describe('TransparencyRepository', () => {
  it('reads the months of the range from their partition, following pages, counters only', async () => {
    const page2 = { PK: 'TRANSPARENCY', SK: 'MONTH#2026-11' };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({
        Items: [
          {
            PK: 'TRANSPARENCY',
            SK: 'MONTH#2026-11',
            entity: 'Transparency',
            month: '2026-11',
            'decisions:human': 2,
            'notice:spam': 1,
          },
        ],
        LastEvaluatedKey: page2,
      })
      .resolvesOnce({ Items: [{ month: '2026-12', 'ground:hate': 1 }] });
    expect(await repository().transparencyRows('2026-11', '2026-12')).toEqual([
      { month: '2026-11', counts: { 'decisions:human': 2, 'notice:spam': 1 } },
      { month: '2026-12', counts: { 'ground:hate': 1 } },
    ]);
    const query = {
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': 'TRANSPARENCY',
        ':first': 'MONTH#2026-11',
        ':last': 'MONTH#2026-12',
      },
    };
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      { ...query, ExclusiveStartKey: undefined },
      { ...query, ExclusiveStartKey: page2 },
    ]);
  });

  it('gives ServiceBusyError when DynamoDB throttles', async () => {
    dynamo.on(QueryCommand).rejects(provisionedThroughputExceeded());
    await expect(repository().transparencyRows('2026-11', '2026-11')).rejects.toBeInstanceOf(
      ServiceBusyError,
    );
  });
});
