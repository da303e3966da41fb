import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { ORIGIN_VERIFY_ARN_ENV } from '../../lambda/env';
import { ROUTES } from '../../lambda/routes';
import { CONSOLE_INDEX_FUNCTION } from '../../lib/edge-console';
import { CONSOLE_ROUTE_IDS } from '../../lib/talkback-moderators';
import { TalkbackStack } from '../../lib/talkback-stack';
import { prepare } from '../../web/console/api';
import { consoleSecurityHeaders } from '../../web/console/security-headers';
import { allFunctions, buildStack, functionLogicalId, policyStatementsOf } from './synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface Behaviour {
  PathPattern: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: unknown;
  OriginRequestPolicyId?: unknown;
  ResponseHeadersPolicyId?: unknown;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
  Compress: boolean;
}

const { template, stack } = buildStack();

function only(type: string): Resource {
  const found = Object.values(template.findResources(type)) as Resource[];
  if (found.length !== 1) throw new Error(`${found.length} ${type}`);
  return found[0] as Resource;
}

const config = only('AWS::CloudFront::Distribution').Properties.DistributionConfig as {
  CacheBehaviors: Behaviour[];
  DefaultCacheBehavior: Behaviour;
  Origins: {
    Id: string;
    DomainName: unknown;
    S3OriginConfig?: unknown;
    OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
  }[];
};

/** CloudFront's path pattern: `*` any run of characters, `?` one, case-sensitive. */
function matches(pattern: string, path: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}

/** The behaviour CloudFront picks for a path: the first whose pattern matches, else default. */
function behaviourFor(path: string): Behaviour {
  return (
    config.CacheBehaviors.find((b) => matches(b.PathPattern, path)) ?? config.DefaultCacheBehavior
  );
}

const concrete = (path: string) =>
  path.replace('{articleId}', 'an-article').replace('{commentId}', '01JDQ7X6ZJ6Y8R3K2V9N4T5B1C');

/** The logical id of a construct's CloudFormation resource. */
const logicalIdOf = (construct: { node: { defaultChild?: unknown } } | CfnElement) =>
  stack.getLogicalId(
    ('node' in construct && construct.node.defaultChild
      ? construct.node.defaultChild
      : construct) as CfnElement,
  );

/** The logical id a Ref points at. */
const ref = (value: unknown) => (value as { Ref: string }).Ref;

function cachePolicy(behaviour: Behaviour): Record<string, unknown> {
  const resource = template.toJSON().Resources[ref(behaviour.CachePolicyId)] as Resource;
  return resource.Properties.CachePolicyConfig as Record<string, unknown>;
}

