/**
 * Counts what the handlers ask of DynamoDB: an SDK middleware on the document client asks every
 * command for its consumed capacity and records each call, the HTTP attempts it took and the
 * capacity units it consumed. Used by the benchmark (cost per API call) and by the integration
 * test that pins the number of requests per route.
 *
 * DynamoDB Local reports reads as AWS bills them, but a TransactWriteItems is reported as if it
 * wrote one of its items (a 6-item comment transaction: 4 units for the table). So each call
 * also carries an estimate by AWS's published rules, from the request itself: a transactional
 * write is 2 WCU per item per started KB, a ConditionCheck 2 RCU, a read of a missing item
 * still costs the minimum. Updates and deletes are taken as items under 1 KB, which every
 * counter, vote and rate-window item is.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadRuntime, type Runtime } from '../../lambda/runtime';

type Item = Record<string, unknown>;

export interface MeteredCall {
  /** The DynamoDB operation, e.g. Query, TransactWriteItems. */
  command: string;
  /** HTTP requests the SDK made for it (more than 1 only when it retried). */
  attempts: number;
  /** CapacityUnits as DynamoDB Local reports them, table and indexes. */
  units: number;
  /** Of `units`, those for global secondary indexes. */
  indexUnits: number;
  /** By AWS's rules from the request (see above): read and write units. */
  estimate: { readUnits: number; writeUnits: number };
  /** For a transaction: its actions, e.g. ['Update', 'Put']. */
  actions?: string[];
  /** The error's name when the call failed (a cancelled transaction still consumes capacity). */
  error?: string;
}

export interface MeterTotals {
  /** Commands sent, each one DynamoDB API call. */
  calls: number;
  /** HTTP requests, retries included. */
  requests: number;
  units: number;
  estimate: { readUnits: number; writeUnits: number };
  commands: string[];
}

export interface Meter {
  readonly calls: readonly MeteredCall[];
  /** Forgets the calls so far. */
  reset(): void;
  totals(): MeterTotals;
}

interface Capacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** A single-table response carries one ConsumedCapacity, a batch or transaction a list. */
function sumCapacity(consumed: Capacity | Capacity[] | undefined) {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  let units = 0;
  let indexUnits = 0;
  for (const item of list) {
    units += item.CapacityUnits ?? 0;
    for (const index of Object.values(item.GlobalSecondaryIndexes ?? {})) {
      indexUnits += index.CapacityUnits ?? 0;
    }
  }
  return { units, indexUnits };
}

/** DynamoDB's item size: attribute names plus values (numbers about 1 byte per 2 digits). */
function attributeSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).length / 2) + 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum, entry) => sum + 1 + attributeSize(entry), 0);
  if (value !== null && typeof value === 'object') return 3 + itemSize(value as Item);
  return 1;
}

function itemSize(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + attributeSize(value),
    0,
  );
}

/** AWS's units for the request, where DynamoDB Local's report cannot be trusted. */
function estimate(command: string, input: Item, reportedUnits: number, indexUnits: number) {
  if (command === 'TransactWriteItems') {
    let readUnits = 0;
    let writeUnits = indexUnits;
    for (const action of input.TransactItems as Record<string, Item>[]) {
      if (action.ConditionCheck) readUnits += 2;
      else if (action.Put) writeUnits += 2 * Math.ceil(itemSize(action.Put.Item as Item) / 1024);
      else writeUnits += 2;
    }
    return { readUnits, writeUnits };
  }
  if (command === 'BatchGetItem') {
    // Every key is charged at least the minimum read, found or not.
    let minimum = 0;
    for (const request of Object.values(input.RequestItems as Record<string, Item>)) {
      minimum += (request.Keys as unknown[]).length * (request.ConsistentRead ? 1 : 0.5);
    }
    return { readUnits: Math.max(minimum, reportedUnits), writeUnits: 0 };
  }
  const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
  return writes.has(command)
    ? { readUnits: 0, writeUnits: reportedUnits }
    : { readUnits: reportedUnits, writeUnits: 0 };
}

interface Responded {
  ConsumedCapacity?: Capacity | Capacity[];
  $metadata?: { attempts?: number };
}

export function meterClient(client: DynamoDBDocumentClient): Meter {
  const calls: MeteredCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Item;
      // INDEXES: the total, and the indexes' share of it.
      input.ReturnConsumedCapacity = 'INDEXES';
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const record = (responded: Responded, error?: string) => {
        const { units, indexUnits } = sumCapacity(responded.ConsumedCapacity);
        calls.push({
          command,
          attempts: responded.$metadata?.attempts ?? 1,
          units,
          indexUnits,
          estimate: estimate(command, input, units, indexUnits),
          ...(command === 'TransactWriteItems'
            ? {
                actions: (input.TransactItems as Item[]).map(
                  (action) => Object.keys(action)[0] ?? '',
                ),
              }
            : {}),
          ...(error ? { error } : {}),
        });
      };
      try {
        const response = await next(args);
        record(response.output as Responded);
        return response;
      } catch (error) {
        record(error as Responded, (error as Error).name);
        throw error;
      }
    },
    { step: 'initialize', name: 'talkbackBenchMeter' },
  );
  return {
    calls,
    reset() {
      calls.length = 0;
    },
    totals() {
      const sum = (pick: (call: MeteredCall) => number) =>
        calls.reduce((total, call) => total + pick(call), 0);
      return {
        calls: calls.length,
        requests: sum((call) => call.attempts),
        units: sum((call) => call.units),
        estimate: {
          readUnits: sum((call) => call.estimate.readUnits),
          writeUnits: sum((call) => call.estimate.writeUnits),
        },
        commands: calls.map((call) => call.command),
      };
    },
  };
}

/**
 * The runtime lambda/runtime.ts builds, with every repository on the given client
 * (so a metered or stubbed client sees every request).
 */
export function runtimeOnClient(env: NodeJS.ProcessEnv, client: DynamoDBDocumentClient): Runtime {
  return loadRuntime(env, { client });
}
