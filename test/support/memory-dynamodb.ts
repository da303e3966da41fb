/**
 * An in-memory stand-in for the DynamoDB document client, for simulations too large to run
 * against DynamoDB Local in a test's time (thousands of writes in one simulated second). It
 * understands the commands and the expression forms the reaction store uses: BatchGet,
 * TransactWrite (Put, Update, Delete, ConditionCheck), Update, Get; conditions made of
 * attribute_exists / attribute_not_exists / = / < joined by AND or OR; updates made of SET
 * a = :v, ADD a :n and REMOVE a clauses. Anything else throws, so the double cannot silently
 * agree with an expression it does not understand. DynamoDB Local tests prove the same
 * expressions on the real engine.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

interface Operation {
  TableName?: string;
  Key?: Item;
  Item?: Item;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Values;
}

const keyOf = (item: Item) => `${String(item.PK)}\u0000${String(item.SK)}`;

function name(token: string, names: Names): string {
  const trimmed = token.trim();
  if (trimmed.startsWith('#')) {
    const resolved = names?.[trimmed];
    if (resolved === undefined) throw new Error(`unknown name placeholder ${trimmed}`);
    return resolved;
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(trimmed)) throw new Error(`unsupported name ${trimmed}`);
  return trimmed;
}

function value(token: string, values: Values): unknown {
  const trimmed = token.trim();
  if (!trimmed.startsWith(':') || !values || !(trimmed in values)) {
    throw new Error(`unknown value placeholder ${trimmed}`);
  }
  return values[trimmed];
}

export function conditionHolds(
  expression: string,
  item: Item | undefined,
  names: Names,
  values: Values,
): boolean {
  return expression.split(/\s+OR\s+/).some((alternative) =>
    alternative.split(/\s+AND\s+/).every((term) => {
      const exists = /^(attribute_exists|attribute_not_exists)\(\s*([#\w]+)\s*\)$/.exec(
        term.trim(),
      );
      if (exists?.[1] && exists[2]) {
        const present = item !== undefined && item[name(exists[2], names)] !== undefined;
        return exists[1] === 'attribute_exists' ? present : !present;
      }
      const compare = /^([#\w]+)\s*(=|<)\s*(:\w+)$/.exec(term.trim());
      if (compare?.[1] && compare[2] && compare[3]) {
        const actual = item?.[name(compare[1], names)];
        const expected = value(compare[3], values);
        if (actual === undefined) return false;
        return compare[2] === '=' ? actual === expected : (actual as number) < (expected as number);
      }
      throw new Error(`unsupported condition term: ${term}`);
    }),
  );
}

export function applyUpdate(expression: string, item: Item, names: Names, values: Values): Item {
  const next: Item = { ...item };
  const clauses = expression.split(/\b(?=SET\s|ADD\s|REMOVE\s)/).map((clause) => clause.trim());
  for (const clause of clauses) {
    if (clause === '') continue;
    const [keyword, ...rest] = clause.split(/\s+/);
    const body = rest.join(' ');
    for (const part of body.split(',')) {
      if (keyword === 'SET') {
        const [left, right] = part.split('=');
        if (left === undefined || right === undefined) throw new Error(`unsupported SET: ${part}`);
        next[name(left, names)] = value(right, values);
      } else if (keyword === 'ADD') {
        const [left, right] = part.trim().split(/\s+/);
        if (left === undefined || right === undefined) throw new Error(`unsupported ADD: ${part}`);
        const attribute = name(left, names);
        next[attribute] =
          ((next[attribute] as number | undefined) ?? 0) + (value(right, values) as number);
      } else if (keyword === 'REMOVE') {
        delete next[name(part, names)];
      } else {
        throw new Error(`unsupported update clause: ${clause}`);
      }
    }
  }
  return next;
}

/** Decides, per transaction, whether any item is refused (throttled); null lets it through. */
export type WriteGate = (itemKeys: string[]) => boolean[] | null;

