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

  it('the tally may update only count items, and read only counter shards', () => {
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
    expect(
      decide(TALLY_FUNCTION_ID, 'BatchGetCommand', {
        RequestItems: { talkback: { Keys: [stats], ProjectionExpression: 'writes' } },
      }),
    ).toEqual([false]);
  });

  it('ListComments cannot get an item, only query', () => {
    expect(
      decide('ListComments', 'GetCommand', { Key: comment, ProjectionExpression: 'body' }),
    ).toEqual([false]);
  });
});

describe("the create path's gate reads a commenter's record", () => {
  const Key = { PK: 'COMMENTER#c1', SK: 'COMMENTER' };
  const read = (names: string[]) => ({
    Key,
    ProjectionExpression: names.map((name) => `#${name}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
  });

  it('CreateComment may get its state and until', () => {
    expect(decide('CreateComment', 'GetCommand', read(['state', 'until']))).toEqual([true]);
  });

  it('CreateComment may not get its note or who set it, nor the whole item, nor a comment', () => {
    expect(decide('CreateComment', 'GetCommand', read(['state', 'note']))).toEqual([false]);
    expect(decide('CreateComment', 'GetCommand', read(['setBy']))).toEqual([false]);
    expect(decide('CreateComment', 'GetCommand', { Key })).toEqual([false]);
    expect(
      decide('CreateComment', 'GetCommand', { ...read(['state', 'until']), Key: comment }),
    ).toEqual([false]);
  });

  it.each(['EditComment', 'ListComments', 'PutReaction'])('%s may not read it at all', (id) => {
    expect(decide(id, 'GetCommand', read(['state', 'until']))).toEqual([false]);
  });
});
