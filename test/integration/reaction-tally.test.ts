/**
 * The article's reaction total that GET /counts reads is no longer written by votes: a vote
 * changes its vote item and the visitor's counter shard, and the table's stream asks for a tally
 * that sums the shards (ReactionRepository.tally). On AWS the stream runs the tally-reactions
 * function; locally bin/local/stream-poller.ts plays Lambda's part. All of it on DynamoDB Local.
 */

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { tableStreamArn } from '../../bin/local/bootstrap';
import { createLowLevelClient } from '../../bin/local/clients';
import { type StreamPoller, startStreamPoller } from '../../bin/local/stream-poller';
import { visitorHash } from '../../lambda/domain/reactions';
import type { TallyStore } from '../../lambda/domain/tally';
import { createHandler } from '../../lambda/handlers/tally-reactions';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { ReactionRepository } from '../../lambda/store/reaction-repository';
import { type Api, createApi } from '../support/api';
import type { Counts, Reactions } from '../support/contract';
import { createTestTable, localEndpoint, type TestTable } from '../support/dynamodb';
import { startLocalProcess } from '../support/local-process';
import { captureLogs } from '../support/logs';
import { pollUntil } from '../support/poll';
import {
  gate,
  interceptedClient,
  REACTION_KEYS,
  type SentCommand,
  storedReactions,
} from '../support/reaction-items';

// Hundreds of requests to one shared local engine, and one test starts the local server.
jest.setTimeout(120_000);

let table: TestTable;
let runtime: Runtime;
let api: Api;
let streamArn: string;
/** The runtime's clock: a test moves it to show whether a tally wrote (updatedAt) or not. */
let now = Date.parse('2026-11-26T22:00:00.000Z');

const visitor = (n: number) => `tally-visitor-${String(n).padStart(8, '0')}`;

async function vote(articleId: string, n: number, reaction: string | null): Promise<void> {
  const response =
    reaction === null
      ? await api('DELETE', `/articles/${articleId}/reactions`, {
          query: { visitorId: visitor(n) },
        })
      : await api('PUT', `/articles/${articleId}/reactions`, {
          body: { visitorId: visitor(n), reaction },
        });
  expect(response.status).toBe(200);
}

async function countsOf(articleId: string) {
  const response = await api('GET', '/counts', { query: { articles: articleId } });
  return (response.json as unknown as Counts).articles[articleId];
}

/** A tally store that records which articles it was asked to tally, then tallies them. */
function recordingTally(store: TallyStore): TallyStore & { tallied: string[] } {
  const tallied: string[] = [];
  return {
    tallied,
    async tally(articleId) {
      tallied.push(articleId);
      await store.tally(articleId);
    },
  };
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('reaction-tally');
  // The default settings: 16 counter shards per article.
  runtime = table.runtime({}, { clock: () => now });
  api = createApi(runtime);
  const admin = createLowLevelClient(localEndpoint());
  streamArn = await tableStreamArn(admin, table.tableName);
  admin.destroy();
});
afterAll(async () => table.drop());

