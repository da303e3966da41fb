/**
 * An X-Ray subsegment for every DynamoDB call, sent to the X-Ray daemon that Lambda runs next to
 * each function with active tracing, without an X-Ray SDK (see docs/decisions/0001-hand-written-xray-tracing.md for why).
 *
 * What a subsegment carries is the operation, the table name, the request id, the HTTP status,
 * the retry count, the timing and the error, throttle and fault flags: never a key, an
 * expression value, an item or an error message, and no annotations or metadata.
 *
 * - The parent is the function's segment, named by the invocation's trace header: the Node.js
 *   runtime sets `_X_AMZN_TRACE_ID` at each invocation, and in multi-concurrency mode (where one
 *   variable cannot serve concurrent invocations) keeps it only in its invoke store,
 *   `globalThis.awslambda.InvokeStore`. Both are read per call, the store first, as the SDK's own
 *   trace propagation reads them.
 * - Nothing is sent, and the request is left as it is, when there is no trace header, when the
 *   invocation is not sampled (`Sampled=1`), or when AWS_XRAY_DAEMON_ADDRESS is unset (the local
 *   server, the tests).
 * - The document goes over UDP, fire-and-forget, from one socket per container that never keeps
 *   the process alive; a failed send is dropped, never thrown into the call.
 * - The outgoing request carries the trace header with this subsegment as its Parent, so the
 *   DynamoDB node hangs under it in the trace.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { THROTTLED_REASONS, THROTTLES } from './errors';

/** The name the middleware has in the client's stack. */
export const XRAY_MIDDLEWARE = 'talkbackXRaySubsegment';

/** Every document sent to the daemon starts with this line. */
export const DAEMON_HEADER = '{"format": "json", "version": 1}\n';

const TRACE_HEADER = 'X-Amzn-Trace-Id';
const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

export interface SampledTrace {
  root: string;
  parent: string;
  /** The header's fields as given (Lineage and any other included), to pass on. */
  fields: string[];
}

/** The trace of a sampled invocation, or undefined when there is none or it is not sampled. */
export function sampledTrace(header: string | undefined): SampledTrace | undefined {
  if (!header) return undefined;
  const fields = header.split(';').map((field) => field.trim());
  const value = (key: string) =>
    fields.find((field) => field.startsWith(`${key}=`))?.slice(key.length + 1);
  const root = value('Root');
  const parent = value('Parent');
  if (value('Sampled') !== '1' || !root || !parent) return undefined;
  if (!ROOT.test(root) || !SEGMENT_ID.test(parent)) return undefined;
  return { root, parent, fields };
}

export interface DaemonAddress {
  host: string;
  port: number;
}

