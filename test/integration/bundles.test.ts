/**
 * The built bundles, not the TypeScript: synthesizes the real app (esbuild bundling on), then
 * imports each function's index.mjs in a fresh Node process, as Lambda does, and invokes its
 * handler against DynamoDB Local. This catches ESM bundling faults (a missing `require`
 * banner, an SDK left external, a broken import) that unit tests cannot see.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import { TalkbackStack } from '../../lib/talkback-stack';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { httpEvent } from '../support/events';

const run = promisify(execFile);

/** Imports the bundle and invokes its handler with the event on stdin; prints the result. */
const INVOKE = `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { handler } = await import(process.argv[1]);
const result = await handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), {});
process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result));
`;

interface Bundle {
  file: string;
  environment: Record<string, string>;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

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
    const template = assembly.getStackByName(stack.stackName).template as { Resources: Resources };
    for (const [id, fn] of Object.entries(stack.api.functions)) {
      const logicalId = stack.resolve((fn.node.defaultChild as CfnFunction).logicalId) as string;
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

  async function invoke(
    routeId: string,
    event: APIGatewayProxyEventV2,
  ): Promise<APIGatewayProxyStructuredResultV2 & { json: Record<string, unknown> }> {
    const bundle = bundles[routeId];
    if (!bundle) throw new Error(`no bundle for ${routeId}`);
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
    const result = JSON.parse(stdout.slice(marker + '@@RESULT@@'.length));
    return { ...result, json: JSON.parse(result.body ?? 'null') };
  }

  const articleId = 'bundle-article';
  const visitorId = 'bundle-visitor-0123456789';
  const pathParameters = { articleId };

  it('has a bundle for every route and the fallback', () => {
    expect(Object.keys(bundles).sort()).toEqual(
      [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id].sort(),
    );
    for (const bundle of Object.values(bundles)) {
      const source = readFileSync(bundle.file, 'utf8');
      expect(source.startsWith("import { createRequire } from 'module';")).toBe(true);
      // The SDK is inside the bundle, not imported from the runtime.
      expect(source).not.toMatch(/from\s*["']@aws-sdk\//);
    }
  });

  it('GetConfig answers 200 with the reactions', async () => {
    const result = await invoke('GetConfig', httpEvent('GET', '/config'));
    expect(result.statusCode).toBe(200);
    expect(result.json.reactions).toHaveLength(5);
  });

  it('CreateComment answers 201 and ListComments lists it with its count', async () => {
    const created = await invoke(
      'CreateComment',
      httpEvent('POST', `/articles/${articleId}/comments`, {
        pathParameters,
        body: { name: 'Ada', email: 'ada@example.com', body: 'From a bundle' },
      }),
    );
    expect(created.statusCode).toBe(201);
    const listed = await invoke(
      'ListComments',
      httpEvent('GET', `/articles/${articleId}/comments`, { pathParameters }),
    );
    expect(listed.statusCode).toBe(200);
    expect(listed.json).toMatchObject({ articleId, commentCount: 1 });
    expect(listed.body).not.toContain('ada@example.com');
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