describe('ReactionRepository.tally', () => {
  it('sums every one of the 16 counter shards into the article’s count item', async () => {
    expect(runtime.settings.reactionShards).toBe(16);
    // Known counts in each shard, and a neighbour article whose shards must not be counted.
    for (const [articleId, happy] of [
      ['seeded', (n: number) => n + 1],
      ['seeded-x', () => 1000],
    ] as const) {
      for (let shard = 0; shard < 16; shard++) {
        await table.documentClient.send(
          new PutCommand({
            TableName: table.tableName,
            Item: {
              PK: `REACTIONS#${articleId}#${shard}`,
              SK: 'COUNTS',
              entity: 'ReactionCounts',
              articleId,
              shard,
              happy: happy(shard),
              silly: shard % 2,
              writes: happy(shard) + (shard % 2),
            },
          }),
        );
      }
    }
    await runtime.areas.tally.tally('seeded');
    // happy 1+2+...+16 = 136, silly 8: every shard, 0 to 15, is in the sum.
    expect((await storedReactions(table, 'seeded')).stats).toMatchObject({
      entity: 'ArticleStats',
      articleId: 'seeded',
      reactionTotal: 144,
      reactionWrites: 144,
    });
    expect(await countsOf('seeded')).toEqual({ commentCount: 0, reactionTotal: 144 });
  });

  it('sums the shards that real votes reached', async () => {
    for (let n = 0; n < 40; n++) await vote('voted', n, REACTION_KEYS[n % 5] as string);
    const before = await storedReactions(table, 'voted');
    expect(before.shards.length).toBeGreaterThan(8);
    expect(before.shardTotal).toBe(40);
    expect(before.stats).toBeUndefined();
    await runtime.areas.tally.tally('voted');
    expect((await storedReactions(table, 'voted')).stats).toMatchObject({
      reactionTotal: 40,
      reactionWrites: before.shardWrites,
    });
    expect(before.shardWrites).toBe(40);
  });

  it('replaces an earlier tally with a later one, also when the total went down', async () => {
    for (let n = 0; n < 5; n++) await vote('later', n, 'happy');
    await runtime.areas.tally.tally('later');
    expect((await storedReactions(table, 'later')).stats).toMatchObject({
      reactionTotal: 5,
      reactionWrites: 5,
    });
    await vote('later', 0, null);
    await vote('later', 1, null);
    await vote('later', 2, 'silly');
    await runtime.areas.tally.tally('later');
    expect((await storedReactions(table, 'later')).stats).toMatchObject({
      reactionTotal: 3,
      reactionWrites: 8,
    });
    expect(await countsOf('later')).toEqual({ commentCount: 0, reactionTotal: 3 });
  });

  it('never replaces a newer tally with an older one that finishes last', async () => {
    for (let n = 0; n < 3; n++) await vote('interleaved', n, 'happy');
    // A tally that has read the shards (3 writes) and is held back before it stores its total.
    const reachedUpdate = gate();
    const release = gate();
    const held: SentCommand[] = [];
    const slow = new ReactionRepository(
      interceptedClient(table.documentClient, async (command) => {
        if (command.name !== 'UpdateCommand') return;
        held.push(command);
        reachedUpdate.open();
        await release.opened;
      }),
      table.tableName,
      runtime.settings,
    );
    const older = slow.tally('interleaved');
    await reachedUpdate.opened;

    // Meanwhile two more votes, and their tally lands first.
    await vote('interleaved', 3, 'silly');
    await vote('interleaved', 4, 'silly');
    await runtime.areas.tally.tally('interleaved');
    const newer = (await storedReactions(table, 'interleaved')).stats;
    expect(newer).toMatchObject({ reactionTotal: 5, reactionWrites: 5 });

    release.open();
    await expect(older).resolves.toBeUndefined();
    // The held tally really did try to store its older figures...
    // (one update for each of the article's two stats items, the thread reads either end)...
    expect(held.map((command) => command.input.Key)).toEqual([
      keys.statsHead('interleaved'),
      keys.statsTail('interleaved'),
    ]);
    for (const command of held) {
      expect(command.input.ExpressionAttributeValues).toMatchObject({ ':total': 3, ':writes': 3 });
    }
    // ...and the newer tally is still what is stored.
    expect((await storedReactions(table, 'interleaved')).stats).toEqual(newer);
    expect(await countsOf('interleaved')).toEqual({ commentCount: 0, reactionTotal: 5 });
  });

  it('changes nothing when the same tally runs again, one after another or at once', async () => {
    for (let n = 0; n < 4; n++) await vote('twice', n, n < 2 ? 'happy' : 'in-love');
    await runtime.areas.tally.tally('twice');
    const items = await table.scanAll();
    const first = (await storedReactions(table, 'twice')).stats;
    expect(first).toMatchObject({ reactionTotal: 4, reactionWrites: 4 });

    // Later, as a redelivered stream batch would be: a write now would change updatedAt.
    now += 60_000;
    await runtime.areas.tally.tally('twice');
    await Promise.all([1, 2, 3].map(() => runtime.areas.tally.tally('twice')));
    expect(await table.scanAll()).toEqual(items);
  });
});

