/**
 * The built bundles, not the TypeScript: synthesizes the real app (esbuild bundling on), then
 * imports each function's index.mjs in a fresh Node process, as Lambda does, and invokes its
 * handler against DynamoDB Local (the reaction tally with records read from the table's stream
 * on DynamoDB Local, shaped as Lambda delivers them). This catches ESM bundling faults (a missing `require`
 * banner, an SDK left external, a broken import) that unit tests cannot see. The functions run
 * with the settings a default deployment gives them: first-time moderation, default rate limits.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithIAMAuthorizer,
  APIGatewayProxyStructuredResultV2,
  DynamoDBRecord,
  DynamoDBStreamEvent,
} from 'aws-lambda';
import { createLowLevelClient } from '../../bin/local/clients';
import type { Areas } from '../../lambda/areas';
import { ERASED_AUTHOR_NAME } from '../../lambda/domain/comment';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import { VOTE_KEY_PREFIX } from '../../lib/reaction-tally';
import { TalkbackStack } from '../../lib/talkback-stack';
import { createTestTable, localEndpoint, type TestTable } from '../support/dynamodb';
import { httpEvent } from '../support/events';

const run = promisify(execFile);

/** Imports the bundle and invokes its handler with the event on stdin; prints the result. */
const INVOKE = `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { handler } = await import(process.argv[1]);
const result = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), {});
process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result ?? null));
`;

interface Bundle {
  file: string;
  environment: Record<string, string>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The event as API Gateway passes it on once its IAM authorizer has accepted a SigV4 request. */
function signed(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2WithIAMAuthorizer {
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: {
        iam: {
          accessKey: 'AKIAEXAMPLEOPERATOR',
          accountId: '123456789012',
          callerId: 'AIDAEXAMPLEOPERATOR',
          cognitoIdentity: null,
          principalOrgId: 'o-example',
          userArn: 'arn:aws:iam::123456789012:user/operator',
          userId: 'AIDAEXAMPLEOPERATOR',
        },
      },
    },
  };
}

