/**
 * The document client's timeouts on AWS, against a real TCP server that accepts connections and
 * never answers: the SDK's own NodeHttpHandler (built from createDocumentClient's options) must
 * give up per attempt, stop after three attempts, and do it all inside the function's 10 s
 * timeout. Each call takes about 9 s of real time; the two run at once.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { commentArea } from '../../../lambda/areas';
import { ServiceBusyError } from '../../../lambda/domain/errors';
import { createHandler } from '../../../lambda/handlers/list-comments';
import { setMetricsSink } from '../../../lambda/http/metrics';
import { loadConfiguration } from '../../../lambda/runtime';
import {
  createDocumentClient,
  LOCAL_SDK_LIMITS,
  SDK_LIMITS,
  sdkLimitsFor,
} from '../../../lambda/store/client';
import { CommentRepository } from '../../../lambda/store/comment-repository';
import { translateStoreError } from '../../../lambda/store/errors';
import { httpEvent } from '../../support/events';
import { fixedClock, fixedId, hasher } from '../fakes';

/** lib/talkback-function.ts: the public functions' timeout. */
const FUNCTION_TIMEOUT_MS = 10_000;
const TABLE = 'talkback-never-answers';

jest.setTimeout(30_000);

interface SilentServer {
  endpoint: string;
  connections: () => number;
  close: () => Promise<void>;
}

/** Accepts every connection, reads what it is sent, and never writes a byte back. */
async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const outcome = await work().then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, elapsedMs: performance.now() - started };
};

let forClient: SilentServer;
let forHandler: SilentServer;
let clientCall: ReturnType<typeof timed<unknown>>;
let handlerCall: ReturnType<typeof timed<unknown>>;
const metricLines: string[] = [];

beforeAll(async () => {
  setMetricsSink((line) => metricLines.push(line));
  forClient = await silentServer();
  forHandler = await silentServer();
  // The AWS limits, pointed at the silent server.
  const client = createDocumentClient({ DYNAMODB_ENDPOINT: forClient.endpoint }, SDK_LIMITS);
  clientCall = timed(() =>
    client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'A', SK: 'B' } })),
  );
  const configuration = loadConfiguration({});
  const comments = commentArea({
    ...configuration,
    store: new CommentRepository(
      createDocumentClient({ DYNAMODB_ENDPOINT: forHandler.endpoint }, SDK_LIMITS),
      TABLE,
    ),
    hasher,
    clock: fixedClock,
    newId: fixedId,
  });
  const handler = createHandler({ ...configuration, areas: { comments } });
  handlerCall = timed(() =>
    handler(
      httpEvent('GET', '/articles/an-article/comments', {
        pathParameters: { articleId: 'an-article' },
      }),
      { awsRequestId: 'req-timeout' },
    ),
  );
  // Both calls run while the tests below wait for them.
  await Promise.all([clientCall, handlerCall]);
});

afterAll(async () => {
  await forClient.close();
  await forHandler.close();
});

describe('sdkLimitsFor', () => {
  it('gives a client for AWS the budget that fits the function timeout', () => {
    expect(sdkLimitsFor({})).toBe(SDK_LIMITS);
    expect(SDK_LIMITS).toEqual({
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 3_000,
      maxAttempts: 3,
    });
  });

  it('gives DynamoDB Local more time per attempt but the same bounded retries', () => {
    expect(sdkLimitsFor({ DYNAMODB_ENDPOINT: 'http://localhost:8000' })).toBe(LOCAL_SDK_LIMITS);
    expect(LOCAL_SDK_LIMITS.maxAttempts).toBe(3);
  });
});

describe('createDocumentClient against a DynamoDB that never answers', () => {
  it('fails with the TimeoutError the SDK throws on requestTimeout, after three attempts', async () => {
    const { error } = await clientCall;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('TimeoutError');
    expect((error as Error).message).toContain(`${SDK_LIMITS.requestTimeoutMs} ms requestTimeout`);
    expect((error as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(3);
    expect(forClient.connections()).toBe(SDK_LIMITS.maxAttempts);
  });

  it('gives up after about three request timeouts, inside the function timeout', async () => {
    const { elapsedMs } = await clientCall;
    expect(elapsedMs).toBeGreaterThanOrEqual(SDK_LIMITS.maxAttempts * SDK_LIMITS.requestTimeoutMs);
    expect(elapsedMs).toBeLessThan(FUNCTION_TIMEOUT_MS);
  });

  it('is a timeout the store turns into ServiceBusyError', async () => {
    const { error } = await clientCall;
    expect(() => translateStoreError(error)).toThrow(ServiceBusyError);
  });

  it('ends a route as 503 problem+json with Retry-After, before the function timeout', async () => {
    const { value, elapsedMs } = await handlerCall;
    const result = value as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(503);
    expect(result.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(result.headers['retry-after']).toBe('1');
    for (const internal of [TABLE, 'TimeoutError', 'requestTimeout', 'smithy', ' at ']) {
      expect(result.body).not.toContain(internal);
    }
    expect(forHandler.connections()).toBe(SDK_LIMITS.maxAttempts);
    expect(elapsedMs).toBeLessThan(FUNCTION_TIMEOUT_MS);
  });

  it('counts the 503 in DynamoDbThrottles', () => {
    const line = metricLines.find((candidate) => candidate.includes('req-timeout'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ DynamoDbThrottles: 1, route: 'ListComments' });
  });
});