describe('the tally-reactions stream handler', () => {
  let sequence = 100_000_000_000_000_000_000n;

  /** A record as Lambda delivers it from this table's KEYS_ONLY stream. */
  function streamRecord(
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    key: { PK: string; SK: string },
  ): DynamoDBRecord {
    sequence += 1_000_000n;
    return {
      eventID: sequence.toString(16).padStart(32, '0'),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-1',
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(now / 1000),
        Keys: { PK: { S: key.PK }, SK: { S: key.SK } },
        SequenceNumber: sequence.toString(),
        SizeBytes: key.PK.length + key.SK.length + 10,
        StreamViewType: 'KEYS_ONLY',
      },
      eventSourceARN: streamArn,
    };
  }

  it('tallies each article voted on in the batch once, and ignores every other record', async () => {
    // stream-a: three first votes, a switch and a withdrawal; stream-b: a vote and a comment;
    // stream-c: votes whose own records are not in this batch (only its shard's record is).
    for (let n = 0; n < 3; n++) await vote('stream-a', n, 'happy');
    await vote('stream-a', 1, 'silly');
    await vote('stream-a', 2, null);
    await vote('stream-b', 7, 'excited');
    const posted = await api('POST', '/articles/stream-b/comments', {
      body: { name: 'Ada', email: 'ada@example.com', body: 'A comment.' },
    });
    expect(posted.status).toBe(201);
    await vote('stream-c', 8, 'happy');

    const items = (await table.scanAll()) as { PK: string; SK: string; articleId?: string }[];
    const keyOf = (item: { PK: string; SK: string }) => ({ PK: item.PK, SK: item.SK });
    const ofArticle = (articleId: string, entity: string) =>
      items.filter(
        (item) => item.articleId === articleId && (item as { entity?: string }).entity === entity,
      );
    const voteKey = (articleId: string, n: number) => ({
      PK: `VOTE#${visitorHash(runtime.hasher, visitor(n))}`,
      SK: `ARTICLE#${articleId}`,
    });
    const [shardA] = ofArticle('stream-a', 'ReactionCounts');
    const [shardC] = ofArticle('stream-c', 'ReactionCounts');
    const [comment] = ofArticle('stream-b', 'Comment');
    const rateWindow = items.find((item) => item.PK.startsWith('CLIENT#'));
    if (!shardA || !shardC || !comment || !rateWindow) throw new Error('seeding went wrong');
    expect(ofArticle('stream-a', 'Vote')).toHaveLength(2);

    const event: DynamoDBStreamEvent = {
      Records: [
        streamRecord('INSERT', voteKey('stream-a', 0)),
        streamRecord('MODIFY', keyOf(shardA)),
        streamRecord('INSERT', keyOf(rateWindow)),
        streamRecord('INSERT', voteKey('stream-a', 1)),
        streamRecord('INSERT', voteKey('stream-b', 7)),
        streamRecord('INSERT', voteKey('stream-a', 2)),
        streamRecord('MODIFY', voteKey('stream-a', 1)),
        streamRecord('INSERT', keyOf(comment)),
        streamRecord('INSERT', { PK: 'ARTICLE#stream-b', SK: 'COMMENT#!COUNT' }),
        streamRecord('INSERT', { PK: 'ARTICLE#stream-b', SK: 'COMMENT#~COUNT' }),
        streamRecord('REMOVE', voteKey('stream-a', 2)),
        streamRecord('MODIFY', keyOf(shardC)),
        streamRecord('MODIFY', { PK: 'ARTICLE#stream-c', SK: 'COMMENT#!COUNT' }),
      ],
    };
    const tally = recordingTally(runtime.areas.tally);
    await createHandler({ areas: { tally, signals: runtime.areas.signals } })(event);

    expect(tally.tallied.sort()).toEqual(['stream-a', 'stream-b']);
    expect((await storedReactions(table, 'stream-a')).stats).toMatchObject({
      reactionTotal: 2,
      reactionWrites: 5,
    });
    expect((await storedReactions(table, 'stream-b')).stats).toMatchObject({
      commentCount: 1,
      reactionTotal: 1,
      reactionWrites: 1,
    });
    // Its shard changed, but none of its votes is in the batch: not tallied, nothing written.
    expect((await storedReactions(table, 'stream-c')).stats).toBeUndefined();

    // Lambda delivers a batch again after a failure: the second delivery writes nothing.
    const before = await table.scanAll();
    now += 60_000;
    await createHandler({ areas: { tally: runtime.areas.tally, signals: runtime.areas.signals } })(
      event,
    );
    expect(await table.scanAll()).toEqual(before);
  });
});

