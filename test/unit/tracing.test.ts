/**
 * The X-Ray capture of DynamoDB calls (lambda/store/tracing.ts), end to end on this machine: a
 * real UDP socket on 127.0.0.1 stands in for Lambda's X-Ray daemon, and a real DynamoDB client
 * carries the middleware, with a request handler that answers in memory. (aws-sdk-client-mock
 * replaces the client's `send`, so no middleware would run under it.)
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { createDocumentClient } from '../../lambda/store/client';
import {
  captureDynamoDBCalls,
  daemonAddress,
  sampledTrace,
  XRAY_MIDDLEWARE,
} from '../../lambda/store/tracing';

const ROOT = '1-6745a3b2-0123456789abcdef01234567';
const PARENT = '53995c3f42cd8ad8';
const LINEAGE = 'Lineage=a87bd80c:0';
const SAMPLED = `Root=${ROOT};Parent=${PARENT};Sampled=1;${LINEAGE}`;
const TABLE = 'talkback-unit';
const REQUEST_ID = 'QHV8B3OLNJ2G4KDRM3UV7TF1KBVV4KQNSO5AEMVJF66Q9ASUAAJG';
const SEGMENT_ID = /^[0-9a-f]{16}$/;
const DYNAMODB_ERROR = 'com.amazonaws.dynamodb.v20120810#';

// ---- the fake daemon ------------------------------------------------------------------------

interface FakeDaemon {
  address: string;
  messages: Buffer[];
  /** Resolves once `count` messages have arrived in all; fails after two seconds. */
  received: (count: number) => Promise<Buffer[]>;
  close: () => Promise<void>;
}

async function fakeDaemon(): Promise<FakeDaemon> {
  const socket: Socket = createSocket('udp4');
  const messages: Buffer[] = [];
  const waiting = new Set<() => void>();
  socket.on('message', (message) => {
    messages.push(message);
    for (const wake of waiting) wake();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    messages,
    received: (count) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve([...messages]);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`the daemon received ${messages.length} of ${count} documents`));
        }, 2_000);
        waiting.add(check);
        check();
      }),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** The daemon's wire format: the header line, then the JSON document. */
function parseDocument(message: Buffer): Record<string, unknown> {
  const text = message.toString('utf8');
  const newline = text.indexOf('\n');
  expect(text.slice(0, newline)).toBe('{"format": "json", "version": 1}');
  return JSON.parse(text.slice(newline + 1)) as Record<string, unknown>;
}

// ---- the fake DynamoDB ----------------------------------------------------------------------

interface Answer {
  status: number;
  body: object;
}

interface SentRequest {
  headers: Record<string, string>;
  body: string;
}

const ok = (body: object = {}): Answer => ({ status: 200, body });
const failure = (status: number, type: string, extra: object = {}): Answer => ({
  status,
  body: { __type: `${DYNAMODB_ERROR}${type}`, message: `${type} happened`, ...extra },
});

/** Answers each request with the next queued answer (200 `{}` when none is left). */
class FakeDynamoDB {
  readonly requests: SentRequest[] = [];
  private readonly answers: (Answer | Error)[] = [];

  answer(...answers: (Answer | Error)[]): void {
    this.answers.push(...answers);
  }

  readonly handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
    const { body } = request;
    this.requests.push({
      headers: { ...request.headers },
      body: typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array),
    });
    const next = this.answers.shift() ?? ok();
    if (next instanceof Error) throw next;
    return {
      response: {
        statusCode: next.status,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': REQUEST_ID },
        // Uint8Array of this realm: the SDK checks the body with instanceof.
        body: new Uint8Array(Buffer.from(JSON.stringify(next.body))),
      },
    };
  };
}

function tracedClient(fake: FakeDynamoDB, maxAttempts = 1): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    requestHandler: fake,
    maxAttempts,
  });
  captureDynamoDBCalls(client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

const getItem = (client: DynamoDBDocumentClient) =>
  client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'ARTICLE#a', SK: 'COMMENT#!COUNT' } }));

