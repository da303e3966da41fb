/**
 * The local server's stream poller against a fake DynamoDB Streams API (aws-sdk-client-mock):
 * it must recover from dead iterators without skipping records, keep the other shards going when
 * one fails, retry a failed batch, and say so on its log without writing any record's data.
 * Fake timers drive the polls, one round per POLL_MS.
 */
import 'aws-sdk-client-mock-jest';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InternalServerError,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { POLL_MS, type StreamPoller, startStreamPoller } from '../../../bin/local/stream-poller';

const STREAM_ARN =
  'arn:aws:dynamodb:local:000000000000:table/talkback-local/stream/2026-11-26T21:00:00.000';
const SHARD_A = 'shardId-00000001795727940000-aaaaaaaa';
const SHARD_B = 'shardId-00000001795727940000-bbbbbbbb';
/** A visitor hash, as vote records carry in their keys. */
const HASH = 'h4sh0fTheV1s1torIdXyzA';

const $metadata = { httpStatusCode: 400, requestId: 'streams-request' };
const expired = () => new ExpiredIteratorException({ message: 'Iterator expired', $metadata });
const trimmed = () =>
  new TrimmedDataAccessException({ message: 'Data has been trimmed', $metadata });

const streams = mockClient(DynamoDBStreamsClient);

let sequence = 0;
/** A KEYS_ONLY record of a vote on article n. */
function voteRecord(n: number): StreamRecord {
  sequence += 100;
  return {
    eventName: 'INSERT',
    dynamodb: {
      Keys: { PK: { S: `VOTE#${HASH}` }, SK: { S: `ARTICLE#article-${n}` } },
      SequenceNumber: String(sequence),
      StreamViewType: 'KEYS_ONLY',
    },
  };
}

/**
 * The stream's shards, read through iterators `<shard>@<position>@<epoch>`. `invalidate` makes
 * every iterator handed out so far fail with the given error, as expiry does; `trim` drops the
 * oldest records, as the stream's 24-hour retention does.
 */
function fakeStream(shards: Record<string, StreamRecord[]>) {
  let epoch = 0;
  let failure: () => Error = expired;
  let horizon = 0;
  const recordsOf = (shardId = '') => shards[shardId] ?? [];
  streams.on(DescribeStreamCommand).resolves({
    StreamDescription: { Shards: Object.keys(shards).map((ShardId) => ({ ShardId })) },
  });
  streams
    .on(GetShardIteratorCommand)
    .callsFake(async ({ ShardId, ShardIteratorType, SequenceNumber }) => {
      let position = horizon;
      if (ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
        const index = recordsOf(ShardId).findIndex(
          (r) => r.dynamodb?.SequenceNumber === SequenceNumber,
        );
        if (index < horizon) throw trimmed();
        position = index + 1;
      }
      return { ShardIterator: `${ShardId}@${position}@${epoch}` };
    });
  streams.on(GetRecordsCommand).callsFake(async ({ ShardIterator = '' }) => {
    const [shardId, position, issued] = ShardIterator.split('@');
    if (Number(issued) < epoch) throw failure();
    if (Number(position) < horizon) throw trimmed();
    const records = recordsOf(shardId);
    return {
      Records: records.slice(Number(position)),
      NextShardIterator: `${shardId}@${records.length}@${issued}`,
    };
  });
  return {
    invalidate(error: () => Error) {
      failure = error;
      epoch += 1;
    },
    trim(count: number) {
      horizon = count;
    },
  };
}

const logs: string[] = [];
const batches: string[][] = [];
let poller: StreamPoller | undefined;

/** Starts a poller whose consumer keeps each batch's sequence numbers; its first poll runs now. */
async function startPoller(consume = async (_event: DynamoDBStreamEvent) => {}) {
  poller = startStreamPoller(
    'http://127.0.0.1:8000',
    STREAM_ARN,
    async (event) => {
      await consume(event);
      batches.push(event.Records.map((record) => record.dynamodb?.SequenceNumber ?? ''));
    },
    { log: (line) => logs.push(line) },
  );
  await jest.advanceTimersByTimeAsync(0);
}

/** Lets the poller run `count` more rounds. */
const rounds = (count: number) => jest.advanceTimersByTimeAsync(count * POLL_MS);

const sequencesOf = (records: StreamRecord[]) =>
  records.map((record) => record.dynamodb?.SequenceNumber);

beforeEach(() => {
  streams.reset();
  jest.useFakeTimers();
  logs.length = 0;
  batches.length = 0;
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  jest.useRealTimers();
});