describe('the local stream poller on the test table’s stream', () => {
  const pollers: StreamPoller[] = [];
  const startPoller = (consume: (event: DynamoDBStreamEvent) => Promise<void>) => {
    const poller = startStreamPoller(localEndpoint(), streamArn, consume);
    pollers.push(poller);
    return poller;
  };
  afterAll(async () => {
    await Promise.all(pollers.map((poller) => poller.stop()));
  });

  /** A consumer that keeps every record's keys, as `PK SK` strings. */
  function collector() {
    const keys: string[] = [];
    const records: DynamoDBRecord[] = [];
    let batches = 0;
    return {
      keys,
      records,
      get batches() {
        return batches;
      },
      consume: async (event: DynamoDBStreamEvent) => {
        batches += 1;
        for (const record of event.Records) {
          records.push(record);
          keys.push(`${record.dynamodb?.Keys?.PK?.S} ${record.dynamodb?.Keys?.SK?.S}`);
        }
      },
    };
  }
  const voteKeyText = (articleId: string, n: number) =>
    `VOTE#${visitorHash(runtime.hasher, visitor(n))} ARTICLE#${articleId}`;

  it('delivers the keys-only records of new votes to its consumer', async () => {
    const seen = collector();
    const poller = startPoller(seen.consume);
    await vote('polled', 1, 'happy');
    await vote('polled', 2, 'silly');
    await vote('polled', 1, 'in-love');
    const wanted = [voteKeyText('polled', 1), voteKeyText('polled', 2)];
    await pollUntil(
      async () => seen.keys,
      (keys) => wanted.every((key) => keys.includes(key)),
      { what: 'the stream records of the votes on "polled"' },
    );
    await pollUntil(
      async () => seen.records.filter((record) => record.eventName === 'MODIFY'),
      (modified) =>
        modified.some(
          (record) =>
            `${record.dynamodb?.Keys?.PK?.S} ${record.dynamodb?.Keys?.SK?.S}` === wanted[0],
        ),
      { what: 'the record of the switched vote' },
    );
    await poller.stop();

    const ofFirstVote = seen.records.find(
      (record) =>
        record.eventName === 'INSERT' &&
        `${record.dynamodb?.Keys?.PK?.S} ${record.dynamodb?.Keys?.SK?.S}` === wanted[0],
    );
    expect(ofFirstVote?.dynamodb).toMatchObject({
      Keys: {
        PK: { S: expect.stringMatching(/^VOTE#/) },
        SK: { S: 'ARTICLE#polled' },
      },
      StreamViewType: 'KEYS_ONLY',
    });
    expect(ofFirstVote?.dynamodb?.NewImage).toBeUndefined();
    // Every record of the votes' transactions is there: the shard it touched too.
    expect(seen.keys.some((key) => key.startsWith('REACTIONS#polled#'))).toBe(true);
  });

  it('feeds the tally handler so that /counts catches up with a burst of votes', async () => {
    const tally = recordingTally(runtime.areas.tally);
    const poller = startPoller(createHandler({ areas: { tally, signals: runtime.areas.signals } }));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        api('PUT', '/articles/burst-in-process/reactions', {
          body: { visitorId: visitor(1000 + n), reaction: REACTION_KEYS[n % 5] },
        }),
      ),
    );
    expect(results.map((response) => response.status)).toEqual(Array(60).fill(200));
    const counts = await pollUntil(
      () => countsOf('burst-in-process'),
      (value) => value?.reactionTotal === 60,
      { what: 'the tallied total of "burst-in-process"' },
    );
    expect(counts).toEqual({ commentCount: 0, reactionTotal: 60 });
    expect(tally.tallied).toContain('burst-in-process');
    const stored = await storedReactions(table, 'burst-in-process');
    expect(stored.stats).toMatchObject({ reactionTotal: 60, reactionWrites: stored.shardWrites });
    await poller.stop();
  });

  it('stops cleanly: finishes the batch in hand, then delivers nothing more', async () => {
    const entered = gate();
    const release = gate();
    const seen = collector();
    const poller = startPoller(async (event) => {
      entered.open();
      await release.opened;
      await seen.consume(event);
    });
    await vote('stopping', 1, 'happy');
    await entered.opened;

    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    // While the consumer still holds its batch, stop() has not returned.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(stopped).toBe(true);
    // The poll in hand may hand over more than one batch (one per stream shard) before it ends.
    const batches = seen.batches;
    expect(batches).toBeGreaterThanOrEqual(1);

    // A second poller, from the start of the stream, sees two later votes one after the other:
    // in that time the stopped poller, were it still polling, would have seen them too.
    const control = collector();
    startPoller(control.consume);
    for (const n of [2, 3]) {
      await vote('stopping', n, 'happy');
      await pollUntil(
        async () => control.keys,
        (keys) => keys.includes(voteKeyText('stopping', n)),
        { what: `the record of vote ${n} on "stopping"` },
      );
    }
    expect(seen.batches).toBe(batches);
    expect(seen.keys).not.toContain(voteKeyText('stopping', 2));
    expect(seen.keys).not.toContain(voteKeyText('stopping', 3));
  });
});

