/**
 * The rule `npm run bench` holds each API call's DynamoDB requests to (test/bench/request-rule.ts).
 */
import { requestRule } from '../bench/request-rule';

describe('DynamoDB requests per API call: the rule', () => {
  it('holds a read to one request', () => {
    expect(requestRule('read', ['Query']).met).toBe(true);
    expect(requestRule('read', []).met).toBe(true);
    expect(requestRule('read', ['Query', 'Query']).met).toBe(false);
    expect(requestRule('read', ['Query'], 2).met).toBe(false);
  });

  it('holds a write to one request', () => {
    expect(requestRule('write', ['TransactWriteItems']).met).toBe(true);
    expect(requestRule('write', ['Query', 'UpdateItem'])).toEqual({
      target: '<= 1 (a transaction is one)',
      met: false,
    });
  });

  it('counts a vote of one read and one transaction as met', () => {
    expect(requestRule('vote', ['BatchGetItem', 'TransactWriteItems'])).toEqual({
      target: '<= 1 read + 1 transaction (a vote)',
      met: true,
    });
    expect(requestRule('vote', ['BatchGetItem']).met).toBe(true);
  });

  it('counts a repeated vote confirmed by a second read, with no write, as met', () => {
    // Cheaper than the accepted read + transaction: nothing to write once the vote is confirmed.
    expect(requestRule('vote', ['BatchGetItem', 'GetItem']).met).toBe(true);
    expect(requestRule('vote', ['BatchGetItem', 'GetItem', 'GetItem']).met).toBe(false);
  });

  it('holds an own-comment change to one read and one write', () => {
    expect(requestRule('owned-write', ['GetItem', 'TransactWriteItems'])).toEqual({
      target: '<= 1 read + 1 write (the comment and its token hash are read first)',
      met: true,
    });
    expect(requestRule('owned-write', ['GetItem', 'GetItem', 'TransactWriteItems']).met).toBe(
      false,
    );
    expect(requestRule('owned-write', ['GetItem', 'UpdateItem', 'UpdateItem']).met).toBe(false);
  });

  it('holds a new comment to the gate’s one read and one write', () => {
    expect(requestRule('gated-write', ['GetItem', 'TransactWriteItems'])).toEqual({
      target: "<= 1 read + 1 write (the gate reads the article's settings first)",
      met: true,
    });
    expect(requestRule('gated-write', ['GetItem', 'GetItem', 'TransactWriteItems']).met).toBe(
      false,
    );
    expect(requestRule('gated-write', ['GetItem', 'TransactWriteItems'], 3).met).toBe(false);
  });

  it('holds a vote to one read and one write', () => {
    expect(
      requestRule('vote', ['BatchGetItem', 'TransactWriteItems', 'TransactWriteItems']).met,
    ).toBe(false);
    // A retried transaction is a second request.
    expect(requestRule('vote', ['BatchGetItem', 'TransactWriteItems', 'UpdateItem']).met).toBe(
      false,
    );
  });

  it("gives operators' calls no target, and says why", () => {
    const verdict = requestRule('operator', ['Query', 'TransactWriteItems', 'TransactWriteItems']);
    expect(verdict).toMatchObject({ target: null, met: null });
    expect(verdict.why).toMatch(/operators'/);
  });
});
