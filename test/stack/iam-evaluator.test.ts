/**
 * What a compromised public function could try, to read an email through a write, refused by
 * its policy as the evaluator reads it (test/integration/iam-requests.test.ts checks that every
 * request the code really makes is allowed by the same evaluator).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import type { TalkbackStack } from '../../lib/talkback-stack';
import { allows, requestsOf } from './iam-evaluator';
import { buildStack, functionLogicalId, policyStatementsOf, TALLY_FUNCTION_ID } from './synth';

let stack: TalkbackStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = buildStack());
});

const decide = (functionId: string, command: string, input: Record<string, unknown>) =>
  requestsOf(command, { TableName: 'talkback', ...input }).map((request) =>
    allows(policyStatementsOf(template, functionLogicalId(stack, functionId)), request),
  );

const comment = { PK: 'ARTICLE#a', SK: 'COMMENT#2026-01-01T00:00:00.000Z#01J' };

describe('a public function cannot read an email by writing', () => {
  it.each(['CreateComment', 'EditComment', 'DeleteComment', 'PutReaction', TALLY_FUNCTION_ID])(
    '%s cannot SET email = email and have the update return it',
    (functionId) => {
      for (const returnValues of ['UPDATED_NEW', 'UPDATED_OLD', 'ALL_NEW', 'ALL_OLD']) {
        expect([
          returnValues,
          decide(functionId, 'UpdateCommand', {
            Key: comment,
            UpdateExpression: 'SET email = email',
            ReturnValues: returnValues,
          }),
        ]).toEqual([returnValues, [false]]);
      }
      // Nor name it at all, even returning nothing.
      expect(
        decide(functionId, 'UpdateCommand', {
          Key: comment,
          UpdateExpression: 'SET #e = #e',
          ExpressionAttributeNames: { '#e': 'emailHash' },
        }),
      ).toEqual([false]);
    },
  );

  it('CreateComment cannot probe an email with a ConditionCheck', () => {
    expect(
      decide('CreateComment', 'TransactWriteCommand', {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'talkback',
              Key: comment,
              ConditionExpression: 'begins_with(email, :guess)',
              ExpressionAttributeValues: { ':guess': 'a' },
            },
          },
        ],
      }),
    ).toEqual([false]);
  });

  it('CreateComment may Put a signed-in reader’s comment with its commenterId', () => {
    const Item = {
      ...comment,
      entity: 'Comment',
      email: 'a@example.com',
      emailHash: 'h',
      body: 'b',
      verified: true,
      badges: ['subscriber'],
      commenterId: 'user-42',
    };
    expect(decide('CreateComment', 'PutCommand', { Item })).toEqual([true]);
  });

  it('CreateComment may Put a comment with its email, returning nothing', () => {
    const Item = {
      ...comment,
      entity: 'Comment',
      email: 'a@example.com',
      emailHash: 'h',
      body: 'b',
    };
    expect(decide('CreateComment', 'PutCommand', { Item })).toEqual([true]);
    expect(decide('CreateComment', 'PutCommand', { Item, ReturnValues: 'ALL_OLD' })).toEqual([
      false,
    ]);
  });

  it('the reaction functions cannot write a comment partition', () => {
    expect(
      decide('PutReaction', 'UpdateCommand', {
        Key: comment,
        UpdateExpression: 'SET reaction = :r',
      }),
    ).toEqual([false]);
  });

  it('the tally may update only count items, and read nothing private', () => {
    const stats = { PK: 'ARTICLE#a', SK: 'COMMENT#!COUNT' };
    expect(
      decide(TALLY_FUNCTION_ID, 'UpdateCommand', {
        Key: stats,
        UpdateExpression: 'SET reactionTotal = :t',
      }),
    ).toEqual([true]);
    expect(
      decide(TALLY_FUNCTION_ID, 'UpdateCommand', {
        Key: { PK: 'VOTE#v', SK: 'ARTICLE#a' },
        UpdateExpression: 'SET reactionTotal = :t',
      }),
    ).toEqual([false]);
    // It reads comments' public fields (their signals), never the email nor its hash.
    for (const ProjectionExpression of ['email', 'emailHash', 'PK, editTokenHash']) {
      expect(
        decide(TALLY_FUNCTION_ID, 'BatchGetCommand', {
          RequestItems: { talkback: { Keys: [stats], ProjectionExpression } },
        }),
      ).toEqual([false]);
    }
  });

  it('ListComments cannot get an item, only query', () => {
    expect(
      decide('ListComments', 'GetCommand', { Key: comment, ProjectionExpression: 'body' }),
    ).toEqual([false]);
  });
});

describe("the create path's gate: one BatchGetItem of the article's settings and the commenter's state", () => {
  const stats = { PK: 'ARTICLE#a', SK: 'COMMENT#!COUNT' };
  const record = { PK: 'COMMENTER#c1', SK: 'COMMENTER' };
  const GATE = [
    'PK',
    'SK',
    'closed',
    'closeAt',
    'keepOpen',
    'commenting',
    'firstCommentAt',
    'moderation',
    'state',
    'until',
  ];
  const batch = (Keys: Record<string, string>[], names?: string[]) => ({
    RequestItems: {
      talkback: {
        Keys,
        ...(names
          ? {
              ProjectionExpression: names.map((name) => `#${name}`).join(', '),
              ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
            }
          : {}),
      },
    },
  });

  it('CreateComment may read both items with the gate’s projection', () => {
    expect(decide('CreateComment', 'BatchGetCommand', batch([stats, record], GATE))).toEqual([
      true,
    ]);
  });

  it('CreateComment may not read the note, who set it, an email, nor whole items', () => {
    for (const names of [
      [...GATE, 'note'],
      ['state', 'setBy'],
      ['closed', 'email'],
      ['emailHash'],
    ]) {
      expect([
        names,
        decide('CreateComment', 'BatchGetCommand', batch([stats, record], names)),
      ]).toEqual([names, [false]]);
    }
    // Without a projection a batch read returns whole items.
    expect(decide('CreateComment', 'BatchGetCommand', batch([stats, record]))).toEqual([false]);
    expect(decide('CreateComment', 'BatchGetCommand', batch([comment]))).toEqual([false]);
  });

  it('CreateComment may not batch-read other partitions, nor get items one by one', () => {
    const vote = { PK: 'VOTE#v', SK: 'ARTICLE#a' };
    const subscriber = { PK: 'SUBSCRIBER#h', SK: 'SUBSCRIBER' };
    for (const key of [vote, subscriber]) {
      expect(decide('CreateComment', 'BatchGetCommand', batch([key], ['PK', 'SK']))).toEqual([
        false,
      ]);
    }
    expect(
      decide('CreateComment', 'GetCommand', {
        Key: record,
        ProjectionExpression: '#state',
        ExpressionAttributeNames: { '#state': 'state' },
      }),
    ).toEqual([false]);
  });

  it.each(['EditComment', 'ListComments', 'PutReaction'])(
    '%s may not read a record at all',
    (id) => {
      expect(decide(id, 'BatchGetCommand', batch([record], ['state', 'until']))).toEqual([false]);
      expect(
        decide(id, 'GetCommand', {
          Key: record,
          ProjectionExpression: '#state, #until',
          ExpressionAttributeNames: { '#state': 'state', '#until': 'until' },
        }),
      ).toEqual([false]);
    },
  );
});