describe('function bundles', () => {
  let outdir: string;
  let table: TestTable;
  const bundles: Record<string, Bundle> = {};

  beforeAll(async () => {
    table = await createTestTable('bundles');
    outdir = mkdtempSync(path.join(tmpdir(), 'talkback-bundles-'));
    const app = new App({ outdir });
    const stack = new TalkbackStack(app, 'Talkback');
    const assembly = app.synth();
    const functions = {
      ...stack.api.functions,
      TallyReactions: stack.reactionTally.function,
    };
    for (const [id, fn] of Object.entries(functions)) {
      // A route's function is in its area's nested stack (lib/area-stacks.ts), whose template
      // is a file of the assembly too.
      const home = Stack.of(fn);
      const template = JSON.parse(
        readFileSync(path.join(assembly.directory, home.templateFile), 'utf8'),
      ) as { Resources: Resources };
      const logicalId = home.resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
      const resource = template.Resources[logicalId];
      if (!resource) throw new Error(`no template resource for ${id}`);
      const hash = (resource.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const { Variables: variables } = resource.Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      // Literal values as deployed; the table name and secret are deploy-time references.
      const environment = Object.fromEntries(
        Object.entries(variables).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      bundles[id] = { file: path.join(outdir, `asset.${hash}`, 'index.mjs'), environment };
    }
  }, 60_000);

  afterAll(async () => {
    await table?.drop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  /** Runs the function's bundle on the event; its result as JSON (null for none). */
  async function invokeBundle(functionId: string, event: unknown): Promise<unknown> {
    const bundle = bundles[functionId];
    if (!bundle) throw new Error(`no bundle for ${functionId}`);
    const child = run(
      process.execPath,
      ['--input-type=module', '-e', INVOKE, pathToFileURL(bundle.file).href],
      {
        // Only what Lambda would give the function: no inherited test environment.
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          ...bundle.environment,
          TABLE_NAME: String(table.env.TABLE_NAME),
          TALKBACK_SECRET: String(table.env.TALKBACK_SECRET),
          DYNAMODB_ENDPOINT: String(table.env.DYNAMODB_ENDPOINT),
        },
        timeout: 20_000,
      },
    );
    child.child.stdin?.end(JSON.stringify(event));
    const { stdout } = await child;
    const marker = stdout.lastIndexOf('@@RESULT@@');
    expect(marker).toBeGreaterThanOrEqual(0);
    return JSON.parse(stdout.slice(marker + '@@RESULT@@'.length));
  }

  async function invoke(
    routeId: string,
    event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2 & { json: Record<string, unknown> }> {
    const result = (await invokeBundle(routeId, event)) as APIGatewayProxyStructuredResultV2;
    return { ...result, json: JSON.parse(result.body ?? 'null') };
  }

  const articleId = 'bundle-article';
  const visitorId = 'bundle-visitor-0123456789';
  const pathParameters = { articleId };

  it('has a bundle for every route, the fallback and the reaction tally', () => {
    expect(Object.keys(bundles).sort()).toEqual(
      [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id, 'TallyReactions'].sort(),
    );
    for (const bundle of Object.values(bundles)) {
      const source = readFileSync(bundle.file, 'utf8');
      expect(source.startsWith("import { createRequire } from 'module';")).toBe(true);
      // The SDK is inside the bundle, not imported from the runtime.
      expect(source).not.toMatch(/from\s*["']@aws-sdk\//);
    }
  });

  /** The repository each area's builder brings into a bundle (lambda/areas.ts). */
  const AREA_REPOSITORIES: Record<keyof Areas, string> = {
    comments: 'comment-repository.ts',
    reactions: 'reaction-repository.ts',
    counts: 'reaction-repository.ts',
    tally: 'reaction-repository.ts',
    likes: 'like-repository.ts',
    signals: 'comment-signals.ts',
    featured: 'feature-repository.ts',
    reports: 'report-repository.ts',
    moderation: 'moderation-repository.ts',
    imports: 'import-repository.ts',
    transparency: 'transparency-repository.ts',
    screening: 'screening-from.ts',
    houseRules: 'house-rules-routes.ts',
    // The reader verifier, which brings jose with it.
    readers: 'jwt-tokens.ts',
    subscriptions: 'notification-repository.ts',
    notifications: 'notification-repository.ts',
    moderationLinks: 'moderation-link-repository.ts',
    mailQueue: 'sqs-queue.ts',
    mailSender: 'ses-sender.ts',
    hookDispatch: 'webhook-repository.ts',
    hookSend: 'webhook-repository.ts',
    hookQueue: 'sqs-queue.ts',
    hookRetry: 'sqs-retry.ts',
  };

  /** The areas a handler module asks loadHandlerDeps for, read from its source. */
  function areasOf(handlerModule: string): (keyof Areas)[] {
    const source = readFileSync(
      path.join(__dirname, '..', '..', 'lambda', 'handlers', `${handlerModule}.ts`),
      'utf8',
    );
    const asked = /loadHandlerDeps\(\{([^}]*)\}\)/.exec(source)?.[1] ?? '';
    return [...asked.matchAll(/(\w+):/g)].map((match) => match[1] as keyof Areas);
  }

  it('holds only the repositories of the areas its handler uses', () => {
    const modules: Record<string, string> = {
      ...Object.fromEntries([...ROUTES, FALLBACK_ROUTE].map((route) => [route.id, route.handler])),
      TallyReactions: 'tally-reactions',
    };
    for (const [id, bundle] of Object.entries(bundles)) {
      const { sources } = JSON.parse(readFileSync(`${bundle.file}.map`, 'utf8')) as {
        sources: string[];
      };
      const areaRepositories = new Set(Object.values(AREA_REPOSITORIES));
      const repositories = new Set(
        sources.map((source) => path.basename(source)).filter((name) => areaRepositories.has(name)),
      );
      const expected = new Set(areasOf(modules[id] ?? '').map((area) => AREA_REPOSITORIES[area]));
      expect({ id, repositories: [...repositories].sort() }).toEqual({
        id,
        repositories: [...expected].sort(),
      });
    }
  });

  it('holds jose in no bundle where no reader issuer has a key set', () => {
    // The readers area (its verifier, jwt-tokens.ts) is only where a route takes a `reader`, as
    // the test above checks; jose comes with it only for an issuer's JWKS, and a default
    // deployment has none.
    const withJose = Object.entries(bundles)
      .filter(([, bundle]) => {
        const { sources } = JSON.parse(readFileSync(`${bundle.file}.map`, 'utf8')) as {
          sources: string[];
        };
        return sources.some((source) => source.includes('node_modules/jose/'));
      })
      .map(([id]) => id);
    expect(withJose).toEqual([]);
  });

  it('leaves the Bedrock client and the disposable-domain list out where the deployment uses neither', () => {
    for (const id of ['CreateComment', 'EditComment']) {
      const { sources } = JSON.parse(readFileSync(`${bundles[id]?.file}.map`, 'utf8')) as {
        sources: string[];
      };
      const left = sources.filter((s) =>
        /bedrock|screen\/guardrails|disposable-email-domains/.test(s),
      );
      expect({ id, left }).toEqual({ id, left: [] });
      // The house rules are there.
      expect(sources.some((s) => s.endsWith('lambda/domain/house-rules.ts'))).toBe(true);
    }
  });

  it('GetConfig answers 200 with the reactions', async () => {
    const result = await invoke('GetConfig', httpEvent('GET', '/config'));
    expect(result.statusCode).toBe(200);
    expect(result.json.reactions).toHaveLength(5);
  });

  const email = 'ada@example.com';
  let commentId = '';
  let editToken = '';

  function expectUnauthorized(result: APIGatewayProxyStructuredResultV2): void {
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(result.body).not.toContain(email);
  }

  it('CreateComment answers 201 and holds a first-time author for moderation', async () => {
    const created = await invoke(
      'CreateComment',
      httpEvent('POST', `/articles/${articleId}/comments`, {
        pathParameters,
        body: { name: 'Ada', email, body: 'From a bundle' },
      }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json.status).toBe('pending');
    expect(created.body).not.toContain(email);
    commentId = String((created.json.comment as { id: string }).id);
    editToken = String(created.json.editToken);
    expect(editToken).not.toBe('');
  });

  it('AdminListComments answers 401 unsigned and lists the pending comment, email included, signed', async () => {
    const request = httpEvent('GET', '/admin/comments', { query: { status: 'pending' } });
    expectUnauthorized(await invoke('AdminListComments', request));
    const listed = await invoke('AdminListComments', signed(request));
    expect(listed.statusCode).toBe(200);
    expect(listed.json.comments).toEqual([
      expect.objectContaining({ id: commentId, articleId, status: 'pending', email }),
    ]);
  });

  it('AdminModerateComment answers 401 unsigned and publishes, signed; ListComments lists it', async () => {
    const request = httpEvent('PATCH', `/admin/comments/${commentId}`, {
      pathParameters: { commentId },
      body: { status: 'published' },
    });
    expectUnauthorized(await invoke('AdminModerateComment', request));
    const moderated = await invoke('AdminModerateComment', signed(request));
    expect(moderated.statusCode).toBe(200);
    expect(moderated.json.comment).toMatchObject({ id: commentId, status: 'published' });
    const listed = await invoke(
      'ListComments',
      httpEvent('GET', `/articles/${articleId}/comments`, { pathParameters }),
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.json).toMatchObject({ articleId, commentCount: 1 });
    expect(listed.json.comments).toEqual([expect.objectContaining({ id: commentId })]);
    expect(listed.body).not.toContain(email);
  });

  it('EditComment answers 401 without the edit token and 200 with it', async () => {
    const edit = (headers: Record<string, string>) =>
      httpEvent('PATCH', `/comments/${commentId}`, {
        pathParameters: { commentId },
        headers,
        body: { body: 'Edited in a bundle' },
      });
    expectUnauthorized(await invoke('EditComment', edit({})));
    const edited = await invoke('EditComment', edit({ authorization: `Bearer ${editToken}` }));
    expect(edited.statusCode).toBe(200);
    expect(edited.json.comment).toMatchObject({ id: commentId, body: 'Edited in a bundle' });
    expect((edited.json.comment as { editedAt: unknown }).editedAt).toEqual(expect.any(String));
    expect(edited.body).not.toContain(email);
  });

  it('DeleteComment answers 401 without the edit token and 204 with it', async () => {
    // Ada is known now, so her second comment is published at once.
    const created = await invoke(
      'CreateComment',
      httpEvent('POST', `/articles/${articleId}/comments`, {
        pathParameters,
        body: { name: 'Ada', email, body: 'Second thoughts' },
      }),
    );
    expect(created.json.status).toBe('published');
    const id = String((created.json.comment as { id: string }).id);
    const remove = (headers: Record<string, string>) =>
      httpEvent('DELETE', `/comments/${id}`, { pathParameters: { commentId: id }, headers });
    expectUnauthorized(await invoke('DeleteComment', remove({})));
    const deleted = await invoke(
      'DeleteComment',
      remove({ authorization: `Bearer ${String(created.json.editToken)}` }),
    );
    expect(deleted.statusCode).toBe(204);
  });

  it('PutReaction, GetReactions and DeleteReaction answer 200 with the counts', async () => {
    const put = await invoke(
      'PutReaction',
      httpEvent('PUT', `/articles/${articleId}/reactions`, {
        pathParameters,
        body: { visitorId, reaction: 'happy' },
      }),
    );
    expect(put.statusCode).toBe(200);
    expect(put.json).toMatchObject({ total: 1, mine: 'happy' });
    const got = await invoke(
      'GetReactions',
      httpEvent('GET', `/articles/${articleId}/reactions`, {
        pathParameters,
        query: { visitorId },
      }),
    );
    expect(got.statusCode).toBe(200);
    expect(got.json).toMatchObject({ total: 1, mine: 'happy' });
    const deleted = await invoke(
      'DeleteReaction',
      httpEvent('DELETE', `/articles/${articleId}/reactions`, {
        pathParameters,
        query: { visitorId },
      }),
    );
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json).toMatchObject({ total: 0, mine: null });
  });

  it('GetCounts answers 200 with every requested article', async () => {
    const result = await invoke(
      'GetCounts',
      httpEvent('GET', '/counts', { query: { articles: `${articleId},unknown-article` } }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.json.articles).toEqual({
      [articleId]: { commentCount: 1, reactionTotal: 0 },
      'unknown-article': { commentCount: 0, reactionTotal: 0 },
    });
  });

  it('TallyReactions tallies the votes of a KEYS_ONLY stream batch; GetCounts shows the total', async () => {
    const viral = 'bundle-viral-article';
    const vote = (visitor: string, reaction: string) =>
      invoke(
        'PutReaction',
        httpEvent('PUT', `/articles/${viral}/reactions`, {
          pathParameters: { articleId: viral },
          body: { visitorId: `bundle-visitor-${visitor}-0123456789`, reaction },
        }),
      );
    for (const [visitor, reaction] of [
      ['a', 'happy'],
      ['b', 'silly'],
      ['c', 'in-love'],
      ['d', 'happy'],
      ['a', 'excited'], // a switch: still one vote
    ] as const) {
      expect((await vote(visitor, reaction)).statusCode).toBe(200);
    }
    const withdrawn = await invoke(
      'DeleteReaction',
      httpEvent('DELETE', `/articles/${viral}/reactions`, {
        pathParameters: { articleId: viral },
        query: { visitorId: 'bundle-visitor-d-0123456789' },
      }),
    );
    expect(withdrawn.json).toMatchObject({ total: 3, mine: null });

    const counts = async () =>
      (await invoke('GetCounts', httpEvent('GET', '/counts', { query: { articles: viral } }))).json
        .articles;
    // Votes no longer write the count item: the total is the tally's to keep.
    expect(await counts()).toEqual({ [viral]: { commentCount: 0, reactionTotal: 0 } });

    const ofViral = (record: DynamoDBRecord) => record.dynamodb?.Keys?.SK?.S === `ARTICLE#${viral}`;
    const event = await streamBatch((records) => records.filter(ofViral).length >= 6);
    const votes = event.Records.filter(ofViral);
    // Four new votes, one switch, one withdrawal (sorted: shards need not keep one order).
    expect(votes.map((record) => record.eventName).sort()).toEqual([
      'INSERT',
      'INSERT',
      'INSERT',
      'INSERT',
      'MODIFY',
      'REMOVE',
    ]);
    for (const record of event.Records) {
      expect(record.dynamodb?.StreamViewType).toBe('KEYS_ONLY');
      expect(Object.keys(record.dynamodb ?? {})).not.toContain('NewImage');
    }

    expect(await invokeBundle('TallyReactions', event)).toBeNull();
    expect(await counts()).toEqual({ [viral]: { commentCount: 0, reactionTotal: 3 } });
    // Lambda may deliver a batch again: a tally recomputes, it does not add.
    expect(await invokeBundle('TallyReactions', event)).toBeNull();
    expect(await counts()).toEqual({ [viral]: { commentCount: 0, reactionTotal: 3 } });
  });

  /**
   * The vote records of the table's stream on DynamoDB Local, as the deployed event source
   * mapping hands them to the function: only keys beginning VOTE# (its filter), with Lambda's
   * eventSourceARN and ApproximateCreationDateTime in epoch seconds. Waits until `complete`
   * holds, as stream records can lag the write by a moment.
   */
  async function streamBatch(
    complete: (records: DynamoDBRecord[]) => boolean,
  ): Promise<DynamoDBStreamEvent> {
    const admin = createLowLevelClient(localEndpoint());
    const streams = new DynamoDBStreamsClient({
      endpoint: localEndpoint(),
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: table.tableName }));
      const streamArn = Table?.LatestStreamArn;
      if (!streamArn) throw new Error('the test table has no stream');
      for (let attempt = 0; ; attempt++) {
        const records: DynamoDBRecord[] = [];
        const { StreamDescription } = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          let { ShardIterator: iterator } = await streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shard.ShardId,
              ShardIteratorType: 'TRIM_HORIZON',
            }),
          );
          while (iterator) {
            const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
            for (const record of page.Records ?? []) {
              if (!record.dynamodb?.Keys?.PK?.S?.startsWith(VOTE_KEY_PREFIX)) continue;
              const created = record.dynamodb.ApproximateCreationDateTime;
              records.push({
                eventID: record.eventID,
                eventName: record.eventName,
                eventVersion: record.eventVersion,
                eventSource: record.eventSource,
                awsRegion: 'eu-west-1',
                eventSourceARN: streamArn,
                dynamodb: {
                  ApproximateCreationDateTime: created
                    ? Math.floor(created.getTime() / 1000)
                    : undefined,
                  Keys: record.dynamodb.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
                  SequenceNumber: record.dynamodb.SequenceNumber,
                  SizeBytes: record.dynamodb.SizeBytes,
                  StreamViewType: record.dynamodb.StreamViewType,
                },
              });
            }
            if ((page.Records ?? []).length === 0) break;
            iterator = page.NextShardIterator;
          }
        }
        if (complete(records) || attempt === 20) return { Records: records };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      admin.destroy();
      streams.destroy();
    }
  }

  it('AdminErase answers 401 unsigned and erases the email, signed', async () => {
    const request = httpEvent('POST', '/admin/erasures', { body: { email } });
    expectUnauthorized(await invoke('AdminErase', request));
    const erased = await invoke('AdminErase', signed(request));
    expect(erased.statusCode).toBe(200);
    expect(erased.json).toEqual({ erased: 1 });
    const listed = await invoke(
      'AdminListComments',
      signed(httpEvent('GET', '/admin/comments', { query: { status: 'published' } })),
    );
    expect(listed.json.comments).toEqual([
      expect.objectContaining({
        id: commentId,
        email: null,
        author: {
          name: ERASED_AUTHOR_NAME,
          website: null,
          staff: false,
          verified: false,
          badges: [],
        },
      }),
    ]);
    expect(listed.body).not.toContain(email);
  });

  it('AdminDeleteComment answers 401 unsigned and deletes, signed; the count follows', async () => {
    const request = httpEvent('DELETE', `/admin/comments/${commentId}`, {
      pathParameters: { commentId },
    });
    expectUnauthorized(await invoke('AdminDeleteComment', request));
    const deleted = await invoke('AdminDeleteComment', signed(request));
    expect(deleted.statusCode).toBe(204);
    const counts = await invoke(
      'GetCounts',
      httpEvent('GET', '/counts', { query: { articles: articleId } }),
    );
    expect(counts.json.articles).toEqual({ [articleId]: { commentCount: 0, reactionTotal: 0 } });
  });

  it('Fallback answers 404 for an unknown path and 405 for a wrong method', async () => {
    const missing = await invoke(
      'Fallback',
      httpEvent('GET', '/nowhere', { routeKey: '$default' }),
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const wrong = await invoke('Fallback', httpEvent('PATCH', '/counts', { routeKey: '$default' }));
    expect(wrong.statusCode).toBe(405);
  });
});