describe('startStreamPoller', () => {
  it.each([
    ['ExpiredIteratorException', expired],
    ['TrimmedDataAccessException', trimmed],
  ])(
    'after %s reads on from AFTER_SEQUENCE_NUMBER of the last record consumed',
    async (name, error) => {
      const records = [voteRecord(1), voteRecord(2)];
      const stream = fakeStream({ [SHARD_A]: records });
      await startPoller();
      records.push(voteRecord(3));
      stream.invalidate(error);
      await rounds(2);

      expect(streams).toHaveReceivedCommandWith(GetShardIteratorCommand, {
        ShardId: SHARD_A,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: records[1]?.dynamodb?.SequenceNumber,
      });
      expect(batches).toEqual([sequencesOf(records.slice(0, 2)), sequencesOf(records.slice(2))]);
      expect(logs).toEqual([
        `stream poller: shard ${SHARD_A} failed with ${name}; retrying`,
        `stream poller: shard ${SHARD_A} recovered`,
      ]);
    },
  );

  it('after TrimmedDataAccessException with nothing consumed starts again at TRIM_HORIZON', async () => {
    const records: StreamRecord[] = [];
    const stream = fakeStream({ [SHARD_A]: records });
    await startPoller();
    records.push(voteRecord(1));
    stream.invalidate(trimmed);
    await rounds(2);

    expect(streams).toHaveReceivedCommandTimes(GetShardIteratorCommand, 2);
    expect(streams).not.toHaveReceivedCommandWith(GetShardIteratorCommand, {
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
    });
    expect(batches).toEqual([sequencesOf(records)]);
  });

  it('starts at TRIM_HORIZON when the last record consumed has been trimmed', async () => {
    const records = [voteRecord(1), voteRecord(2)];
    const stream = fakeStream({ [SHARD_A]: records });
    await startPoller();
    records.push(voteRecord(3), voteRecord(4));
    stream.trim(3);
    await rounds(2);

    expect(streams).toHaveReceivedNthSpecificCommandWith(2, GetShardIteratorCommand, {
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      SequenceNumber: records[1]?.dynamodb?.SequenceNumber,
    });
    expect(streams).toHaveReceivedNthSpecificCommandWith(3, GetShardIteratorCommand, {
      ShardId: SHARD_A,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    expect(batches).toEqual([sequencesOf(records.slice(0, 2)), sequencesOf(records.slice(3))]);
  });

  it('keeps polling the other shards while one fails', async () => {
    const poisoned = voteRecord(1);
    const recordsOfB = [voteRecord(2)];
    fakeStream({ [SHARD_A]: [poisoned], [SHARD_B]: recordsOfB });
    await startPoller(async (event) => {
      if (
        sequencesOf(event.Records as StreamRecord[]).includes(poisoned.dynamodb?.SequenceNumber)
      ) {
        throw new Error('tally failed');
      }
    });
    recordsOfB.push(voteRecord(3));
    await rounds(1);

    expect(batches).toEqual([
      sequencesOf(recordsOfB.slice(0, 1)),
      sequencesOf(recordsOfB.slice(1)),
    ]);
  });

  it('keeps polling known shards while DescribeStream fails', async () => {
    const records = [voteRecord(1)];
    fakeStream({ [SHARD_A]: records });
    await startPoller();
    streams
      .on(DescribeStreamCommand)
      .rejects(new InternalServerError({ message: 'Boom', $metadata }));
    records.push(voteRecord(2));
    await rounds(1);

    expect(batches).toEqual([sequencesOf(records.slice(0, 1)), sequencesOf(records.slice(1))]);
    expect(logs).toEqual(['stream poller: stream failed with InternalServerError; retrying']);
  });

  it('retries a failed batch with the same records, logging the failure once and the recovery', async () => {
    const records = [voteRecord(1), voteRecord(2)];
    fakeStream({ [SHARD_A]: records });
    const offered: StreamRecord[][] = [];
    let failures = 3;
    await startPoller(async (event) => {
      offered.push(event.Records as StreamRecord[]);
      if (failures-- > 0) throw new TypeError('tally failed');
    });
    await rounds(3);

    expect(offered).toEqual([records, records, records, records]);
    expect(batches).toEqual([sequencesOf(records)]);
    expect(logs).toEqual([
      `stream poller: shard ${SHARD_A} failed with TypeError; retrying`,
      `stream poller: shard ${SHARD_A} recovered`,
    ]);
  });

  it('logs no record data, not even from an error message that carries it', async () => {
    fakeStream({ [SHARD_A]: [voteRecord(1)] });
    await startPoller(async (event) => {
      const failure = new Error(`cannot tally ${JSON.stringify(event.Records[0]?.dynamodb)}`);
      failure.name = 'TallyError';
      throw failure;
    });

    expect(logs).toEqual([`stream poller: shard ${SHARD_A} failed with TallyError; retrying`]);
    expect(logs.join('\n')).not.toMatch(/VOTE#|ARTICLE#|h4sh0f|cannot tally/);
  });
});
