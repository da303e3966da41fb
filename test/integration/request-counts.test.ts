/**
 * The number of DynamoDB requests each route makes, counted by an SDK middleware on the real
 * handlers against DynamoDB Local: the same calls `npm run bench` prices. Every public read is
 * one request; a comment is one read (the gate's) and one transaction. A change that adds a
 * round trip fails here.
 */
import type { SignalsStore } from '../../lambda/domain/signals';
import { apiCalls, seed } from '../bench/api-calls';
import { type Meter, meterClient, runtimeOnClient } from '../bench/dynamodb-meter';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable, testSettings } from '../support/dynamodb';
import { captureLogs } from '../support/logs';

/** Seeding posts over 200 comments to one local engine. */
jest.setTimeout(60_000);

/**
 * The DynamoDB operations each call makes, in order. A reaction write reads the visitor's vote
 * and the counters (one eventually consistent BatchGetItem) before its transaction
 * (lambda/domain/reactions.ts setReaction), so it is two requests. A repeat of the same reaction
 * writes nothing, but a stale read could say so wrongly, so it confirms the vote with one
 * strongly consistent read (a second BatchGetItem) before answering.
 */
const EXPECTED: Record<string, string[]> = {
  'thread of an article view': ['Query'],
  // Index byTop holds the article's first stats item with its comments: one Query too.
  'thread in the Top order': ['Query'],
  // A like reads the comment's signals, the voter's like and the shards in one batch.
  'like a comment': ['BatchGetItem', 'TransactWriteItems'],
  'take a like back': ['BatchGetItem', 'TransactWriteItems'],
  'list 50 comments, first page': ['Query'],
  'list 50 comments, cursor page': ['Query'],
  // The gate's one read (a BatchGetItem of the article's settings and the commenter's state),
  // then the one transaction.
  'post a comment': ['BatchGetItem', 'TransactWriteItems'],
  'post a reply': ['BatchGetItem', 'TransactWriteItems'],
  'first reaction': ['BatchGetItem', 'TransactWriteItems'],
  'reaction switch': ['BatchGetItem', 'TransactWriteItems'],
  'same reaction again': ['BatchGetItem', 'BatchGetItem'],
  'withdraw a reaction': ['BatchGetItem', 'TransactWriteItems'],
  'GET reactions with visitorId': ['BatchGetItem'],
  'GET /counts for 100 articles': ['BatchGetItem'],
  'GET /config': [],
};

let table: TestTable;
let meter: Meter;
let api: Api;
let signals: SignalsStore;

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('request-counts');
  // Every repository on the metered client (moderation policy none: a comment is published
  // in its one transaction).
  meter = meterClient(table.documentClient);
  const runtime = runtimeOnClient(
    { ...table.env, TALKBACK_SETTINGS: testSettings() },
    table.documentClient,
  );
  api = createApi(runtime);
  signals = runtime.areas.signals;
  await seed(api);
});
afterAll(async () => table.drop());

describe('DynamoDB requests per API call', () => {
  it('covers every call the benchmark prices', () => {
    expect(
      apiCalls(api, signals)
        .map((call) => call.name)
        .sort(),
    ).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s makes %j', async (name, operations) => {
    const call = apiCalls(api, signals).find((candidate) => candidate.name === name);
    if (!call) throw new Error(`no call named ${name}`);
    await call.prepare?.();
    meter.reset();
    const response = await call.run();
    expect(response.status).toBe(call.status);
    expect(meter.calls.map((made) => made.command)).toEqual(operations);
    // One HTTP request per operation: no retry hid a failed attempt.
    expect(meter.totals().requests).toBe(operations.length);
    // The target for public reads, whatever the table above says.
    if (call.kind === 'read') expect(meter.totals().requests).toBeLessThanOrEqual(1);
  });
});