describe('the CDN (TalkbackEdge)', () => {
  it('keeps the widget in a private, encrypted bucket that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3' }),
    });
  });

  it('deploys the built widget with a cache lifetime, and invalidates it on each deploy', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: Match.anyValue(),
      SystemMetadata: {
        'cache-control': 'public, max-age=300, stale-while-revalidate=86400',
      },
      DistributionPaths: ['/talkback.js', '/talkback.css', '/count.js', '/locales/*'],
    });
  });

  it("deploys the widget's chunks cached for a year, before talkback.js, never pruning the last release's", () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Prune: false,
      DistributionPaths: Match.absent(),
    });
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const [chunks] = Object.entries(deployments).find(
      ([, resource]) => resource.Properties.Prune === false,
    ) ?? [''];
    const widget = Object.values(deployments).find((resource) =>
      resource.Properties.DistributionPaths?.includes('/talkback.js'),
    );
    expect(widget?.DependsOn).toEqual(expect.arrayContaining([chunks]));
  });

  it('serves HTTP/2 and HTTP/3 over HTTPS only, compressed', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ HttpVersion: 'http2and3', Enabled: true }),
    });
    for (const behaviour of [...config.CacheBehaviors, config.DefaultCacheBehavior]) {
      expect(behaviour.Compress).toBe(true);
    }
  });

  it('serves the widget from the bucket by default, reads only', () => {
    const s3 = config.Origins.find(
      (origin) => origin.Id === config.DefaultCacheBehavior.TargetOriginId,
    );
    expect(JSON.stringify(s3?.DomainName)).toMatch(/RegionalDomainName/);
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it("lets any page's origin read the widget's files (the widget fetches its language files)", () => {
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy', {
      Properties: {
        ResponseHeadersPolicyConfig: Match.objectLike({
          CorsConfig: {
            AccessControlAllowOrigins: { Items: ['*'] },
            AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
            AccessControlAllowHeaders: { Items: ['*'] },
            AccessControlAllowCredentials: false,
            OriginOverride: true,
          },
        }),
      },
    });
    expect(Object.keys(policies)).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ResponseHeadersPolicyId: { Ref: Object.keys(policies)[0] },
        }),
      }),
    });
  });

  describe("the console's calls, through the CDN to the API, from the console's own origin", () => {
    const consoleCalls = ROUTES.filter((route) =>
      (CONSOLE_ROUTE_IDS as readonly string[]).includes(route.id),
    );
    const apiOriginId = behaviourFor('/articles/an-article/comments').TargetOriginId;
    /** The headers the console signs (web/console/api.ts), for a write with a body. */
    let signedByConsole: string[] = [];
    beforeAll(async () => {
      const { init } = await prepare(
        {
          apiUrl: 'https://comments.news.example/',
          signedHost: 'a.execute-api.eu-west-1.amazonaws.com',
        },
        {
          kind: 'sigv4',
          region: 'eu-west-1',
          credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiresAt: 0 },
        },
        'PATCH',
        '/admin/comments/01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
        { status: 'published' },
      );
      signedByConsole =
        /SignedHeaders=([^,]+)/.exec(init.headers.authorization ?? '')?.[1]?.split(';') ?? [];
      expect(signedByConsole).toContain('x-amz-date');
    });

    it.each(consoleCalls.map((route) => [route.method, route.path]))(
      '%s %s reaches the API, with what its signature covers, and nothing is kept',
      (method, path) => {
        const behaviour = behaviourFor(concrete(path));
        expect(behaviour.TargetOriginId).toBe(apiOriginId);
        expect(behaviour.AllowedMethods).toContain(method);
        // CloudFront sends Authorization only as part of a cache key; the answers say no-store.
        const policy = cachePolicy(behaviour);
        expect(policy.DefaultTTL).toBe(0);
        expect(
          (policy.ParametersInCacheKeyAndForwardedToOrigin as { HeadersConfig: unknown })
            .HeadersConfig,
        ).toEqual({ HeaderBehavior: 'whitelist', Headers: ['authorization'] });
        // The signed headers but the Host, which CloudFront sets to the API's own.
        const request = template.toJSON().Resources[
          ref(behaviour.OriginRequestPolicyId)
        ] as Resource;
        expect(request.Properties.OriginRequestPolicyConfig).toEqual(
          expect.objectContaining({
            HeadersConfig: {
              HeaderBehavior: 'whitelist',
              Headers: signedByConsole.filter((header) => header !== 'host'),
            },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
            CookiesConfig: { CookieBehavior: 'none' },
          }),
        );
        expect(behaviour.ResponseHeadersPolicyId).toBeDefined();
      },
    );

    it("writes config.json to send to the page's origin and sign for the host CloudFront sends", () => {
      const apiOrigin = config.Origins.find((origin) => origin.Id === apiOriginId);
      const written = stack.resolve(stack.edge.consoleConfig) as Record<string, unknown>;
      expect(written.apiUrl).toBe('/');
      expect(written.signedHost).toEqual(apiOrigin?.DomainName);
      // Deployed as config.json beside the page (its deploy-time values as markers).
      const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment')).find(
        (resource) => JSON.stringify(resource).includes('"Include":["admin/*"]'),
      ) as Resource;
      const markers = (deployment.Properties.SourceMarkers as Record<string, unknown>[])[1] ?? {};
      expect(Object.values(markers)).toContainEqual(apiOrigin?.DomainName);
    });

    it('leaves the routes the console does not call (bulk import) at the bucket', () => {
      for (const route of ROUTES.filter(
        (candidate) =>
          candidate.auth === 'operator' &&
          !(CONSOLE_ROUTE_IDS as readonly string[]).includes(candidate.id),
      )) {
        const behaviour = behaviourFor(concrete(route.path));
        expect([route.id, behaviour.PathPattern]).toEqual([route.id, '/admin*']);
        expect(behaviour.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
      }
    });
  });

  it("has a behaviour for exactly the public route patterns, the console's calls and the console", () => {
    expect(config.CacheBehaviors.map((b) => b.PathPattern).sort()).toEqual(
      [
        '/admin*',
        '/admin/articles*',
        '/admin/commenters/*',
        '/admin/comments*',
        '/admin/counts*',
        '/admin/erasures*',
        '/admin/house-rules*',
        '/articles/*',
        '/articles/*/comments',
        '/articles/*/reactions',
        '/comments/*',
        '/comments/*/likes',
        '/comments/*/reports',
        '/config',
        '/counts',
        '/moderation/actions',
        '/subscriptions/confirm',
        '/subscriptions/unsubscribe',
      ].sort(),
    );
  });

  it.each(
    ROUTES.filter((route) => route.auth === 'public').map((route) => [
      route.method,
      route.path,
      route.id,
    ]),
  )('%s %s reaches an API behaviour that passes every method on', (_method, path) => {
    const behaviour = behaviourFor(concrete(path));
    expect(behaviour).not.toBe(config.DefaultCacheBehavior);
    expect(behaviour.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
    );
  });

  it.each([
    ['/articles/an-article', ['limit', 'order']],
    ['/articles/an-article/comments', ['limit', 'cursor', 'order']],
    ['/articles/an-article/reactions', ['visitorId']],
    ['/counts', ['articles']],
  ])('keys %s on exactly %j, no header or cookie, gzip and brotli', (path, query) => {
    const policy = cachePolicy(behaviourFor(path));
    const key = policy.ParametersInCacheKeyAndForwardedToOrigin as Record<string, unknown>;
    expect(key).toEqual({
      QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: query },
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
    });
    // The answer's own s-maxage decides; without one nothing is kept.
    expect(policy.DefaultTTL).toBe(0);
    expect(policy.MinTTL).toBe(0);
  });

  it('keys /config on nothing', () => {
    const key = cachePolicy(behaviourFor('/config'))
      .ParametersInCacheKeyAndForwardedToOrigin as Record<string, unknown>;
    expect(key.QueryStringsConfig).toEqual({ QueryStringBehavior: 'none' });
  });

  it('passes an author own-comment request on with its Authorization, keeping nothing', () => {
    const policy = cachePolicy(behaviourFor('/comments/01JDQ7X6ZJ6Y8R3K2V9N4T5B1C'));
    expect(policy.DefaultTTL).toBe(0);
    expect(policy.MaxTTL).toBeLessThanOrEqual(1);
    expect(
      (policy.ParametersInCacheKeyAndForwardedToOrigin as { HeadersConfig: unknown }).HeadersConfig,
    ).toEqual({ HeaderBehavior: 'whitelist', Headers: ['authorization'] });
  });

  it('forwards no cookie to the API, and the headers a write and a preflight need', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: [
            'content-type',
            'origin',
            'access-control-request-method',
            'access-control-request-headers',
            'CloudFront-Viewer-Address',
          ],
        },
      }),
    });
  });

  it('sends the API origin, and it alone, a generated origin-verify value', () => {
    const origins = config.Origins;
    const apiId = behaviourFor('/articles/an-article/comments').TargetOriginId;
    const [secretLogicalId] = Object.keys(
      template.findResources('AWS::SecretsManager::Secret', {
        Properties: { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) },
      }),
    );
    expect(secretLogicalId).toMatch(/^EdgeOriginVerify/);
    expect(origins.map((origin) => [origin.Id === apiId, origin.OriginCustomHeaders])).toEqual(
      origins.map((origin) =>
        origin.Id === apiId
          ? [
              true,
              [
                {
                  HeaderName: 'x-talkback-origin-verify',
                  HeaderValue: {
                    'Fn::Join': [
                      '',
                      ['{{resolve:secretsmanager:', { Ref: secretLogicalId }, ':SecretString:::}}'],
                    ],
                  },
                },
              ],
            ]
          : [false, undefined],
      ),
    );
  });

  it('gives only the rate-limited write functions the origin-verify secret, never its value', () => {
    const [secretId] = Object.keys(
      template.findResources('AWS::SecretsManager::Secret', {
        Properties: { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) },
      }),
    );
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const grantsOf = (logicalId: string) =>
      policyStatementsOf(template, logicalId).filter(
        (statement) => JSON.stringify(statement.Resource) === JSON.stringify({ Ref: secretId }),
      );
    const told: string[] = [];
    for (const id of Object.keys(allFunctions(stack))) {
      const logicalId = functionLogicalId(stack, id);
      const env = resources[logicalId]?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      // No function is given a value resolved from a secret, this one or another.
      expect([id, JSON.stringify(env ?? {})]).not.toEqual([
        id,
        expect.stringContaining('resolve:secretsmanager'),
      ]);
      const arn = env?.Variables[ORIGIN_VERIFY_ARN_ENV];
      if (arn === undefined) {
        expect([id, grantsOf(logicalId)]).toEqual([id, []]);
        continue;
      }
      told.push(id);
      expect(arn).toEqual({ Ref: secretId });
      expect(grantsOf(logicalId)).toEqual([
        { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
      ]);
    }
    expect(told.sort()).toEqual(['CreateComment', 'DeleteReaction', 'PutReaction']);
  });

  it('answers CORS for the deployment origins on every API behaviour', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CorsConfig: Match.objectLike({
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlExposeHeaders: { Items: ['retry-after'] },
          AccessControlAllowCredentials: false,
          OriginOverride: true,
        }),
      }),
    });
    for (const behaviour of config.CacheBehaviors) {
      expect(behaviour).toHaveProperty('ResponseHeadersPolicyId');
    }
  });

  it.each([
    ['GetThread', '/articles/an-article'],
    ['GetCounts', '/counts'],
    ['GetConfig', '/config'],
  ])('calls %s by its function URL, which only this distribution may invoke', (id, path) => {
    expect(behaviourFor(path).TargetOriginId).toBe(`${id}Url`);
    expect(behaviourFor(path).OriginRequestPolicyId).toBeUndefined();
    const urls = template.findResources('AWS::Lambda::Url', {
      Properties: {
        AuthType: 'AWS_IAM',
        TargetFunctionArn: { 'Fn::GetAtt': [functionLogicalId(stack, id), 'Arn'] },
      },
    });
    expect(Object.keys(urls)).toHaveLength(1);
    for (const action of ['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: action,
        Principal: 'cloudfront.amazonaws.com',
        FunctionName: {
          'Fn::GetAtt': [Match.stringLikeRegexp(`^${id}FunctionUrl`), 'FunctionArn'],
        },
        SourceArn: Match.anyValue(),
      });
    }
  });

  it('gives no other function a URL: writes and the rest go through API Gateway', () => {
    // The thread, /counts and /config: each path served by one GET.
    template.resourceCountIs('AWS::Lambda::Url', 3);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 'lambda',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
  });

  describe('the moderation console at /admin/', () => {
    const consoleBehaviour = behaviourFor('/admin/');
    /** The console's index function, run as CloudFront would run it on a viewer request. */
    const viewerRequest = new Function(`${CONSOLE_INDEX_FUNCTION}; return handler;`)() as (
      event: unknown,
    ) => { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };
    const requestFor = (uri: string) => viewerRequest({ request: { uri, headers: {} } });

    it.each([
      '/admin/',
      '/admin/index.html',
      '/admin/console.js',
      '/admin/console.css',
      '/admin/config.json',
      '/admin',
    ])('serves %s from the bucket, reads only, never cached', (path) => {
      const behaviour = behaviourFor(path);
      expect(behaviour).toBe(consoleBehaviour);
      expect(behaviour.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
      expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      // CloudFront's managed CachingDisabled policy.
      expect(behaviour.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    });

    it('sends the local server’s strict headers: CSP to its own origin and Cognito only, no framing', () => {
      const headers = consoleSecurityHeaders(stack.moderators.connectSources);
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            ContentSecurityPolicy: {
              ContentSecurityPolicy: stack.resolve(headers['content-security-policy']),
              Override: true,
            },
            FrameOptions: { FrameOption: headers['x-frame-options'], Override: true },
            ContentTypeOptions: { Override: true },
            ReferrerPolicy: { ReferrerPolicy: headers['referrer-policy'], Override: true },
          },
        }),
      });
      expect(headers['x-content-type-options']).toBe('nosniff');
      const policy = template.toJSON().Resources[ref(consoleBehaviour.ResponseHeadersPolicyId)] as
        | Resource
        | undefined;
      expect(JSON.stringify(policy?.Properties)).toContain("frame-ancestors 'none'");
      // The API is the page's own origin ('self'): API Gateway's host is not needed.
      expect(JSON.stringify(stack.resolve(stack.moderators.connectSources))).not.toContain(
        'ApiEndpoint',
      );
    });

    it('turns /admin/ into the page and sends /admin to /admin/, on every viewer request', () => {
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: CONSOLE_INDEX_FUNCTION,
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      });
      expect(consoleBehaviour.FunctionAssociations).toEqual([
        {
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': [logicalIdOf(stack.edge.consoleIndex), 'FunctionARN'] },
        },
      ]);
      expect(requestFor('/admin/').uri).toBe('/admin/index.html');
      expect(requestFor('/admin/console.js').uri).toBe('/admin/console.js');
      expect(requestFor('/admin/comments').uri).toBe('/admin/comments');
      const redirect = requestFor('/admin');
      expect(redirect.statusCode).toBe(301);
      expect(redirect.headers?.location?.value).toBe('/admin/');
    });

    it('deploys the built console under admin/ with a config.json of the API and Cognito ids', () => {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        Exclude: ['*'],
        Include: ['admin/*'],
        Prune: true,
        SystemMetadata: { 'cache-control': 'no-cache' },
        SourceMarkers: [
          {},
          Match.objectLike({
            '<<marker:0xbaba:1>>': { Ref: logicalIdOf(stack.moderators.userPool) },
            '<<marker:0xbaba:2>>': { Ref: logicalIdOf(stack.moderators.client) },
            '<<marker:0xbaba:3>>': { Ref: logicalIdOf(stack.moderators.identityPool) },
            // signedHost: the API's host (see the console's calls, above).
            '<<marker:0xbaba:4>>': {
              'Fn::Select': [
                2,
                {
                  'Fn::Split': ['/', { 'Fn::GetAtt': [logicalIdOf(stack.api.api), 'ApiEndpoint'] }],
                },
              ],
            },
          }),
        ],
      });
      // The widget's deployment leaves the console's objects alone (its prune included).
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        Exclude: ['admin/*', 'chunks/*'],
        DistributionPaths: Match.arrayWith(['/talkback.js']),
      });
    });

    it('outputs the console URL', () => {
      template.hasOutput('*', {
        Description: 'The moderation console (moderators sign in with Cognito)',
        Value: { 'Fn::Join': ['', ['https://', Match.anyValue(), '/admin/']] },
      });
    });
  });

  it('outputs the widget URL, the API URL through the CDN and an embed snippet', () => {
    template.hasOutput('*', { Description: 'The widget script, served by the CDN' });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const snippet = Object.entries(outputs).find(([name]) => name.includes('EmbedSnippet'));
    expect(JSON.stringify(snippet?.[1].Value)).toContain('<talkback-thread article=');
    expect(Object.keys(outputs).some((name) => name.includes('EdgeApiUrl'))).toBe(true);
    expect(stack.edge.baseUrl).toMatch(/^https:\/\//);
  });

  it('has no custom domain, web ACL or TLS policy unless asked', () => {
    const props = only('AWS::CloudFront::Distribution').Properties.DistributionConfig as Record<
      string,
      unknown
    >;
    expect(props.Aliases).toBeUndefined();
    expect(props.WebACLId).toBeUndefined();
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });
});

