import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommentRecord } from '../../../lambda/domain/comment';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { ModerationLinkRepository } from '../../../lambda/store/moderation-link-repository';
import { ModerationRepository } from '../../../lambda/store/moderation-repository';
import { ScreenTuningRepository } from '../../../lambda/store/screen-tuning';
import { NOW } from '../fakes';
import { ARTICLE, COMMENT_ID, CREATED_AT, commentRecord, TABLE } from './comment-fixtures';
import { throttling } from './sdk-errors';

const ddb = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
/** 2026-11-26T22:19:00.000Z: the decision's month is 2026-11. */
const AT = new Date(NOW + 3_600_000).toISOString();
const KEY = { PK: `ARTICLE#${ARTICLE}`, SK: `COMMENT#${CREATED_AT}#${COMMENT_ID}` };

beforeEach(() => ddb.reset());

const held = (overrides: Partial<CommentRecord> = {}) =>
  commentRecord({ status: 'pending', holdReasons: ['rule:idiot', 'screen:insults'], ...overrides });

const tuning = (reason: string, outcome: string, n: number, month = '2026-11') => ({
  Update: {
    TableName: TABLE,
    Key: { PK: 'SCREEN#TUNING', SK: `MONTH#${month}#${reason}` },
    UpdateExpression: 'SET #entity = :entity, #month = :month, #reason = :reason ADD #outcome :n',
    ExpressionAttributeNames: {
      '#entity': 'entity',
      '#month': 'month',
      '#reason': 'reason',
      '#outcome': outcome,
    },
    ExpressionAttributeValues: {
      ':entity': 'ScreenTuning',
      ':month': month,
      ':reason': reason,
      ':n': n,
    },
  },
});

const transaction = () =>
  ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

describe('the screen’s tuning counts in a moderator’s decision', () => {
  const repository = new ModerationRepository(client(), TABLE, () => NOW + 3_600_000);

  it('adds each reason’s outcome in the decision’s own transaction, and marks the decision as counted', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.setStatus(held(), 'spam', [
      { reason: 'rule:idiot', outcome: 'upheld' },
      { reason: 'screen:insults', outcome: 'upheld' },
    ]);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = transaction();
    expect(items[0]?.Update?.ExpressionAttributeValues?.[':decision']).toEqual({
      from: 'pending',
      to: 'spam',
      at: AT,
      unpinned: false,
      grantedAuthor: false,
      tuned: true,
    });
    expect(items.slice(1)).toEqual([
      tuning('rule:idiot', 'upheld', 1),
      tuning('screen:insults', 'upheld', 1),
    ]);
  });

  it('takes them back in the undo’s transaction, in the decision’s month, before the author’s item', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.undo(held({ status: 'spam' }), {
      from: 'pending',
      to: 'spam',
      at: '2026-10-31T23:59:59.000Z',
      unpinned: false,
      grantedAuthor: false,
      tuned: true,
    });
    expect(transaction().slice(1)).toEqual([
      tuning('rule:idiot', 'upheld', -1, '2026-10'),
      tuning('screen:insults', 'upheld', -1, '2026-10'),
    ]);
  });

  it('takes nothing back for a decision that counted nothing', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.undo(held({ status: 'spam' }), {
      from: 'pending',
      to: 'spam',
      at: AT,
      unpinned: false,
      grantedAuthor: false,
    });
    expect(transaction()).toHaveLength(1);
  });
});

describe('the screen’s tuning counts in a one-click link’s action', () => {
  const links = new ModerationLinkRepository(client(), TABLE, () => NOW + 3_600_000);

  it('reads the reasons and any decision with the comment, and counts in the link’s transaction', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        ...KEY,
        commentId: COMMENT_ID,
        articleId: ARTICLE,
        status: 'pending',
        holdReasons: ['hook'],
        decision: { from: 'published', to: 'pending', at: AT },
      },
    });
    const found = await links.findForAction(ARTICLE, COMMENT_ID);
    expect(found).toMatchObject({
      holdReasons: ['hook'],
      decision: { from: 'published', to: 'pending' },
    });
    const read = ddb.commandCalls(GetCommand)[0]?.args[0].input;
    expect(Object.values(read?.ExpressionAttributeNames ?? {})).toEqual(
      expect.arrayContaining(['emailHash', 'holdReasons', 'decision']),
    );
    ddb.on(TransactWriteCommand).resolves({});
    await links.act('marker', 1_900_000_000, held(), 'published', [
      { reason: 'hook', outcome: 'overturned' },
    ]);
    expect(transaction().at(-1)).toEqual(tuning('hook', 'overturned', 1));
  });
});

describe('ScreenTuningRepository', () => {
  const repository = new ScreenTuningRepository(client(), TABLE);

  it('queries the months’ items of the one partition, page after page', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [{ month: '2026-11', reason: 'rule:idiot', overturned: 2 }],
        LastEvaluatedKey: { PK: 'SCREEN#TUNING', SK: 'MONTH#2026-11#rule:idiot' },
      })
      .resolvesOnce({ Items: [{ month: '2026-12', reason: 'hook', upheld: 3 }] });
    await expect(repository.tuningRows('2026-11', '2026-12')).resolves.toEqual([
      { month: '2026-11', reason: 'rule:idiot', overturned: 2, upheld: 0 },
      { month: '2026-12', reason: 'hook', overturned: 0, upheld: 3 },
    ]);
    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    const query = {
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': 'SCREEN#TUNING',
        ':first': 'MONTH#2026-11#',
        ':last': 'MONTH#2026-12#\uffff',
      },
    };
    expect(inputs).toEqual([
      { ...query, ExclusiveStartKey: undefined },
      { ...query, ExclusiveStartKey: { PK: 'SCREEN#TUNING', SK: 'MONTH#2026-11#rule:idiot' } },
    ]);
  });

  it('turns a throttle into ServiceBusyError', async () => {
    ddb.on(QueryCommand).rejects(throttling());
    await expect(repository.tuningRows('2026-11', '2026-11')).rejects.toBeInstanceOf(
      ServiceBusyError,
    );
  });
});