export class MemoryDynamoDb {
  readonly items = new Map<string, Item>();
  requests = 0;
  /**
   * Read units per item, as DynamoDB charges a batch read of items under 4 KB: 0.5 for an
   * eventually consistent read, 1 for a strongly consistent one (a missing item costs the same).
   */
  readonly readUnits = new Map<string, number>();

  constructor(private readonly gate: WriteGate = () => null) {}

  /** The document client's one method, dispatching on the command's class name. */
  readonly client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      this.requests += 1;
      // Let other simulated callers interleave, as real network calls do.
      await Promise.resolve();
      const kind = command.constructor.name;
      const input = command.input;
      switch (kind) {
        case 'BatchGetCommand':
          return this.batchGet(input);
        case 'GetCommand': {
          const item = this.items.get(keyOf(input.Key as Item));
          return { Item: item ? { ...item } : undefined };
        }
        case 'TransactWriteCommand':
          return this.transact(input.TransactItems as Record<string, Operation>[]);
        case 'UpdateCommand':
          return this.update(input as Operation);
        default:
          throw new Error(`the in-memory DynamoDB does not support ${kind}`);
      }
    },
  };

  private batchGet(input: Record<string, unknown>) {
    const requestItems = input.RequestItems as Record<
      string,
      { Keys: Item[]; ConsistentRead?: boolean }
    >;
    const responses: Record<string, Item[]> = {};
    for (const [table, { Keys, ConsistentRead }] of Object.entries(requestItems)) {
      responses[table] = Keys.flatMap((key) => {
        const units = ConsistentRead ? 1 : 0.5;
        this.readUnits.set(keyOf(key), (this.readUnits.get(keyOf(key)) ?? 0) + units);
        const item = this.items.get(keyOf(key));
        return item ? [{ ...item }] : [];
      });
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private update(operation: Operation) {
    const key = keyOf(operation.Key as Item);
    const current = this.items.get(key);
    const {
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    } = operation;
    if (condition && !conditionHolds(condition, current, names, values)) {
      const error = new Error('The conditional request failed');
      error.name = 'ConditionalCheckFailedException';
      throw error;
    }
    this.items.set(
      key,
      applyUpdate(
        operation.UpdateExpression ?? '',
        { ...(current ?? {}), ...operation.Key },
        names,
        values,
      ),
    );
    return {};
  }

  private transact(entries: Record<string, Operation>[]) {
    const operations = entries.map((entry) => {
      const [kind, operation] = Object.entries(entry)[0] as [string, Operation];
      const key = keyOf(operation.Key ?? (operation.Item as Item));
      return { kind, operation, key };
    });
    const refused = this.gate(operations.map(({ key }) => key));
    const failed = operations.map(({ operation, key }) => {
      const condition = operation.ConditionExpression;
      return condition
        ? !conditionHolds(
            condition,
            this.items.get(key),
            operation.ExpressionAttributeNames,
            operation.ExpressionAttributeValues,
          )
        : false;
    });
    if (refused?.some(Boolean) || failed.some(Boolean)) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
        $metadata: {},
        CancellationReasons: operations.map((_, index) => ({
          Code: refused?.[index]
            ? 'ThrottlingError'
            : failed[index]
              ? 'ConditionalCheckFailed'
              : 'None',
        })),
      });
    }
    for (const { kind, operation, key } of operations) {
      if (kind === 'Put') this.items.set(key, { ...(operation.Item as Item) });
      else if (kind === 'Delete') this.items.delete(key);
      else if (kind === 'Update') {
        const base = { ...(this.items.get(key) ?? {}), ...operation.Key };
        this.items.set(
          key,
          applyUpdate(
            operation.UpdateExpression ?? '',
            base,
            operation.ExpressionAttributeNames,
            operation.ExpressionAttributeValues,
          ),
        );
      } else if (kind !== 'ConditionCheck') throw new Error(`unsupported transaction item ${kind}`);
    }
    return {};
  }
}