/** A call made while tracing is on, after one that should have sent nothing. */
const putItem = (client: DynamoDBDocumentClient) =>
  client.send(
    new PutCommand({ TableName: TABLE, Item: { PK: 'ARTICLE#b', SK: 'COMMENT#!COUNT' } }),
  );

// ---- the environment ------------------------------------------------------------------------

const TRACE_ENV = ['AWS_XRAY_DAEMON_ADDRESS', '_X_AMZN_TRACE_ID'] as const;
const savedEnv = Object.fromEntries(TRACE_ENV.map((name) => [name, process.env[name]]));

let daemon: FakeDaemon;
let fake: FakeDynamoDB;

beforeAll(async () => {
  daemon = await fakeDaemon();
});

afterAll(async () => {
  await daemon.close();
});

beforeEach(() => {
  daemon.messages.length = 0;
  fake = new FakeDynamoDB();
  process.env.AWS_XRAY_DAEMON_ADDRESS = daemon.address;
  process.env._X_AMZN_TRACE_ID = SAMPLED;
});

afterEach(() => {
  for (const name of TRACE_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

// ---- the tests ------------------------------------------------------------------------------

describe('captureDynamoDBCalls', () => {
  it('sends one subsegment document per call, after the daemon header line', async () => {
    const before = Date.now() / 1000;
    await getItem(tracedClient(fake));
    const after = Date.now() / 1000;

    const [message] = await daemon.received(1);
    const document = parseDocument(message as Buffer);
    expect(document).toEqual({
      type: 'subsegment',
      id: expect.stringMatching(SEGMENT_ID),
      trace_id: ROOT,
      parent_id: PARENT,
      name: 'DynamoDB',
      namespace: 'aws',
      start_time: expect.any(Number),
      end_time: expect.any(Number),
      aws: {
        operation: 'GetItem',
        table_name: TABLE,
        request_id: REQUEST_ID,
        retries: 0,
        region: 'eu-west-1',
      },
      http: { response: { status: 200 } },
    });
    expect(document.id).not.toBe(PARENT);
    const start = document.start_time as number;
    const end = document.end_time as number;
    expect(start).toBeGreaterThanOrEqual(before);
    expect(end).toBeGreaterThanOrEqual(start);
    expect(end).toBeLessThanOrEqual(after);
  });

  it('passes the trace header on with the subsegment as Parent, keeping its other fields', async () => {
    await getItem(tracedClient(fake));

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(fake.requests[0]?.headers['X-Amzn-Trace-Id']).toBe(
      `Root=${ROOT};Parent=${document.id};Sampled=1;${LINEAGE}`,
    );
  });

  it('reads the trace header at each call, not when the client is built', async () => {
    const client = tracedClient(fake);
    const secondRoot = '1-6745a3b3-fedcba9876543210fedcba98';
    await getItem(client);
    process.env._X_AMZN_TRACE_ID = `Root=${secondRoot};Parent=0123456789abcdef;Sampled=1`;
    await getItem(client);

    const documents = (await daemon.received(2)).map(parseDocument);
    expect(documents.map((document) => [document.trace_id, document.parent_id])).toEqual([
      [ROOT, PARENT],
      [secondRoot, '0123456789abcdef'],
    ]);
    expect(documents[0]?.id).not.toBe(documents[1]?.id);
  });

  it("prefers the runtime's invoke store, which alone has the header in multi-concurrency mode", async () => {
    const storeRoot = '1-6745a3b4-00112233445566778899aabb';
    const lambdaGlobal = globalThis as { awslambda?: unknown };
    const saved = lambdaGlobal.awslambda;
    let storeHeader: string | undefined = `Root=${storeRoot};Parent=${PARENT};Sampled=1`;
    lambdaGlobal.awslambda = { InvokeStore: { getXRayTraceId: () => storeHeader } };
    try {
      await getItem(tracedClient(fake));
    } finally {
      storeHeader = undefined;
      lambdaGlobal.awslambda = saved;
    }

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document.trace_id).toBe(storeRoot);
  });

  it('makes one subsegment of a call and its retries', async () => {
    fake.answer(failure(500, 'InternalServerError'), ok());
    await getItem(tracedClient(fake, 3));
    await putItem(tracedClient(fake));

    const documents = (await daemon.received(2)).map(parseDocument);
    expect(fake.requests).toHaveLength(3);
    expect(documents.map((document) => (document.aws as { operation: string }).operation)).toEqual([
      'GetItem',
      'PutItem',
    ]);
    expect(documents[0]).toMatchObject({
      aws: { retries: 1 },
      http: { response: { status: 200 } },
    });
    expect(documents[0]).not.toHaveProperty('fault');
  });

  it.each([
    [
      'ProvisionedThroughputExceededException',
      failure(400, 'ProvisionedThroughputExceededException'),
      400,
    ],
    ['ThrottlingException', failure(400, 'ThrottlingException'), 400],
    ['a 429 answer', failure(429, 'TooManyRequests'), 429],
  ])('marks %s as a throttle', async (_name, answer, status) => {
    fake.answer(answer);
    await expect(getItem(tracedClient(fake))).rejects.toThrow();

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({
      error: true,
      throttle: true,
      http: { response: { status } },
      aws: { request_id: REQUEST_ID },
    });
    expect(document).not.toHaveProperty('fault');
  });

  it('marks a transaction cancelled by throttling as a throttle', async () => {
    fake.answer(
      failure(400, 'TransactionCanceledException', {
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
      }),
    );
    const client = tracedClient(fake);
    const put = { TableName: TABLE, Item: { PK: 'ARTICLE#a', SK: 'COMMENT#1' } };
    await expect(
      client.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, { Put: put }] })),
    ).rejects.toThrow();

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({
      error: true,
      throttle: true,
      aws: { operation: 'TransactWriteItems', table_name: TABLE },
    });
  });

  it('marks any other 4xx answer as an error only', async () => {
    fake.answer(failure(400, 'ConditionalCheckFailedException'));
    await expect(getItem(tracedClient(fake))).rejects.toThrow();

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({ error: true, http: { response: { status: 400 } } });
    expect(document).not.toHaveProperty('throttle');
    expect(document).not.toHaveProperty('fault');
  });

  it('marks a 500 answer as a fault', async () => {
    fake.answer(failure(500, 'InternalServerError'));
    await expect(getItem(tracedClient(fake))).rejects.toThrow();

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({ fault: true, http: { response: { status: 500 } } });
    expect(document).not.toHaveProperty('error');
    expect(document).not.toHaveProperty('throttle');
  });

  it('marks a call that timed out as a fault, with no HTTP status', async () => {
    fake.answer(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
    await expect(getItem(tracedClient(fake))).rejects.toThrow('socket timed out');

    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({ fault: true, aws: { retries: 0 } });
    expect(document).not.toHaveProperty('http');
    expect(document).not.toHaveProperty('error');
  });

  it.each([
    [
      'the invocation is not sampled',
      () => {
        process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=0`;
      },
    ],
    [
      'there is no trace header',
      () => {
        delete process.env._X_AMZN_TRACE_ID;
      },
    ],
    [
      'the trace header is malformed',
      () => {
        process.env._X_AMZN_TRACE_ID = `Root=not-a-root;Parent=${PARENT};Sampled=1`;
      },
    ],
    [
      'no daemon address is set',
      () => {
        delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      },
    ],
    [
      'the daemon address is not host:port',
      () => {
        process.env.AWS_XRAY_DAEMON_ADDRESS = 'udp://127.0.0.1';
      },
    ],
  ])('sends nothing and leaves the request alone when %s', async (_case, untrace) => {
    const client = tracedClient(fake);
    const sampled = { ...process.env };
    untrace();
    await getItem(client);
    process.env.AWS_XRAY_DAEMON_ADDRESS = sampled.AWS_XRAY_DAEMON_ADDRESS;
    process.env._X_AMZN_TRACE_ID = sampled._X_AMZN_TRACE_ID;
    // A traced call after the untraced one: once its document is in, the first one's would be.
    await putItem(client);

    const messages = await daemon.received(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(messages).toHaveLength(1);
    expect(daemon.messages).toHaveLength(1);
    expect(parseDocument(messages[0] as Buffer)).toMatchObject({ aws: { operation: 'PutItem' } });
    expect(fake.requests[0]?.headers).not.toHaveProperty('X-Amzn-Trace-Id');
  });

  describe('privacy', () => {
    type Call = (client: DynamoDBDocumentClient, email: string, key: Key) => Promise<unknown>;
    interface Key {
      PK: string;
      SK: string;
    }
    const item = (email: string, key: Key) => ({ ...key, email });
    const marshalledItem = (email: string, key: Key) => ({
      PK: { S: key.PK },
      SK: { S: key.SK },
      email: { S: email },
    });

    /** Each call puts the key and the email in its request, and gets them back in its answer. */
    const CALLS: [string, Call, (email: string, key: Key) => object][] = [
      [
        'GetItem',
        (client, _email, key) => client.send(new GetCommand({ TableName: TABLE, Key: key })),
        (email, key) => ({ Item: marshalledItem(email, key) }),
      ],
      [
        'PutItem',
        (client, email, key) =>
          client.send(new PutCommand({ TableName: TABLE, Item: item(email, key) })),
        () => ({}),
      ],
      [
        'UpdateItem',
        (client, email, key) =>
          client.send(
            new UpdateCommand({
              TableName: TABLE,
              Key: key,
              UpdateExpression: 'SET #email = :email',
              ConditionExpression: 'attribute_not_exists(PK) OR #email <> :email',
              ExpressionAttributeNames: { '#email': 'email' },
              ExpressionAttributeValues: { ':email': email },
              ReturnValues: 'UPDATED_NEW',
            }),
          ),
        (email, key) => ({ Attributes: marshalledItem(email, key) }),
      ],
      [
        'DeleteItem',
        (client, email, key) =>
          client.send(
            new DeleteCommand({
              TableName: TABLE,
              Key: key,
              ConditionExpression: '#email = :email',
              ExpressionAttributeNames: { '#email': 'email' },
              ExpressionAttributeValues: { ':email': email },
              ReturnValues: 'ALL_OLD',
            }),
          ),
        (email, key) => ({ Attributes: marshalledItem(email, key) }),
      ],
      [
        'Query',
        (client, _email, key) =>
          client.send(
            new QueryCommand({
              TableName: TABLE,
              KeyConditionExpression: 'PK = :pk AND SK = :sk',
              ExpressionAttributeValues: { ':pk': key.PK, ':sk': key.SK },
            }),
          ),
        (email, key) => ({ Items: [marshalledItem(email, key)], Count: 1, ScannedCount: 1 }),
      ],
      [
        'BatchGetItem',
        (client, _email, key) =>
          client.send(new BatchGetCommand({ RequestItems: { [TABLE]: { Keys: [key] } } })),
        (email, key) => ({ Responses: { [TABLE]: [marshalledItem(email, key)] } }),
      ],
      [
        'TransactWriteItems',
        (client, email, key) =>
          client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: TABLE, Item: item(email, key) } },
                {
                  Update: {
                    TableName: TABLE,
                    Key: key,
                    UpdateExpression: 'SET #email = :email',
                    ExpressionAttributeNames: { '#email': 'email' },
                    ExpressionAttributeValues: { ':email': email },
                  },
                },
              ],
            }),
          ),
        () => ({}),
      ],
    ];

    it('never sends a key, an expression value, an item or an error message', async () => {
      const client = tracedClient(fake);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...CALLS),
          fc.emailAddress(),
          // A visitor hash, as VOTE#<visitorHash> keys carry it.
          fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
          fc.stringMatching(/^[a-z0-9-]{1,40}$/),
          fc.boolean(),
          async ([operation, call, answer], email, visitorHash, articleId, fails) => {
            const key = { PK: `VOTE#${visitorHash}`, SK: `ARTICLE#${articleId}` };
            const sent = daemon.messages.length;
            // DynamoDB's validation messages can quote the values they refuse.
            const reply = fails
              ? failure(400, 'ValidationException', {
                  message: `Invalid value ${email} for key ${key.PK} ${key.SK}`,
                })
              : ok(answer(email, key));
            fake.answer(reply);
            await call(client, email, key).catch(() => undefined);

            const messages = await daemon.received(sent + 1);
            const bytes = (messages[sent] as Buffer).toString('utf8');
            // The call did carry them (the email in its request or its answer), and the
            // document is this call's.
            const request = fake.requests.at(-1)?.body ?? '';
            expect(request).toContain(key.PK);
            expect(request + JSON.stringify(reply.body)).toContain(email);
            expect(parseDocument(messages[sent] as Buffer)).toMatchObject({ aws: { operation } });
            for (const secret of [email, visitorHash, key.PK, key.SK]) {
              expect(bytes).not.toContain(secret);
            }
            expect(bytes).not.toMatch(/annotations|metadata|cause|message/);
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  it('never keeps the process alive', async () => {
    // A fresh Node process makes one traced call and must then exit by itself: the socket it
    // opened for the daemon is unref'd. The document arriving shows the socket was opened.
    const script = `
      const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
      const { captureDynamoDBCalls } = require('./lambda/store/tracing.ts');
      const body = new Uint8Array(Buffer.from('{}'));
      const client = new DynamoDBClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
        maxAttempts: 1,
        requestHandler: { handle: async () => ({ response: { statusCode: 200, headers: {}, body } }) },
      });
      captureDynamoDBCalls(client);
      client
        .send(new GetItemCommand({ TableName: '${TABLE}', Key: { PK: { S: 'a' } } }))
        .then(() => process.stdout.write('answered'));
    `;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '-e', script],
      {
        cwd: join(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          AWS_XRAY_DAEMON_ADDRESS: daemon.address,
          _X_AMZN_TRACE_ID: SAMPLED,
        },
        timeout: 20_000,
      },
    );

    expect(stdout).toBe('answered');
    expect(Date.now() - started).toBeLessThan(20_000);
    const document = parseDocument((await daemon.received(1))[0] as Buffer);
    expect(document).toMatchObject({ trace_id: ROOT, aws: { operation: 'GetItem' } });
  });
});

describe('createDocumentClient', () => {
  it('captures its calls', () => {
    const client = createDocumentClient({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
    expect(client.middlewareStack.identify()).toContainEqual(
      expect.stringContaining(XRAY_MIDDLEWARE),
    );
  });
});

describe('sampledTrace', () => {
  it('reads the root and parent of a sampled Lambda trace header', () => {
    expect(sampledTrace(SAMPLED)).toEqual({
      root: ROOT,
      parent: PARENT,
      fields: [`Root=${ROOT}`, `Parent=${PARENT}`, 'Sampled=1', LINEAGE],
    });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['Sampled=0', `Root=${ROOT};Parent=${PARENT};Sampled=0`],
    ['a deferred sampling decision', `Root=${ROOT};Parent=${PARENT};Sampled=?`],
    ['no Sampled field', `Root=${ROOT};Parent=${PARENT}`],
    ['no Parent', `Root=${ROOT};Sampled=1`],
    ['a malformed Root', `Root=1-xyz;Parent=${PARENT};Sampled=1`],
    ['a malformed Parent', `Root=${ROOT};Parent=53995c3f;Sampled=1`],
  ])('is undefined for %s', (_case, header) => {
    expect(sampledTrace(header)).toBeUndefined();
  });
});

describe('daemonAddress', () => {
  it("reads Lambda's host:port", () => {
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
  });

  it.each([undefined, '', '169.254.79.129', '169.254.79.129:0', '169.254.79.129:70000', 'a b:1'])(
    'is undefined for %p',
    (value) => {
      expect(daemonAddress(value)).toBeUndefined();
    },
  );
});
