import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { DEFAULT_SETTINGS } from '../../../lambda/domain/settings';
import { createHandler } from '../../../lambda/handlers/tally-reactions';
import { ReactionRepository } from '../../../lambda/store/reaction-repository';
import { FakeSignalsStore, FakeTallyStore, fixedClock } from '../fakes';

const STREAM_ARN =
  'arn:aws:dynamodb:eu-west-1:123456789012:table/talkback/stream/2026-11-26T21:00:00.000';

let sequence = 4_000_000_000;

/** A record as Lambda delivers it from a KEYS_ONLY stream: the keys and nothing else. */
function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  PK: string,
  SK: string,
): DynamoDBRecord {
  sequence += 100;
  return {
    eventID: `c81e728d9d4c2f636f067f89cc14862c-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      ApproximateCreationDateTime: 1795727940,
      Keys: { SK: { S: SK }, PK: { S: PK } },
      SequenceNumber: String(sequence),
      SizeBytes: PK.length + SK.length + 8,
      StreamViewType: 'KEYS_ONLY',
    },
    eventSourceARN: STREAM_ARN,
  };
}

const vote = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', visitor: string, articleId: string) =>
  streamRecord(eventName, `VOTE#${visitor}`, `ARTICLE#${articleId}`);

describe('the reaction tally stream handler', () => {
  it('tallies each article whose votes changed once, and nothing else', async () => {
    const store = new FakeTallyStore();
    const event: DynamoDBStreamEvent = {
      Records: [
        vote('INSERT', 'h4sh0fTheV1s1torIdXyzA', 'news.world~2026'),
        streamRecord('MODIFY', 'REACTIONS#news.world~2026#5', 'COUNTS'),
        vote('MODIFY', 'aN0therV1s1torHash0123', 'news.world~2026'),
        streamRecord('MODIFY', 'REACTIONS#news.world~2026#11', 'COUNTS'),
        vote('REMOVE', 'th1rdV1s1torHash012345', 'russia-north-korea-ties'),
        streamRecord('MODIFY', 'REACTIONS#russia-north-korea-ties#0', 'COUNTS'),
        // The tally's own write of the count item, and a comment with its rate window.
        streamRecord('MODIFY', 'ARTICLE#news.world~2026', 'COMMENT#!COUNT'),
        streamRecord(
          'INSERT',
          'ARTICLE#other.article',
          'COMMENT#2026-11-26T21:19:00.000Z#01KB0000000000000000000000',
        ),
        streamRecord(
          'INSERT',
          'CLIENT#cl1entHash0123456789ab',
          'RATE#comment#minute#2026-11-26T21:19:00.000Z',
        ),
        vote('INSERT', 'f0urthV1s1torHash01234', 'news.world~2026'),
      ],
    };
    await createHandler({ areas: { tally: store, signals: new FakeSignalsStore() } })(event);
    expect(store.tallied).toEqual(['news.world~2026', 'russia-north-korea-ties']);
  });

  it('tallies nothing for a batch without votes', async () => {
    const store = new FakeTallyStore();
    await createHandler({ areas: { tally: store, signals: new FakeSignalsStore() } })({
      Records: [
        streamRecord('MODIFY', 'ARTICLE#a.b', 'COMMENT#!COUNT'),
        streamRecord('MODIFY', 'ARTICLE#a.b', 'COMMENT#~COUNT'),
        streamRecord('INSERT', 'AUTHOR#em4ilHash0123456789abc', 'AUTHOR'),
      ],
    });
    expect(store.tallied).toEqual([]);
  });

  it('skips a record without keys', async () => {
    const store = new FakeTallyStore();
    const bare: DynamoDBRecord = { eventName: 'REMOVE', eventSource: 'aws:dynamodb' };
    await createHandler({ areas: { tally: store, signals: new FakeSignalsStore() } })({
      Records: [bare, vote('REMOVE', 'h4sh0fTheV1s1torIdXyzA', 'a.b')],
    });
    expect(store.tallied).toEqual(['a.b']);
  });

  it('fails the batch when a tally fails, so Lambda delivers it again', async () => {
    const store = new FakeTallyStore();
    const busy = new ServiceBusyError('ThrottlingException');
    store.failFor = { articleId: 'a.b', error: busy };
    await expect(
      createHandler({ areas: { tally: store, signals: new FakeSignalsStore() } })({
        Records: [vote('INSERT', 'h4sh0fTheV1s1torIdXyzA', 'a.b')],
      }),
    ).rejects.toBe(busy);
  });

  it('makes one shard read per article, and one write to each of its stats items', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    try {
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
      ddb.on(BatchGetCommand).resolves({ Responses: { talkback: [] } });
      ddb.on(UpdateCommand).resolves({});
      const repository = new ReactionRepository(client, 'talkback', DEFAULT_SETTINGS, fixedClock);
      await createHandler({ areas: { tally: repository, signals: new FakeSignalsStore() } })({
        Records: [
          vote('INSERT', 'h4sh0fTheV1s1torIdXyzA', 'a.b'),
          vote('MODIFY', 'aN0therV1s1torHash0123', 'c~d'),
          vote('REMOVE', 'th1rdV1s1torHash012345', 'a.b'),
          streamRecord('MODIFY', 'REACTIONS#a.b#5', 'COUNTS'),
        ],
      });
      expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 2);
      expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 4);
      expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key)).toEqual([
        { PK: 'ARTICLE#a.b', SK: 'COMMENT#!COUNT' },
        { PK: 'ARTICLE#a.b', SK: 'COMMENT#~COUNT' },
        { PK: 'ARTICLE#c~d', SK: 'COMMENT#!COUNT' },
        { PK: 'ARTICLE#c~d', SK: 'COMMENT#~COUNT' },
      ]);
      expect(
        ddb
          .commandCalls(BatchGetCommand)
          .map((call) => call.args[0].input.RequestItems?.talkback?.Keys?.[15]),
      ).toEqual([
        { PK: 'REACTIONS#a.b#15', SK: 'COUNTS' },
        { PK: 'REACTIONS#c~d#15', SK: 'COUNTS' },
      ]);
    } finally {
      ddb.restore();
    }
  });

  it('is exported as the Lambda handler', async () => {
    const module = await import('../../../lambda/handlers/tally-reactions');
    expect(typeof module.handler).toBe('function');
  });
});
