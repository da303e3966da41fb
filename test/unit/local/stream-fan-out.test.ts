/**
 * The local server reads the table's stream once and gives each consumer the records its
 * deployed event source mapping's filter lets through (lib/reaction-tally.ts, lib/talkback-mail.ts):
 * the tally only votes, the mail dispatcher only comments' inserts and changes.
 */
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { fanOut } from '../../../bin/local/stream-poller';
import { mailWants, tallyWants } from '../../../lambda/store/stream-filters';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', PK: string, SK: string) =>
  ({ eventName, dynamodb: { Keys: { PK: { S: PK }, SK: { S: SK } } } }) as DynamoDBRecord;

const VOTE = record('INSERT', 'VOTE#v1', 'ARTICLE#a1');
const VOTE_GONE = record('REMOVE', 'VOTE#v1', 'ARTICLE#a1');
const COMMENT = record('INSERT', 'ARTICLE#a1', 'COMMENT#2026-12-01T00:00:00.000Z#01KB');
const COMMENT_CHANGED = record('MODIFY', 'ARTICLE#a1', 'COMMENT#2026-12-01T00:00:00.000Z#01KB');
const COMMENT_GONE = record('REMOVE', 'ARTICLE#a1', 'COMMENT#2026-12-01T00:00:00.000Z#01KB');
const SHARD = record('MODIFY', 'REACTIONS#a1#3', 'COUNTS');
const WINDOW = record('INSERT', 'CLIENT#c1', 'RATE#comment#minute#2026-12-01T00:00');
const ALL = [VOTE, VOTE_GONE, COMMENT, COMMENT_CHANGED, COMMENT_GONE, SHARD, WINDOW];

describe('stream filters', () => {
  it('gives the tally every vote record and nothing else', () => {
    expect(ALL.filter(tallyWants)).toEqual([VOTE, VOTE_GONE]);
  });

  it('gives the mail dispatcher comments inserted or changed, not removed', () => {
    expect(ALL.filter(mailWants)).toEqual([COMMENT, COMMENT_CHANGED]);
  });
});

describe('fanOut', () => {
  it('hands each consumer its records, in order, and skips one with none', async () => {
    const seen: Record<string, DynamoDBRecord[][]> = { tally: [], mail: [] };
    const consume = fanOut([
      { wants: tallyWants, consume: async (event) => void seen.tally?.push(event.Records) },
      { wants: mailWants, consume: async (event) => void seen.mail?.push(event.Records) },
    ]);
    await consume({ Records: ALL } as DynamoDBStreamEvent);
    await consume({ Records: [SHARD, WINDOW] } as DynamoDBStreamEvent);
    expect(seen).toEqual({ tally: [[VOTE, VOTE_GONE]], mail: [[COMMENT, COMMENT_CHANGED]] });
  });

  it('fails the batch when a consumer fails, after giving the others theirs', async () => {
    const mail: DynamoDBRecord[][] = [];
    const consume = fanOut([
      { wants: tallyWants, consume: async () => Promise.reject(new Error('tally down')) },
      { wants: mailWants, consume: async (event) => void mail.push(event.Records) },
    ]);
    await expect(consume({ Records: ALL } as DynamoDBStreamEvent)).rejects.toThrow('tally down');
    expect(mail).toEqual([[COMMENT, COMMENT_CHANGED]]);
  });
});