/** Lambda sets AWS_XRAY_DAEMON_ADDRESS to `host:port`; anything else sends nothing. */
export function daemonAddress(value: string | undefined): DaemonAddress | undefined {
  const match = /^([^\s:]+):(\d{1,5})$/.exec(value?.trim() ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65_536 ? { host: match[1], port } : undefined;
}

interface InvokeStoreLike {
  getXRayTraceId?: () => string | undefined;
}

/** The current invocation's trace header (see the module comment). */
function currentTraceHeader(): string | undefined {
  const lambda = (globalThis as { awslambda?: { InvokeStore?: InvokeStoreLike } }).awslambda;
  return lambda?.InvokeStore?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
}

let socket: Socket | undefined;

function daemonSocket(): Socket {
  if (!socket) {
    socket = createSocket('udp4');
    // A send that fails (no daemon listening) is reported here or to the send callback; a
    // subsegment is not worth failing, or even logging, a request for.
    socket.on('error', () => {});
    socket.unref();
  }
  return socket;
}

function send(address: DaemonAddress, document: object): void {
  const message = Buffer.from(DAEMON_HEADER + JSON.stringify(document));
  daemonSocket().send(message, address.port, address.host, () => {});
}

/** What the SDK puts on every output and on every service error. */
interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

function metadataOf(value: unknown): ResponseMetadata {
  if (typeof value !== 'object' || value === null) return {};
  const metadata = (value as { $metadata?: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as ResponseMetadata) : {};
}

function isThrottle(status: number | undefined, error: unknown): boolean {
  if (status === 429) return true;
  if (!(error instanceof Error)) return false;
  if (THROTTLES.has(error.name)) return true;
  const reasons = (error as { CancellationReasons?: unknown }).CancellationReasons;
  return (
    Array.isArray(reasons) &&
    reasons.some((reason: { Code?: unknown } | null) => THROTTLED_REASONS.has(String(reason?.Code)))
  );
}

/**
 * X-Ray's error types: `error` for a 4xx answer, `throttle` (with `error`) for a throttled one,
 * `fault` for a 5xx answer and for a call that got no answer at all (a timeout, a refused
 * connection).
 */
function errorFlags(status: number | undefined, error: unknown): Record<string, true> {
  if (isThrottle(status, error)) return { error: true, throttle: true };
  if (status !== undefined && status >= 400 && status < 500) return { error: true };
  return { fault: true };
}

/** The table names a call names: TableName, a batch's RequestItems, a transaction's items. */
function tableNames(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const { TableName, RequestItems, TransactItems } = input as {
    TableName?: unknown;
    RequestItems?: unknown;
    TransactItems?: unknown;
  };
  const names = new Set<string>();
  if (typeof TableName === 'string') names.add(TableName);
  if (typeof RequestItems === 'object' && RequestItems !== null) {
    for (const name of Object.keys(RequestItems)) names.add(name);
  }
  if (Array.isArray(TransactItems)) {
    for (const item of TransactItems) {
      for (const action of Object.values(item ?? {})) {
        const name = (action as { TableName?: unknown } | null)?.TableName;
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return [...names];
}

const epochSeconds = () => Date.now() / 1000;

/**
 * Adds the subsegment middleware to a DynamoDB client. It sits in the build step, ahead of the
 * SDK's own trace propagation (which then leaves our header alone) and outside the retries, so a
 * call retried three times is one subsegment with `retries: 2`.
 */
export function captureDynamoDBCalls(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const daemon = daemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS);
      const trace = daemon ? sampledTrace(currentTraceHeader()) : undefined;
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
      if (!daemon || !trace || !headers) return next(args);

      const id = randomBytes(8).toString('hex');
      const startTime = epochSeconds();
      headers[TRACE_HEADER] = trace.fields
        .map((field) => (field.startsWith('Parent=') ? `Parent=${id}` : field))
        .join(';');
      const region = await client.config.region().catch(() => undefined);
      const names = tableNames(args.input);

      const record = (outcome: unknown, failed: boolean) => {
        try {
          const metadata = metadataOf(outcome);
          const status = metadata.httpStatusCode;
          send(daemon, {
            type: 'subsegment',
            id,
            trace_id: trace.root,
            parent_id: trace.parent,
            name: 'DynamoDB',
            namespace: 'aws',
            start_time: startTime,
            end_time: epochSeconds(),
            aws: {
              operation: context.commandName?.replace(/Command$/, ''),
              region,
              request_id: metadata.requestId,
              retries: Math.max(0, (metadata.attempts ?? 1) - 1),
              // Talkback has one table; a call naming several would get no table_name.
              table_name: names.length === 1 ? names[0] : undefined,
            },
            ...(status === undefined ? {} : { http: { response: { status } } }),
            ...(failed ? errorFlags(status, outcome) : {}),
          });
        } catch {
          // As above: a subsegment is never worth failing the call for.
        }
      };

      try {
        const result = await next(args);
        record(result.output, false);
        return result;
      } catch (error) {
        record(error, true);
        throw error;
      }
    },
    { step: 'build', priority: 'high', name: XRAY_MIDDLEWARE, override: true },
  );
}