describe('the CDN context', () => {
  const certificateArn =
    'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

  it('answers on a custom domain with TLS 1.2 at least', () => {
    const { template: custom } = buildStack({
      domainName: 'comments.news.example',
      certificateArn,
    });
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['comments.news.example'],
        ViewerCertificate: {
          AcmCertificateArn: certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });

  it('attaches an existing web ACL', () => {
    const webAclArn =
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/talkback/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    const { template: guarded } = buildStack({ webAclArn });
    guarded.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: webAclArn }),
    });
  });

  it('creates a rate rule per client address in a us-east-1 stack', () => {
    const app = new App({ context: { [BUNDLING_STACKS]: [], wafRateLimit: 1000 } });
    const guarded = new TalkbackStack(app, 'Talkback', {
      env: { account: '123456789012', region: 'us-east-1' },
    });
    const t = Template.fromStack(guarded);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
        }),
      ],
    });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      }),
    });
  });

  it('refuses to create a web ACL from a stack outside us-east-1, naming the way out', () => {
    const app = new App({ context: { [BUNDLING_STACKS]: [], wafRateLimit: 1000 } });
    expect(
      () =>
        new TalkbackStack(app, 'Talkback', {
          env: { account: '123456789012', region: 'eu-west-1' },
        }),
    ).toThrow(/us-east-1.*webAclArn/);
  });

  it.each([
    [{ domainName: 'comments.news.example' }, /domainName and certificateArn go together/],
    [{ domainName: 'x', certificateArn }, /host name/],
    [
      { domainName: 'a.example', certificateArn: certificateArn.replace('us-east-1', 'eu-west-1') },
      /us-east-1/,
    ],
    [{ webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y' }, /CLOUDFRONT/],
    [{ wafRateLimit: 5 }, /whole number/],
  ])('refuses %j', (context, message) => {
    expect(() => buildStack(context)).toThrow(message);
  });
});

describe('HSTS', () => {
  const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');

  it('is sent by every response headers policy, for a year, overriding the origin', () => {
    const without = Object.entries(policies)
      .filter(([, policy]) => {
        const sts = (policy as Resource).Properties.ResponseHeadersPolicyConfig as {
          SecurityHeadersConfig?: {
            StrictTransportSecurity?: { AccessControlMaxAgeSec?: number; Override?: boolean };
          };
        };
        const hsts = sts.SecurityHeadersConfig?.StrictTransportSecurity;
        return !(hsts?.Override === true && (hsts.AccessControlMaxAgeSec ?? 0) >= 31_536_000);
      })
      .map(([id]) => id);
    expect(without).toEqual([]);
  });

  it('reaches every behaviour: each has a response headers policy', () => {
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors] as unknown as Record<
      string,
      unknown
    >[];
    expect(behaviours.filter((behaviour) => !behaviour.ResponseHeadersPolicyId)).toEqual([]);
  });
});
