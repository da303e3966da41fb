/**
 * The local server reads the table's stream once and gives each consumer the records its
 * deployed event source mapping's filter lets through (lib/reaction-tally.ts, lib/delivery-pipeline.ts):
 * the tally votes, likes and every change of a comment, the mail dispatcher only comments' and
 * reports' inserts and changes.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { fanOut } from '../../../bin/local/stream-poller';
import { mailWants, tallyWants } from '../../../lambda/store/stream-filters';

const record = (
  eventID: string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  PK: string,
  SK: string,
) =>
  ({ eventID, eventName, dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } } }) as DynamoDBRecord;

const COMMENT_SK = 'COMMENT#2026-12-01T00:00:00.000Z#01KB';
const VOTE = record('vote', 'INSERT', 'VOTE#v1', 'ARTICLE#a1');
const VOTE_GONE = record('vote-gone', 'REMOVE', 'VOTE#v1', 'ARTICLE#a1');
const COMMENT = record('comment', 'INSERT', 'ARTICLE#a1', COMMENT_SK);
const COMMENT_CHANGED = record('comment-changed', 'MODIFY', 'ARTICLE#a1', COMMENT_SK);
const COMMENT_GONE = record('comment-gone', 'REMOVE', 'ARTICLE#a1', COMMENT_SK);
const SHARD = record('shard', 'MODIFY', 'REACTIONS#a1#3', 'COUNTS');
const WINDOW = record('window', 'INSERT', 'CLIENT#c1', 'RATE#comment#minute#2026-12-01T00:00');
const LIKE = record('like', 'INSERT', 'LIKE#v1', 'LIKED#01KB');
const LIKE_SHARD = record('like-shard', 'MODIFY', 'LIKES#01KB#3', 'COUNTS');
const SIGNALS = record('signals', 'MODIFY', 'SIGNALS#01KB', 'COMMENT');
const REPORT = record('report', 'INSERT', 'REPORTS#01KB', 'REPORT#r1');
const REPORT_DECIDED = record('report-decided', 'MODIFY', 'REPORTS#01KB', 'REPORT#r1');
const ALL = [
  VOTE,
  VOTE_GONE,
  COMMENT,
  COMMENT_CHANGED,
  COMMENT_GONE,
  SHARD,
  WINDOW,
  LIKE,
  LIKE_SHARD,
  SIGNALS,
  REPORT,
  REPORT_DECIDED,
];
/** What the tally is given of ALL. */
const TALLIED = ['vote', 'vote-gone', 'comment', 'comment-changed', 'comment-gone', 'like'];

describe('stream filters', () => {
  it('gives the tally votes, likes and every change of a comment, and nothing else', () => {
    expect(ALL.filter(tallyWants)).toEqual([
      VOTE,
      VOTE_GONE,
      COMMENT,
      COMMENT_CHANGED,
      COMMENT_GONE,
      LIKE,
    ]);
  });

  it('gives the mail dispatcher comments and reports inserted or changed, not removed', () => {
    expect(ALL.filter(mailWants)).toEqual([COMMENT, COMMENT_CHANGED, REPORT, REPORT_DECIDED]);
  });
});

/** A consumer that records what it is given, failing while `failing` says so. */
function consumer(name: string, wants: (record: DynamoDBRecord) => boolean) {
  const given: string[][] = [];
  const state = { failing: false };
  return {
    given,
    state,
    consumer: {
      name,
      wants,
      retryAttempts: 2,
      consume: async (event: DynamoDBStreamEvent) => {
        if (state.failing) throw new TypeError('consumer down');
        given.push(event.Records.map((record) => record.eventID ?? ''));
      },
    },
  };
}

const batch = (...records: DynamoDBRecord[]) => ({ Records: records }) as DynamoDBStreamEvent;

describe('fanOut', () => {
  it('hands each consumer its records, in order, and skips one with none', async () => {
    const tally = consumer('tally', tallyWants);
    const mail = consumer('mail', mailWants);
    const consume = fanOut([tally.consumer, mail.consumer]);
    await consume(batch(...ALL));
    await consume(batch(SHARD, WINDOW));
    expect(tally.given).toEqual([TALLIED]);
    expect(mail.given).toEqual([['comment', 'comment-changed', 'report', 'report-decided']]);
  });

  it('offers a failed batch again only to the consumer that failed it', async () => {
    const tally = consumer('tally', tallyWants);
    const mail = consumer('mail', mailWants);
    const consume = fanOut([tally.consumer, mail.consumer]);
    tally.state.failing = true;
    await expect(consume(batch(...ALL))).rejects.toThrow('consumer down');
    tally.state.failing = false;
    // The poller offers the same records again, with whatever came since.
    const next = { ...COMMENT, eventID: 'comment-2' };
    await consume(batch(...ALL, next));
    expect(tally.given).toEqual([[...TALLIED, 'comment-2']]);
    expect(mail.given).toEqual([
      ['comment', 'comment-changed', 'report', 'report-decided'],
      ['comment-2'],
    ]);
    // Past the batch, everything is new again to everyone.
    await consume(batch({ ...VOTE, eventID: 'vote-2' }));
    expect(tally.given).toEqual([[...TALLIED, 'comment-2'], ['vote-2']]);
  });

  it('sets a batch aside after its retries, logged, so the other consumer goes on', async () => {
    const tally = consumer('tally', tallyWants);
    const mail = consumer('mail', mailWants);
    const logged: string[] = [];
    const consume = fanOut([tally.consumer, mail.consumer], (line) => logged.push(line));
    mail.state.failing = true;
    // The first try and the first retry fail the batch; the last retry failing sets it aside.
    for (let offer = 0; offer < 2; offer++) {
      await expect(consume(batch(...ALL))).rejects.toThrow('consumer down');
    }
    expect(logged).toEqual([]);
    await consume(batch(...ALL));
    expect(logged).toEqual([
      'stream poller: mail failed 3 times (TypeError); 4 record(s) set aside',
    ]);
    expect(tally.given).toEqual([TALLIED]);
    mail.state.failing = false;
    await consume(batch({ ...COMMENT, eventID: 'comment-3' }));
    expect(mail.given).toEqual([['comment-3']]);
  });
});
