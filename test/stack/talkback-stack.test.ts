import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_SETTINGS } from '../../lambda/domain/settings';
import { FALLBACK_ROUTE, ROUTES } from '../../lambda/routes';
import { TOP_INDEX_ATTRIBUTES } from '../../lambda/store/attributes';
import { SDK_LIMITS } from '../../lambda/store/client';
import { TABLE_DEFINITION } from '../../lambda/store/table-definition';
import { HTTP_FUNCTION_TIMEOUT } from '../../lib/talkback-function';
import type { TalkbackStack } from '../../lib/talkback-stack';
import {
  allFunctions,
  buildStack,
  functionLogicalId,
  HASHING_ROUTE_IDS,
  logicalId,
  roleOf,
  TALLY_FUNCTION_ID,
} from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

function environmentOf(template: Template, logicalId: string): Record<string, unknown> {
  const fn = template.toJSON().Resources[logicalId] as Resource;
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('TalkbackStack with default context', () => {
  let stack: TalkbackStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = buildStack());
  });

  describe('table', () => {
    it('is one on-demand table keyed by the shared definition, with TTL', () => {
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: {
          AttributeName: TABLE_DEFINITION.timeToLiveAttribute,
          Enabled: true,
        },
      });
    });

    it('has point-in-time recovery and deletion protection', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      });
    });

    it('is encrypted with the AWS managed KMS key', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    });

    it.each([
      ['byStatus', 'status', 'createdAt', 'ALL'],
      ['byEmailHash', 'emailHash', 'createdAt', 'KEYS_ONLY'],
      ['byCommentId', 'commentId', undefined, 'KEYS_ONLY'],
      ['articles', 'articleList', 'articleId', 'KEYS_ONLY'],
      ['byCommenter', 'commenterId', 'createdAt', 'INCLUDE'],
    ])('has the index %s on %s / %s, projecting %s', (name, partition, sort, projection) => {
      const table = Object.values(
        template.findResources('AWS::DynamoDB::GlobalTable'),
      )[0] as Resource;
      const indexes = table.Properties.GlobalSecondaryIndexes as {
        IndexName: string;
        KeySchema: unknown[];
        Projection: unknown;
      }[];
      const index = indexes.find((candidate) => candidate.IndexName === name);
      expect(index?.KeySchema).toEqual([
        { AttributeName: partition, KeyType: 'HASH' },
        ...(sort ? [{ AttributeName: sort, KeyType: 'RANGE' }] : []),
      ]);
      expect(index?.Projection).toEqual(
        projection === 'INCLUDE'
          ? { ProjectionType: projection, NonKeyAttributes: ['status'] }
          : { ProjectionType: projection },
      );
      expect(table.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: partition, AttributeType: 'S' },
          ...(sort ? [{ AttributeName: sort, AttributeType: 'S' }] : []),
        ]),
      );
    });

    it('has exactly the five indexes of the shared definition', () => {
      const table = Object.values(
        template.findResources('AWS::DynamoDB::GlobalTable'),
      )[0] as Resource;
      const names = (table.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map(
        (index) => index.IndexName,
      );
      expect(names.sort()).toEqual(
        TABLE_DEFINITION.globalIndexes.map((index) => index.indexName).sort(),
      );
      expect(names).toHaveLength(6);
    });

    // A Top page reads 24 attributes, more than an INCLUDE projection takes (20): the index
    // projects ALL, and the public reads' allow-list keeps them to public attributes
    // (privacy.test.ts checks the byTop Query's conditions).
    it('projects every attribute into index byTop, within what CloudFormation takes', () => {
      const table = Object.values(
        template.findResources('AWS::DynamoDB::GlobalTable'),
      )[0] as Resource;
      const top = (
        table.Properties.GlobalSecondaryIndexes as {
          IndexName: string;
          Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
        }[]
      ).find((index) => index.IndexName === 'byTop');
      expect(top?.Projection).toEqual({ ProjectionType: 'ALL' });
      expect(TOP_INDEX_ATTRIBUTES.length).toBeGreaterThan(20);
    });

    it('has a keys-only stream, as the shared definition says', () => {
      expect(TABLE_DEFINITION.stream).toBe('KEYS_ONLY');
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      });
    });

    it('is retained when the stack is deleted', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('functions', () => {
    /**
     * Talkback's own functions: all but CDK's deploy-time function that copies the widget into
     * its bucket (lib/talkback-edge.ts), whose runtime and role CDK writes.
     */
    const ownFunctions = () =>
      Object.fromEntries(
        Object.entries(template.findResources('AWS::Lambda::Function')).filter(
          ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
        ),
      );

    it('are one per route plus the fallback and the reaction tally, and the widget deployment', () => {
      template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + 3);
      expect(Object.keys(ownFunctions())).toHaveLength(ROUTES.length + 2);
      for (const id of [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id, TALLY_FUNCTION_ID]) {
        expect(template.toJSON().Resources[functionLogicalId(stack, id)]).toBeDefined();
      }
    });

    it('all run Node.js 24 on arm64 with tracing, source maps, 512 MB and 10 s (the tally 60 s)', () => {
      const tallyId = functionLogicalId(stack, TALLY_FUNCTION_ID);
      const functions = ownFunctions();
      for (const [id, fn] of Object.entries(functions) as [string, Resource][]) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: 512,
          Timeout: id === tallyId ? 60 : 10,
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
          LoggingConfig: { LogGroup: expect.anything() },
        });
      }
    });

    it('give up in order: the SDK before the function, the function before API Gateway', () => {
      // API Gateway's integration timeout is fixed at 30 s for HTTP APIs.
      const gatewaySeconds = 30;
      const functionSeconds = HTTP_FUNCTION_TIMEOUT.toSeconds();
      const sdkWorstMs = SDK_LIMITS.requestTimeoutMs * SDK_LIMITS.maxAttempts;
      expect(sdkWorstMs).toBeLessThan(functionSeconds * 1000);
      expect(functionSeconds).toBeLessThan(gatewaySeconds);
      for (const id of [...ROUTES.map((route) => route.id), FALLBACK_ROUTE.id]) {
        const fn = template.toJSON().Resources[functionLogicalId(stack, id)] as Resource;
        expect([id, fn.Properties.Timeout]).toEqual([id, functionSeconds]);
      }
    });

    it("all log in Lambda's JSON format: the app at INFO, the platform at WARN", () => {
      const functions = Object.values(ownFunctions());
      expect(functions).toHaveLength(ROUTES.length + 2);
      for (const fn of functions as Resource[]) {
        expect(fn.Properties.LoggingConfig).toEqual({
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          SystemLogLevel: 'WARN',
          LogGroup: { Ref: expect.any(String) },
        });
      }
    });

    it('reserve 10 instances for each public function; operator routes and the tally reserve none', () => {
      const publicIds = [
        ...ROUTES.filter((route) => route.auth === 'public').map((route) => route.id),
        FALLBACK_ROUTE.id,
      ];
      const uncapped = [
        ...ROUTES.filter((route) => route.auth === 'operator').map((route) => route.id),
        TALLY_FUNCTION_ID,
      ];
      expect(uncapped.length).toBeGreaterThan(1);
      const reserved = (id: string) =>
        (template.toJSON().Resources[functionLogicalId(stack, id)] as Resource).Properties
          .ReservedConcurrentExecutions;
      for (const id of publicIds) expect([id, reserved(id)]).toEqual([id, 10]);
      for (const id of uncapped) expect([id, reserved(id)]).toEqual([id, undefined]);
    });

    it('each log to their own log group kept for 30 days', () => {
      // One per function, and the API's access logs.
      template.resourceCountIs('AWS::Logs::LogGroup', ROUTES.length + 2 + 1);
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
    });

    it('give the settings to every function and the table name only to table users', () => {
      const settings = JSON.stringify(DEFAULT_SETTINGS);
      const tally = { id: TALLY_FUNCTION_ID, access: 'reaction-tally' };
      for (const route of [...ROUTES, FALLBACK_ROUTE, tally]) {
        const env = environmentOf(template, functionLogicalId(stack, route.id));
        expect(env.TALKBACK_SETTINGS).toBe(settings);
        if (route.access === 'none') {
          expect(env).not.toHaveProperty('TABLE_NAME');
        } else {
          expect(env.TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^DataTable/) });
        }
      }
    });

    /** The functions that compute keyed hashes (lambda/domain: cursors, edit tokens, visitor, client and email hashes). */
    const HASHING = [
      // The thread's first page hands out a signed cursor, as the comment list does.
      'GetThread',
      'ListComments',
      'CreateComment',
      'GetReactions',
      'PutReaction',
      'DeleteReaction',
      'EditComment',
      'DeleteComment',
      // A like counts once per visitor's (or reader's) keyed hash, and so does a report.
      'PutLike',
      'DeleteLike',
      'PostReport',
      'AdminListComments',
      'AdminErase',
      // Not the mail links' functions: their tokens are under the link secret's keys
      // (test/stack/secrets.test.ts).
      'AdminImport',
      // The email's keyed hash, to count what an erasure would change.
      'AdminErasureCount',
      // A guest's commenterId and the email's hash, to find a commenter by email.
      'AdminFindCommenter',
    ];
    const everyFunction = () => [
      ...ROUTES.map((route) => route.id),
      FALLBACK_ROUTE.id,
      TALLY_FUNCTION_ID,
    ];
    const secretRef = { Ref: Match.stringLikeRegexp('^ApiHashSecret') };

    it('mark exactly the hashing functions in the route table', () => {
      expect(HASHING_ROUTE_IDS).toEqual(HASHING);
    });

    it('never put the hashing secret in a function configuration', () => {
      for (const id of everyFunction()) {
        const env = environmentOf(template, functionLogicalId(stack, id));
        expect([id, env]).not.toEqual([
          id,
          expect.objectContaining({ TALKBACK_SECRET: expect.anything() }),
        ]);
        // No secret's value is resolved into any function's configuration.
        const hashSecret = Object.keys(
          template.findResources('AWS::SecretsManager::Secret', {
            Properties: { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) },
          }),
        )[0];
        expect([id, JSON.stringify(env)]).not.toEqual([
          id,
          expect.stringContaining('resolve:secretsmanager'),
        ]);
        expect(hashSecret).toMatch(/^ApiHashSecret/);
      }
    });

    it('give the secret ARN, and the right to read it, to exactly the hashing functions', () => {
      const secret = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
      expect(secret).toEqual([
        expect.stringMatching(/^ApiHashSecret/),
        expect.stringMatching(/^ApiLinkSecret/),
        expect.stringMatching(/^EdgeOriginVerify/),
      ]);
      for (const id of everyFunction()) {
        const env = environmentOf(template, functionLogicalId(stack, id));
        const roleId = roleOf(template, functionLogicalId(stack, id));
        const grants = Object.values(
          template.findResources('AWS::IAM::Policy', {
            Properties: {
              Roles: [{ Ref: roleId }],
              PolicyDocument: {
                Statement: Match.arrayWith([
                  Match.objectLike({
                    Action: Match.stringLikeRegexp('^secretsmanager:'),
                    Resource: secretRef,
                  }),
                ]),
              },
            },
          }),
        );
        if (HASHING.includes(id)) {
          expect([id, env.TALKBACK_SECRET_ARN]).toEqual([id, { Ref: secret[0] }]);
          template.hasResourceProperties('AWS::IAM::Policy', {
            Roles: [{ Ref: roleId }],
            PolicyDocument: {
              Statement: Match.arrayWith([
                Match.objectEquals({
                  Effect: 'Allow',
                  Action: 'secretsmanager:GetSecretValue',
                  Resource: secretRef,
                }),
              ]),
            },
          });
        } else {
          expect([id, env]).not.toEqual([
            id,
            expect.objectContaining({ TALKBACK_SECRET_ARN: expect.anything() }),
          ]);
          expect([id, grants]).toEqual([id, []]);
        }
      }
    });

    it("never uses the managed basic execution role (but for CDK's widget deployment)", () => {
      const deployRole = stack.edge.node.findAll().find((c) => c.node.id === 'DeployWidget');
      const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(
        ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
      ) as [string, Resource][];
      expect(deployRole).toBeDefined();
      expect(roles.length).toBeGreaterThan(ROUTES.length);
      for (const [, role] of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  describe('reaction tally', () => {
    type Mapping = Resource & { Properties: Record<string, unknown> };
    const mappings = () =>
      Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Mapping[];
    const queueId = () =>
      logicalId(stack, stack.reactionTally.failures.node.defaultChild as CfnQueue);

    it('is the only event source mapping: the tally function on the table stream', () => {
      expect(mappings()).toHaveLength(1);
      expect(mappings()[0]?.Properties).toMatchObject({
        FunctionName: { Ref: functionLogicalId(stack, TALLY_FUNCTION_ID) },
        EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'StreamArn'] },
        StartingPosition: 'LATEST',
      });
    });

    it('batches up to 1000 records for up to 1 s, so a viral article is tallied a few times a second', () => {
      expect(mappings()[0]?.Properties).toMatchObject({
        BatchSize: 1000,
        MaximumBatchingWindowInSeconds: 1,
      });
    });

    it('halves a failing batch, retries a bounded number of times, then records it in a queue', () => {
      const properties = mappings()[0]?.Properties ?? {};
      expect(properties.BisectBatchOnFunctionError).toBe(true);
      expect(properties.MaximumRetryAttempts).toBe(5);
      expect(properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId(), 'Arn'] } },
      });
      // The handler throws on failure and a tally is idempotent: no partial batch responses.
      expect(properties.FunctionResponseTypes).toBeUndefined();
    });

    it('passes only the records of votes, likes and comments to the function', () => {
      const criteria = mappings()[0]?.Properties.FilterCriteria as
        | { Filters: { Pattern: string }[] }
        | undefined;
      const filters = criteria?.Filters ?? [];
      expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
        { dynamodb: { Keys: { PK: { S: [{ prefix: 'VOTE#' }] } } } },
        { dynamodb: { Keys: { PK: { S: [{ prefix: 'LIKE#' }] } } } },
        { dynamodb: { Keys: { SK: { S: [{ prefix: 'COMMENT#' }] } } } },
      ]);
    });

    it('keeps failed batches in an encrypted, TLS-only queue for 14 days', () => {
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResource('AWS::SQS::Queue', {
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId() }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('may send to its queue and read the stream, and nothing else outside the table', () => {
      const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Resource[];
      const roleId = (
        (template.toJSON().Resources[functionLogicalId(stack, TALLY_FUNCTION_ID)] as Resource)
          .Properties.Role as { 'Fn::GetAtt': [string, string] }
      )['Fn::GetAtt'][0];
      const statements = policies
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
        .flatMap(
          (policy) =>
            (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
              .Statement,
        );
      const onQueue = statements.filter(
        (statement) =>
          JSON.stringify(statement.Resource) ===
          JSON.stringify({ 'Fn::GetAtt': [queueId(), 'Arn'] }),
      );
      expect(onQueue.flatMap((statement) => statement.Action as string[]).sort()).toEqual([
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ]);
      const onStream = statements.filter((statement) =>
        JSON.stringify(statement.Resource).includes('"StreamArn"'),
      );
      expect(onStream.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ]);
    });

    it('serves no API route', () => {
      const integrations = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Integration'));
      expect(integrations).not.toContain(functionLogicalId(stack, TALLY_FUNCTION_ID));
    });
  });

  describe('HTTP API', () => {
    it('has exactly the route table routes plus $default', () => {
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route'),
      ) as Resource[];
      const keys = routes.map((route) => route.Properties.RouteKey).sort();
      expect(keys).toEqual(
        [...ROUTES.map((route) => `${route.method} ${route.path}`), '$default'].sort(),
      );
    });

    it('sends each route to its own function', () => {
      const resources = template.toJSON().Resources as Record<string, Resource>;
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route'),
      ) as Resource[];
      const functionFor = (routeKey: string): string => {
        const route = routes.find((candidate) => candidate.Properties.RouteKey === routeKey);
        const target = JSON.stringify(route?.Properties.Target);
        const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
        const uri = resources[integrationId]?.Properties.IntegrationUri as {
          'Fn::GetAtt': [string, string];
        };
        return uri['Fn::GetAtt'][0];
      };
      for (const route of ROUTES) {
        expect(functionFor(`${route.method} ${route.path}`)).toBe(
          functionLogicalId(stack, route.id),
        );
      }
      expect(functionFor('$default')).toBe(functionLogicalId(stack, FALLBACK_ROUTE.id));
    });

    it('requires IAM (SigV4) on every /admin/ route and no authorization elsewhere', () => {
      const routes = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route'),
      ) as Resource[];
      const admin = routes.filter((route) =>
        String(route.Properties.RouteKey).split(' ')[1]?.startsWith('/admin/'),
      );
      expect(admin).toHaveLength(20);
      for (const route of routes) {
        const isAdmin = admin.includes(route);
        expect([route.Properties.RouteKey, route.Properties.AuthorizationType]).toEqual([
          route.Properties.RouteKey,
          isAdmin ? 'AWS_IAM' : 'NONE',
        ]);
      }
    });

    it('marks exactly the /admin/ routes as operator routes in the route table', () => {
      for (const route of ROUTES) {
        expect([route.id, route.auth]).toEqual([
          route.id,
          route.path.startsWith('/admin/') ? 'operator' : 'public',
        ]);
      }
    });

    it('answers CORS preflights for any origin by default', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['*'],
          AllowMethods: Match.arrayEquals(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
          // The console's SigV4 headers come from the CDN's origin.
          AllowHeaders: [
            'content-type',
            'authorization',
            'x-amz-date',
            'x-amz-security-token',
            'x-amz-content-sha256',
          ],
          // A widget on another origin must read Retry-After after a 429 or 503.
          ExposeHeaders: ['retry-after'],
          MaxAge: 600,
        },
      });
    });

    // Views no longer reach the stage (the CDN calls the thread's function URL): what is left is
    // votes, comments and later pages; a viral article's votes fit (docs/edge.md).
    it('has one auto-deployed $default stage throttled at 300/s, burst 600', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 300, ThrottlingBurstLimit: 600 },
      });
    });

    it('writes JSON access logs of safe fields only', () => {
      const stage = Object.values(
        template.findResources('AWS::ApiGatewayV2::Stage'),
      )[0] as Resource;
      const settings = stage.Properties.AccessLogSettings as {
        DestinationArn: unknown;
        Format: string;
      };
      expect(settings.DestinationArn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'],
      });
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(Object.keys(format).sort()).toEqual(
        [
          'requestId',
          'requestTime',
          'routeKey',
          'status',
          'protocol',
          'responseLatency',
          'integrationError',
        ].sort(),
      );
      expect(format.requestId).toBe('$context.requestId');
      for (const secretive of ['sourceIp', 'body', 'userAgent', 'path', 'querystring', 'header']) {
        expect(settings.Format.toLowerCase()).not.toContain(secretive.toLowerCase());
      }
    });
  });

  describe('secret', () => {
    it('is generated at deploy time and retained', () => {
      // The hashing and link secrets (test/stack/secrets.test.ts), and the CDN's origin-verify
      // value (test/stack/edge.test.ts).
      template.resourceCountIs('AWS::SecretsManager::Secret', 3);
      template.hasResource('AWS::SecretsManager::Secret', {
        Properties: {
          GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
        },
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('outputs', () => {
    it('give the API URL and the table name', () => {
      template.hasOutput('ApiUrl', {
        Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      });
      template.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('^DataTable') } });
    });

    it('give operators the execute-api ARN of the /admin/ routes', () => {
      const output = template.toJSON().Outputs.AdminInvokeArn as { Value: unknown };
      const text = JSON.stringify(output.Value);
      expect(text).toContain(':execute-api:');
      expect(text).toContain('/$default/*/admin/*');
    });
  });
});

describe('TalkbackStack context', () => {
  it('destroyOnRemoval=true makes a disposable dev stack', () => {
    const { template } = buildStack({ destroyOnRemoval: 'true' });
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: {
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
      },
    });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  it('takes CORS origins, throttling and log retention from context', () => {
    const { template } = buildStack({
      allowedOrigins: '["https://news.example","https://www.news.example"]',
      throttleRate: '25',
      throttleBurst: 50,
      logRetentionDays: '90',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://news.example', 'https://www.news.example'],
      }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it.each([
    ['unset by default', {}, undefined],
    ['off with jsonFastPath=false', { jsonFastPath: 'false' }, 'off'],
    ['off with jsonFastPath false in cdk.json', { jsonFastPath: false }, 'off'],
  ])('gives every function TALKBACK_JSON_FAST_PATH %s', (_, context, expected) => {
    const { stack, template } = buildStack(context);
    const resources = template.toJSON().Resources;
    const functions = Object.keys(allFunctions(stack));
    expect(functions).toHaveLength(ROUTES.length + 2);
    for (const id of functions) {
      const environment = (resources[functionLogicalId(stack, id)] as Resource).Properties
        .Environment as { Variables: Record<string, string> };
      expect([id, environment.Variables.TALKBACK_JSON_FAST_PATH]).toEqual([id, expected]);
    }
  });

  it.each([
    ['a number from cdk.json', 50, 50],
    ['a string from the command line', '5', 5],
    ['0, meaning none', 0, undefined],
    ['"none"', 'none', undefined],
  ])('takes reservedConcurrency as %s', (_, value, expected) => {
    const { stack, template } = buildStack({ reservedConcurrency: value });
    const properties = (
      template.toJSON().Resources[functionLogicalId(stack, 'CreateComment')] as Resource
    ).Properties;
    expect(properties.ReservedConcurrentExecutions).toBe(expected);
  });

  it('accepts comma-separated origins from the command line', () => {
    const { template } = buildStack({ allowedOrigins: 'https://a.example, https://b.example' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://a.example', 'https://b.example'],
      }),
    });
  });

  it('passes a custom reaction set and limits to the functions', () => {
    const reactions = [
      { key: 'agree', label: 'Agree' },
      { key: 'disagree', label: 'Disagree' },
    ];
    const { stack, template } = buildStack({
      reactions: JSON.stringify(reactions),
      limits: { bodyMaxChars: 2000 },
      reactionShards: 4,
    });
    const env = environmentOf(template, functionLogicalId(stack, 'GetConfig'));
    const settings = JSON.parse(String(env.TALKBACK_SETTINGS));
    expect(settings.reactions).toEqual(reactions);
    expect(settings.limits.bodyMaxChars).toBe(2000);
    expect(settings.reactionShards).toBe(4);
  });

  it('passes the house rules and email-domain rules from context to the functions', () => {
    const { stack, template } = buildStack({
      rules: '{"hold":["idiot"],"block":["cheap pills"]}',
      emailDomains: { disposable: 'refuse', block: ['Spam.Example'] },
    });
    const env = environmentOf(template, functionLogicalId(stack, 'CreateComment'));
    const settings = JSON.parse(String(env.TALKBACK_SETTINGS));
    expect(settings.screening).toBe('rules');
    expect(settings.rules).toEqual({ hold: ['idiot'], block: ['cheap pills'] });
    expect(settings.emailDomains).toEqual({
      disposable: 'refuse',
      hold: [],
      block: ['spam.example'],
    });
  });

  it.each([
    [{ screening: 'perspective' }, 'Talkback context "screening": screening must be one of'],
    [{ rules: '["idiot"]' }, 'Talkback context "rules": must be a JSON object'],
    [{ emailDomains: { disposable: 'maybe' } }, 'Talkback context "emailDomains"'],
  ])('fails the synth on a bad screening setting %j, naming its key', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });

  it.each([
    ['a command-line string', '14'],
    ['a cdk.json number', 14],
  ])('passes autoCloseDays from %s to the functions', (_, autoCloseDays) => {
    const { stack, template } = buildStack({ autoCloseDays });
    for (const id of ['CreateComment', 'GetThread', 'AdminChangeArticle']) {
      const env = environmentOf(template, functionLogicalId(stack, id));
      expect(JSON.parse(String(env.TALKBACK_SETTINGS)).autoCloseDays).toBe(14);
    }
  });

  it('uses the default moderation and rate limits when the context sets none', () => {
    const { stack, template } = buildStack();
    const env = environmentOf(template, functionLogicalId(stack, 'CreateComment'));
    const settings = JSON.parse(String(env.TALKBACK_SETTINGS));
    expect(settings.moderation).toEqual({
      policy: 'first-time',
      maxLinks: 2,
      editWindowMinutes: 15,
      undoSeconds: 6,
    });
    expect(settings.rateLimits).toEqual({
      commentsPerMinute: 3,
      commentsPerHour: 20,
      reactionsPerMinute: 30,
      reactionsPerHour: 300,
    });
  });

  it("passes the decisions' grounds and contact from context to the functions", () => {
    const decisions = {
      grounds: [{ id: 'hate', text: 'Illegal hate speech', illegal: 'hate speech' }],
      contact: 'appeals@news.example',
    };
    const { stack, template } = buildStack({ decisions: JSON.stringify(decisions) });
    const env = environmentOf(template, functionLogicalId(stack, 'AdminModerateComment'));
    expect(JSON.parse(String(env.TALKBACK_SETTINGS)).decisions).toEqual(decisions);
  });

  it.each([
    [
      'command-line strings',
      { moderationPolicy: 'all', maxLinks: '0', editWindowMinutes: '30', undoSeconds: '10' },
    ],
    [
      'cdk.json values',
      { moderationPolicy: 'all', maxLinks: 0, editWindowMinutes: 30, undoSeconds: 10 },
    ],
  ])('passes moderation settings from %s to every function', (_, context) => {
    const { stack, template } = buildStack({
      ...context,
      rateLimits: '{"commentsPerMinute":5,"reactionsPerHour":1000}',
    });
    for (const route of [...ROUTES, FALLBACK_ROUTE]) {
      const env = environmentOf(template, functionLogicalId(stack, route.id));
      const settings = JSON.parse(String(env.TALKBACK_SETTINGS));
      expect(settings.moderation).toEqual({
        policy: 'all',
        maxLinks: 0,
        editWindowMinutes: 30,
        undoSeconds: 10,
      });
      // A partial object: the other limits keep their defaults.
      expect(settings.rateLimits).toEqual({
        commentsPerMinute: 5,
        commentsPerHour: 20,
        reactionsPerMinute: 30,
        reactionsPerHour: 1000,
      });
    }
  });

  it.each([
    [{ reactions: '[{"key":"Bad Key","label":"x"}]' }, /"reactions": reaction key "Bad Key"/],
    [{ reactions: 'not json' }, /"reactions": is not valid JSON/],
    [{ limits: { bodyMaxChars: -1 } }, /limits\.bodyMaxChars must be a positive integer/],
    [{ limits: { colour: 1 } }, /unknown limit colour/],
    [{ allowedOrigins: '["news.example"]' }, /"allowedOrigins": "news.example" is not/],
    [{ allowedOrigins: '[]' }, /"allowedOrigins": must be a non-empty list/],
    [{ allowedOrigins: '["*","https://a.example"]' }, /cannot be combined/],
    [{ throttleRate: 'fast' }, /"throttleRate": must be a number of at least 1, got "fast"/],
    [{ throttleBurst: 0 }, /"throttleBurst": must be a number of at least 1/],
    [{ throttleBurst: 1.5 }, /"throttleBurst": must be a whole number/],
    [{ destroyOnRemoval: 'yes' }, /"destroyOnRemoval": must be true or false, got "yes"/],
    [{ destroyOnRemoval: 1 }, /"destroyOnRemoval": must be true or false/],
    [{ jsonFastPath: 'off' }, /"jsonFastPath": must be true or false, got "off"/],
    [{ logRetentionDays: 31 }, /"logRetentionDays": must be one of/],
    [{ limits: 5 }, /"limits": must be a JSON object/],
    [{ moderationPolicy: 'sometimes' }, /"moderationPolicy": moderation\.policy must be one of/],
    [{ moderationPolicy: 1 }, /"moderationPolicy": moderation\.policy must be one of/],
    [{ maxLinks: '-1' }, /"maxLinks": moderation\.maxLinks must be a whole number/],
    [{ maxLinks: 'many' }, /"maxLinks": must be a whole number, got "many"/],
    [{ editWindowMinutes: 0 }, /"editWindowMinutes": .*editWindowMinutes must be a positive/],
    [{ editWindowMinutes: '1.5' }, /"editWindowMinutes": .*editWindowMinutes must be a positive/],
    [{ undoSeconds: 900 }, /"undoSeconds": moderation\.undoSeconds is at most 300/],
    [{ rateLimits: '{"commentsPerDay":1}' }, /"rateLimits": unknown rate limit commentsPerDay/],
    [{ rateLimits: { commentsPerMinute: 0 } }, /"rateLimits": rateLimits\.commentsPerMinute must/],
    [{ rateLimits: '[3]' }, /"rateLimits": must be a JSON object/],
    [{ rateLimits: '5' }, /"rateLimits": must be a JSON object/],
    [{ rateLimits: 'fast' }, /"rateLimits": is not valid JSON/],
    [{ reports: '{"threshold":0}' }, /"reports": reports\.threshold must be a positive integer/],
    [
      { reports: { hideOnIllegal: 'yes' } },
      /"reports": reports\.hideOnIllegal must be true or false/,
    ],
    [{ reports: '{"limit":3}' }, /"reports": unknown report setting limit/],
    [{ decisions: '{"grounds":[]}' }, /"decisions": decisions\.grounds must be a list of 1 to 50/],
    [{ decisions: { contact: '' } }, /"decisions": decisions\.contact must be an address/],
    [{ decisions: '["spam"]' }, /"decisions": must be a JSON object/],
    [{ reservedConcurrency: -1 }, /"reservedConcurrency": must be a number of at least 0/],
    [{ reservedConcurrency: '2.5' }, /"reservedConcurrency": must be a whole number/],
    [
      { reservedConcurrency: 'lots' },
      /"reservedConcurrency": must be a number of at least 0, got "lots"/,
    ],
    [{ autoCloseDays: '0' }, /"autoCloseDays": autoCloseDays must be a whole number of days/],
    [{ autoCloseDays: 'week' }, /"autoCloseDays": must be a whole number, got "week"/],
  ])('rejects bad context %j', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });

  it('makes the CDK app say a bad context value in one line, not a stack trace', () => {
    const root = join(__dirname, '..', '..');
    const outdir = mkdtempSync(join(tmpdir(), 'talkback-synth-'));
    try {
      const run = spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/talkback.ts'],
        {
          cwd: root,
          // What `cdk synth -c jsonFastPath=maybe` hands the app.
          env: { ...process.env, CDK_CONTEXT_JSON: '{"jsonFastPath":"maybe"}', CDK_OUTDIR: outdir },
          encoding: 'utf8',
        },
      );
      expect(run.stderr.trim()).toBe(
        'Talkback context "jsonFastPath": must be true or false, got "maybe"',
      );
      expect(run.status).toBe(1);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
