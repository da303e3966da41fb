/**
 * Plays Lambda's part for the table's stream on the local server: reads DynamoDB Local's stream
 * and hands each batch of records to its consumer (on `npm start`, the tally and the mail
 * dispatcher through `fanOut`), as the deployed event source mappings do. Polls every shard a
 * few times a second. As on Lambda, a failed batch is retried from the same place, an expired or
 * trimmed iterator is replaced by one after the last record consumed, and one shard's failure
 * does not hold up the others.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_CREDENTIALS, type LocalCredentials } from './clients';

/** A consumer of the stream, given only the records its filter wants (stream-filters.ts). */
export interface StreamConsumer {
  /** Names it in the log. */
  name: string;
  wants(record: DynamoDBRecord): boolean;
  consume(event: DynamoDBStreamEvent): Promise<void>;
  /** Tries of a batch after the first before it is set aside, as the stack's retryAttempts. */
  retryAttempts: number;
}

/**
 * One reading of the stream for several consumers, each kept apart as its own deployed event
 * source mapping would be: each gets the records of a batch its filter wants (none: not called).
 * When one fails, the batch fails and the poller offers it again, but only to the consumers that
 * have not yet taken it (by record id); one that keeps failing has the records set aside after
 * its retries (logged, as Lambda sends them to the failure queue), so it never holds up the
 * other for long.
 */
export function fanOut(
  consumers: readonly StreamConsumer[],
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): (event: DynamoDBStreamEvent) => Promise<void> {
  const progress = consumers.map(() => ({ taken: new Set<string>(), failures: 0 }));
  return async (event) => {
    const outcomes = await Promise.allSettled(
      consumers.map(async (consumer, index) => {
        const state = progress[index] ?? { taken: new Set<string>(), failures: 0 };
        const records = event.Records.filter(
          (record) => consumer.wants(record) && !state.taken.has(record.eventID ?? ''),
        );
        if (records.length === 0) return;
        try {
          await consumer.consume({ Records: records });
          state.failures = 0;
        } catch (error) {
          state.failures += 1;
          if (state.failures <= consumer.retryAttempts) throw error;
          // Only the error's name: a message can carry a record's keys.
          const name = error instanceof Error ? error.name : typeof error;
          log(
            `stream poller: ${consumer.name} failed ${state.failures} times (${name}); ${records.length} record(s) set aside`,
          );
          state.failures = 0;
        }
        for (const record of records) state.taken.add(record.eventID ?? '');
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    // Every consumer has taken the batch: the poller moves past it, and it is never offered again.
    for (const state of progress) state.taken.clear();
  };
}

export interface StreamPoller {
  stop(): Promise<void>;
}

export interface StreamPollerOptions {
  /** Where a failure, and the recovery after it, is reported; default stderr. */
  log?: (line: string) => void;
  /** The instance's credentials (its database is keyed by them); default LOCAL_CREDENTIALS. */
  credentials?: LocalCredentials;
}

export const POLL_MS = 200;

interface ShardState {
  iterator?: string;
  /** The sequence number of the last record consumed: a fresh iterator starts after it. */
  lastSequence?: string;
  /** The shard is closed and read to its end. */
  done?: boolean;
}

export function startStreamPoller(
  endpoint: string,
  streamArn: string,
  consume: (event: DynamoDBStreamEvent) => Promise<void>,
  {
    log = (line) => process.stderr.write(`${line}\n`),
    credentials = LOCAL_CREDENTIALS,
  }: StreamPollerOptions = {},
): StreamPoller {
  const client = new DynamoDBStreamsClient({ endpoint, region: 'local', credentials });
  const shards = new Map<string, ShardState>();
  /** What is failing now (the stream, or a shard), with the error's name: logged once. */
  const failing = new Map<string, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  /**
   * Runs work, logging when it starts failing and when it recovers rather than on every poll.
   * Only the error's name: a message can carry a record's keys, and the project never logs data.
   */
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
      if (failing.delete(what)) log(`stream poller: ${what} recovered`);
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      if (failing.get(what) !== name) log(`stream poller: ${what} failed with ${name}; retrying`);
      failing.set(what, name);
    }
  };

  const refreshShards = async () => {
    const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (shard.ShardId && !shards.has(shard.ShardId)) shards.set(shard.ShardId, {});
    }
  };

  const iteratorAfter = async (shardId: string, sequence: string | undefined) => {
    const request = (after: string | undefined) =>
      client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
    try {
      return (await request(sequence)).ShardIterator;
    } catch (error) {
      // The record itself has been trimmed: the oldest one left is the next one there is.
      if (sequence && error instanceof TrimmedDataAccessException) {
        return (await request(undefined)).ShardIterator;
      }
      throw error;
    }
  };

  const pollShard = async (shardId: string, shard: ShardState) => {
    shard.iterator ??= await iteratorAfter(shardId, shard.lastSequence);
    const page = await client
      .send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }))
      .catch((error: unknown) => {
        const dead =
          error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException;
        if (dead) shard.iterator = undefined;
        throw error;
      });
    const records = page.Records ?? [];
    if (records.length > 0) {
      // On failure the iterator stays put, so the same records are offered again next time.
      await consume({ Records: records as DynamoDBStreamEvent['Records'] & StreamRecord[] });
      shard.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequence;
    }
    shard.iterator = page.NextShardIterator;
    shard.done = !page.NextShardIterator;
  };

  const pollOnce = async () => {
    await attempt('stream', refreshShards);
    for (const [shardId, shard] of shards) {
      if (!shard.done) await attempt(`shard ${shardId}`, () => pollShard(shardId, shard));
    }
  };

  const loop = () => {
    if (stopped) return;
    running = pollOnce().finally(() => {
      if (!stopped) timer = setTimeout(loop, POLL_MS);
    });
  };
  loop();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      client.destroy();
    },
  };
}
