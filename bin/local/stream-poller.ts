/**
 * Plays Lambda's part for the table's stream on the local server: reads DynamoDB Local's stream
 * and hands each batch of records to the tally handler, as the deployed event source mapping
 * does. Polls every shard a few times a second; a failed batch is retried from the same place.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPoller {
  stop(): Promise<void>;
}

const POLL_MS = 200;

export function startStreamPoller(
  endpoint: string,
  streamArn: string,
  consume: (event: DynamoDBStreamEvent) => Promise<void>,
): StreamPoller {
  const client = new DynamoDBStreamsClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const iterators = new Map<string, string | undefined>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const refreshShards = async () => {
    const description = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, iterator.ShardIterator);
    }
  };

  const pollOnce = async () => {
    await refreshShards();
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
      );
      const records = page.Records ?? [];
      if (records.length > 0) {
        await consume({ Records: records as DynamoDBStreamEvent['Records'] & StreamRecord[] });
      }
      iterators.set(shardId, page.NextShardIterator);
    }
  };

  const loop = () => {
    if (stopped) return;
    running = pollOnce()
      .catch(() => {
        // Leave the iterators where they were: the same records are offered again next time.
      })
      .finally(() => {
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
