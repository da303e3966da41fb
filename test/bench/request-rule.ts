/**
 * The house rule for DynamoDB requests per API call (issue 6 and the standards): one request per
 * public read, one write request per write. A vote's answer carries exact counts, so a vote is
 * one read plus one transaction: that is accepted and counted as met. A repeated vote whose first
 * (eventually consistent) read says there is nothing to change is confirmed by a second, strongly
 * consistent read and writes nothing: two reads cost less than the accepted read + transaction,
 * so it is met too. An author's edit or delete of an own comment is one write after one read:
 * the edit token is checked against the hash stored on the comment, and its status decides which
 * counts the write moves. A new comment is one write after one read too: the gate (step 3 of
 * the create path) reads the article's own settings (closed, its closing time, who may comment,
 * its moderation policy) before anything is screened or written. Operators' calls and the
 * functions off the request path have no such rule; their rows say why.
 */

/** What a call is, for the rule it is held to. */
export type CallKind = 'read' | 'write' | 'vote' | 'owned-write' | 'gated-write' | 'operator';

/** The operations that only read. */
const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export interface RuleVerdict {
  target: string | null;
  met: boolean | null;
  /** Why there is no target, when there is none. */
  why?: string;
}

/**
 * The rule for a call of this kind, applied to the DynamoDB operations it made and the HTTP
 * requests they took (more than the operations when the SDK retried).
 */
export function requestRule(
  kind: CallKind,
  commands: readonly string[],
  requests = commands.length,
): RuleVerdict {
  const reads = commands.filter((command) => READS.has(command)).length;
  const writes = commands.length - reads;
  switch (kind) {
    case 'read':
      return { target: '<= 1 (a read)', met: requests <= 1 };
    case 'write':
      return { target: '<= 1 (a transaction is one)', met: requests <= 1 };
    case 'vote':
      return {
        target: '<= 1 read + 1 transaction (a vote)',
        met: writes <= 1 && requests <= 2 && (reads <= 1 || writes === 0),
      };
    case 'owned-write':
      return {
        target: '<= 1 read + 1 write (the comment and its token hash are read first)',
        met: reads <= 1 && writes <= 1 && requests <= 2,
      };
    case 'gated-write':
      return {
        target: "<= 1 read + 1 write (the gate reads the article's settings first)",
        met: reads <= 1 && writes <= 1 && requests <= 2,
      };
    case 'operator':
      return {
        target: null,
        met: null,
        why: "an operators' call: the rule is for readers' requests",
      };
  }
}