describe('the local server', () => {
  it('tallies a burst of votes from its stream until /counts shows the exact total', async () => {
    const local = await startLocalProcess();
    try {
      const put = (n: number, reaction: string) =>
        fetch(`${local.url}/articles/burst/reactions`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ visitorId: visitor(n), reaction }),
        });
      const counts = async () => {
        const response = await fetch(`${local.url}/counts?articles=burst`);
        return ((await response.json()) as Counts).articles.burst;
      };
      // 200 votes from 200 visitors, 20 in flight.
      let next = 0;
      const statuses: number[] = [];
      const worker = async () => {
        while (next < 200) {
          const n = next++;
          statuses.push((await put(n, REACTION_KEYS[n % 5] as string)).status);
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      expect(statuses).toEqual(Array(200).fill(200));
      expect(
        await pollUntil(counts, (value) => value?.reactionTotal === 200, {
          what: 'the tallied total of "burst" after 200 votes',
        }),
      ).toEqual({ commentCount: 0, reactionTotal: 200 });

      // Then 50 of them withdraw at once: the total follows down.
      const withdrawn = await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          fetch(`${local.url}/articles/burst/reactions?visitorId=${visitor(n * 4)}`, {
            method: 'DELETE',
          }),
        ),
      );
      expect(withdrawn.map((response) => response.status)).toEqual(Array(50).fill(200));
      expect(
        await pollUntil(counts, (value) => value?.reactionTotal === 150, {
          what: 'the tallied total of "burst" after 50 withdrawals',
        }),
      ).toEqual({ commentCount: 0, reactionTotal: 150 });
      const view = (await (
        await fetch(`${local.url}/articles/burst/reactions`)
      ).json()) as Reactions;
      expect(view.total).toBe(150);
    } finally {
      await local.stop();
    }
  });
});
