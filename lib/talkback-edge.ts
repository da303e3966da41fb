import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import {
  CfnOutput,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IOrigin,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  FunctionUrlAuthType,
  type IFunction,
  HttpMethod as LambdaHttpMethod,
} from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../lambda/env';
import { CORS_POLICY, type RouteCache } from '../lambda/routes';
import { consoleContentSecurityPolicy } from '../web/console/security-headers';
import { CHUNK_CACHE_CONTROL } from '../web/widget-build';
import { type EdgeBehaviour, edgeBehaviours } from './edge-behaviours';

const WEB_ROOT = path.join(__dirname, '..', 'web');

/** The widget's chunks' folder in the bucket and on the CDN. */
const CHUNKS_PREFIX = 'chunks/';

/** The widget's file name in the bucket and under the distribution's root. */
export const WIDGET_OBJECT = 'talkback.js';

/**
 * Browsers and the CDN keep the widget script for 5 minutes and may use a stale copy for a day
 * while they fetch a new one: its URL is not versioned (pages embed one fixed address), so a
 * release reaches every reader within minutes, and a reader's next views load no script at all.
 */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * The moderation console's folder in the bucket and on the CDN: the page is /admin/, and every
 * other /admin path ends at the bucket too, so the operators' API routes (also /admin/...) are
 * never reachable through the CDN.
 */
export const CONSOLE_PREFIX = 'admin/';

/**
 * Turns /admin/ into the console's page (S3 has no index documents under a path) and sends
 * /admin to /admin/. A CloudFront Function, cloudfront-js-2.0.
 */
export const CONSOLE_INDEX_FUNCTION = `function handler(event) {
  var request = event.request;
  if (request.uri === '/admin') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/admin/' } } };
  }
  if (request.uri === '/admin/') request.uri = '/admin/index.html';
  return request;
}`;

/** The moderation console on the CDN (docs/moderation.md). */
export interface EdgeConsole {
  /** config.json beside the page: the API's URL, and where and how moderators sign in. */
  config: Record<string, string>;
  /** The origins the page may call: its Content-Security-Policy's connect-src. */
  connectSources: readonly string[];
}

/** A custom domain: the certificate must be in us-east-1 (CloudFront's rule). */
export interface EdgeDomain {
  domainName: string;
  certificateArn: string;
}

/**
 * The reads' shield against a flood from few addresses. Either an existing web ACL (scope
 * CLOUDFRONT, which AWS keeps in us-east-1: any stack region may name it), or a rate per
 * client address that this construct turns into a web ACL of its own: only possible when the
 * stack itself is deployed to us-east-1, since a CloudFormation stack creates resources in its
 * own region.
 */
export type EdgeFirewall = { webAclArn: string } | { requestsPerFiveMinutesPerAddress: number };

export interface TalkbackEdgeProps {
  api: HttpApi;
  /** The route functions by route id: a read served alone on its path is called by its URL. */
  functions: Readonly<Record<string, IFunction>>;
  allowedOrigins: readonly string[];
  destroyOnRemoval: boolean;
  domain?: EdgeDomain;
  firewall?: EdgeFirewall;
  /** Days the widget bucket's access logs are kept. */
  logRetentionDays: number;
  moderationConsole: EdgeConsole;
}

/**
 * The CDN in front of Talkback: one CloudFront distribution that serves the widget script and
 * the moderation console's page from a private bucket, and the public API, with each route's
 * answers cached as the route table says (lambda/routes.ts `cache`). Operators' routes are not
 * exposed through it.
 */
export class TalkbackEdge extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** The base URL of the API through the CDN, and where the widget is, both without a slash. */
  readonly baseUrl: string;
  /**
   * The generated secret whose value CloudFront sends the API in the origin-verify header (a
   * dynamic reference, resolved at deploy time: never in the template or repo).
   */
  readonly originVerifySecret: ISecret;
  /** The CloudFront Function that makes /admin/ the console's page. */
  readonly consoleIndex: CloudFrontFunction;

  constructor(scope: Construct, id: string, props: TalkbackEdgeProps) {
    super(scope, id);
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy,
      autoDeleteObjects: props.destroyOnRemoval,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the widget bucket; logging it into itself would loop.',
    });

    // Private: only the distribution reads it, through Origin Access Control.
    this.bucket = new Bucket(this, 'Widget', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      removalPolicy,
      autoDeleteObjects: props.destroyOnRemoval,
    });

    // The API Gateway URL stays reachable directly, so the write functions only believe the
    // reader's address (CloudFront-Viewer-Address) on requests that carry this value, which
    // CloudFront adds on its way to the API (lambda/http/request.ts clientAddress).
    const originVerify = new Secret(this, 'OriginVerify', {
      description: 'Talkback: proves to the API that a request came through the CDN',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(originVerify).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFormation resolves the value into the distribution at deploy time, and the write ' +
        'functions keep it for their life, so a rotation outside a deployment would break ' +
        'their trust in the CDN; it only lets the API believe the reader address CloudFront ' +
        'sends, for per-reader rate limits.',
    });
    this.originVerifySecret = originVerify;

    // https://<id>.execute-api.<region>.amazonaws.com: the host alone.
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      // The distribution's configuration must hold the value; the functions fetch it instead.
      customHeaders: { [ORIGIN_VERIFY_HEADER]: originVerify.secretValue.unsafeUnwrap() },
    });
    const cors = new ResponseHeadersPolicy(this, 'Cors', {
      comment: 'Talkback API: CORS for the deployment origins, as API Gateway answers it',
      corsBehavior: {
        accessControlAllowOrigins: [...props.allowedOrigins],
        accessControlAllowMethods: [...CORS_POLICY.allowMethods],
        accessControlAllowHeaders: [...CORS_POLICY.allowHeaders],
        accessControlExposeHeaders: [...CORS_POLICY.exposeHeaders],
        accessControlMaxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
        accessControlAllowCredentials: false,
        originOverride: true,
      },
    });
    // The API origin needs the body's type and a preflight's questions; never cookies (the API
    // uses none), and never the Host (API Gateway answers to its own name). CloudFront adds
    // CloudFront-Viewer-Address (the reader's ip:port) because the policy lists it: API
    // Gateway's source IP is the edge's, shared by every reader it serves.
    const toApi = new OriginRequestPolicy(this, 'ToApi', {
      comment: 'Talkback API: query, body type, CORS preflight and viewer address headers',
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      headerBehavior: OriginRequestHeaderBehavior.allowList(
        'content-type',
        'origin',
        'access-control-request-method',
        'access-control-request-headers',
        'CloudFront-Viewer-Address',
      ),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    // A pattern with no cacheable GET (an author's own comment): nothing is kept, since its
    // answers say no-store, but its Authorization header can only reach the origin as part of
    // a cache key (CloudFront refuses it in an origin request policy).
    const passThrough = new CachePolicy(this, 'PassThrough', {
      comment: 'Talkback API: writes and own-comment routes, never cached (answers say no-store)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    const behaviours: Record<string, BehaviorOptions> = {};
    for (const behaviour of edgeBehaviours()) {
      const viaUrl = behaviour.origin === 'function-url';
      behaviours[behaviour.pathPattern] = {
        origin: viaUrl ? this.functionUrlOrigin(behaviour, props) : apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        // A function URL behaviour passes every method on too, so a wrong one gets the API's
        // own 405 problem+json rather than CloudFront's 403.
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
        cachePolicy:
          behaviour.cache.kind === 'public'
            ? this.cachePolicyFor(behaviour.pathPattern, behaviour.cache)
            : passThrough,
        // A function URL origin gets exactly the cache key (OAC signs it, so no Host either).
        ...(viaUrl ? {} : { originRequestPolicy: toApi }),
        responseHeadersPolicy: cors,
      };
    }

    const bucketOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.consoleIndex = new CloudFrontFunction(this, 'ConsoleIndex', {
      comment: 'Talkback: /admin/ is the moderation console page',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(CONSOLE_INDEX_FUNCTION),
    });
    behaviours[`/${CONSOLE_PREFIX.replace(/\/$/, '')}*`] = this.consoleBehaviour(
      bucketOrigin,
      props.moderationConsole,
    );

    const certificate = props.domain
      ? Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
      : undefined;
    // The widget runs on the news sites' pages, so its language files (fetched) come from another
    // origin than the page's: any origin may read the widget's public files, which are the same
    // for every reader and carry no credentials.
    const widgetCors = new ResponseHeadersPolicy(this, 'WidgetCors', {
      comment: 'Talkback widget files: any page may read them (the language files are fetched)',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        originOverride: true,
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Talkback: the widget and the public API',
      defaultBehavior: {
        origin: bucketOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: widgetCors,
      },
      additionalBehaviors: behaviours,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      // North America and Europe edges: the cheapest request and transfer prices.
      priceClass: PriceClass.PRICE_CLASS_100,
      ...(props.domain && certificate
        ? {
            domainNames: [props.domain.domainName],
            certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.firewall ? { webAclId: this.webAclArn(props.firewall) } : {}),
    });
    this.acknowledgeDistribution(props);

    const site = webSource();
    const deployment = new BucketDeployment(this, 'DeployWidget', {
      sources: [site],
      destinationBucket: this.bucket,
      // The console's objects are its own deployment's (each deployment prunes only its files),
      // and so are the widget's chunks.
      exclude: [`${CONSOLE_PREFIX}*`, `${CHUNKS_PREFIX}*`],
      cacheControl: [CacheControl.fromString(WIDGET_CACHE_CONTROL)],
      // Each file's type from its name: the scripts, talkback.css (a stylesheet served as
      // anything but text/css is ignored) and the language files.
      distribution: this.distribution,
      distributionPaths: [`/${WIDGET_OBJECT}`, '/talkback.css', '/count.js', '/locales/*'],
      prune: true,
    });
    acknowledgeDeployment(deployment, this.bucket);
    // On the custom resources alone: the deployments share their copy function and its layer.
    deployment.node
      .findChild('CustomResource')
      .node.addDependency(this.deployChunks(site).node.findChild('CustomResource'));
    // The console's page, script and stylesheet, typed by their extensions, and its config.json,
    // written at deploy time (the ids are only known then).
    const consoleDeployment = new BucketDeployment(this, 'DeployConsole', {
      sources: [
        site,
        Source.jsonData(`${CONSOLE_PREFIX}config.json`, props.moderationConsole.config),
      ],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [`${CONSOLE_PREFIX}*`],
      cacheControl: [CacheControl.noCache()],
      prune: true,
    });
    acknowledgeDeployment(consoleDeployment, this.bucket);

    const host = props.domain?.domainName ?? this.distribution.distributionDomainName;
    this.baseUrl = `https://${host}`;
    new CfnOutput(this, 'WidgetUrl', {
      value: `${this.baseUrl}/${WIDGET_OBJECT}`,
      description: 'The widget script, served by the CDN',
    });
    new CfnOutput(this, 'EdgeApiUrl', {
      value: `${this.baseUrl}/`,
      description: 'The public API through the CDN (operators use ApiUrl: /admin/ is not here)',
    });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${this.baseUrl}/${CONSOLE_PREFIX}`,
      description: 'The moderation console (moderators sign in with Cognito)',
    });
    new CfnOutput(this, 'EmbedSnippet', {
      value: embedSnippet(this.baseUrl),
      description: 'Paste into an article page; set article to the page id',
    });
  }

  /**
   * The console from the bucket's admin/ objects with the page's strict headers (the same
   * policy the local server sends), never cached: moderators are few, and a deploy, its
   * config.json included, is live at once. Reads only.
   */
  private consoleBehaviour(origin: IOrigin, moderationConsole: EdgeConsole): BehaviorOptions {
    const headers = new ResponseHeadersPolicy(this, 'ConsoleHeaders', {
      comment: 'Talkback moderation console: strict CSP, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(moderationConsole.connectSources),
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    return {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      responseHeadersPolicy: headers,
      functionAssociations: [
        { function: this.consoleIndex, eventType: FunctionEventType.VIEWER_REQUEST },
      ],
    };
  }

  /**
   * The function's URL, which only CloudFront may call (IAM auth, signed by Origin Access
   * Control); the CORS answer to a preflight is Lambda's own, as the API's is API Gateway's.
   */
  private functionUrlOrigin(behaviour: EdgeBehaviour, props: TalkbackEdgeProps): IOrigin {
    const route = behaviour.functionRoute;
    const fn = route ? props.functions[route.id] : undefined;
    if (!route || !fn) throw new Error(`no function for ${behaviour.pathPattern}`);
    const url = fn.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      cors: {
        allowedOrigins: [...props.allowedOrigins],
        allowedMethods: [LambdaHttpMethod.GET, LambdaHttpMethod.HEAD],
        allowedHeaders: [...CORS_POLICY.allowHeaders],
        exposedHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });
    return FunctionUrlOrigin.withOriginAccessControl(url, { originId: `${route.id}Url` });
  }

  /**
   * The widget's content-hashed chunks (web/widget-build.ts), cached for a year. Never pruned: a
   * talkback.js cached before a deploy (5 minutes, a day stale) loads its own release's chunks,
   * which must still be there. They are about 13 KB a release; an age rule would delete chunks
   * still in use (S3 ages an object from its upload, and an unchanged chunk is not uploaded
   * again). Deployed before talkback.js (a dependency), so a new entry never meets a missing
   * chunk; no invalidation, since no chunk's name is ever reused.
   */
  private deployChunks(site: ReturnType<typeof webSource>): BucketDeployment {
    const chunks = new BucketDeployment(this, 'DeployWidgetChunks', {
      sources: [site],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: [`${CHUNKS_PREFIX}*`],
      cacheControl: [CacheControl.fromString(CHUNK_CACHE_CONTROL)],
      prune: false,
    });
    acknowledgeDeployment(chunks, this.bucket);
    return chunks;
  }

  /**
   * The cache policy of a cacheable route: its key holds exactly the query parameters the route
   * reads, and no header or cookie; the TTL comes from the answer's own s-maxage (a default of
   * 0, so an answer without one is not kept), capped at a day.
   */
  private cachePolicyFor(pattern: string, cache: Extract<RouteCache, { kind: 'public' }>) {
    const name = pattern
      .replace(/[^A-Za-z]+/g, ' ')
      .trim()
      .replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
    return new CachePolicy(this, `Cache${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
      comment: `Talkback ${pattern}: keyed on ${cache.query.join(', ') || 'nothing'}`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior:
        cache.query.length > 0
          ? CacheQueryStringBehavior.allowList(...cache.query)
          : CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
  }

  private webAclArn(firewall: EdgeFirewall): string {
    if ('webAclArn' in firewall) return firewall.webAclArn;
    const region = Stack.of(this).region;
    if (region !== 'us-east-1') {
      throw new Error(
        'Talkback context "wafRateLimit": a CloudFront web ACL can only be created by a stack ' +
          'in us-east-1; deploy the stack there (env region us-east-1), or create the web ACL ' +
          'in us-east-1 and pass its ARN as the "webAclArn" context',
      );
    }
    const acl = new CfnWebACL(this, 'Firewall', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'TalkbackEdge',
        sampledRequestsEnabled: false,
      },
      rules: [
        {
          name: 'RatePerAddress',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: firewall.requestsPerFiveMinutesPerAddress,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'TalkbackRatePerAddress',
            sampledRequestsEnabled: false,
          },
        },
      ],
    });
    return acl.attrArn;
  }

  private acknowledgeDistribution(props: TalkbackEdgeProps): void {
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      'Comments and reactions are for readers anywhere the articles are read; no country is ' +
        'excluded (a deployment that must can add a geo restriction).',
    );
    acknowledge(
      'AwsSolutions-CFR3',
      "CloudFront access logs would hold every reader's IP address and the full URL (visitor " +
        'ids included), which Talkback deliberately never logs (see the API access log ' +
        "fields); CloudFront's own metrics (requests, errors, cache hit rate) are kept instead.",
    );
    if (!props.domain) {
      acknowledge(
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes; set the domainName and certificateArn context to ' +
          'get TLSv1.2_2021 as the minimum.',
      );
    }
    if (!props.firewall) {
      acknowledge(
        'AwsSolutions-CFR2',
        'No web ACL by default (about $6 a month before requests): reads are cached and every ' +
          'function has reserved concurrency, so a flood is capped; set the webAclArn or ' +
          'wafRateLimit context for a rate limit per client address.',
      );
    }
  }
}

/**
 * CDK's BucketDeployment runs a deploy-time function (one per stack, at the stack's root) whose
 * role and runtime CDK writes; only its findings are acknowledged, each for what it is.
 */
function acknowledgeDeployment(deployment: BucketDeployment, bucket: Bucket): void {
  const role = deployment.handlerRole;
  const stack = Stack.of(deployment);
  const bucketId = stack.resolve(
    stack.getLogicalId(bucket.node.defaultChild as CfnBucket),
  ) as string;
  const findings: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      "CDK's deploy-time copy function: the managed basic execution policy only lets it write its own logs.",
    'AwsSolutions-IAM5[Action::s3:GetObject*]':
      "CDK's deploy-time copy function reads the widget's asset zip from CDK's asset bucket (read actions only).",
    'AwsSolutions-IAM5[Action::s3:GetBucket*]':
      "CDK's deploy-time copy function reads the asset and widget buckets' settings while it syncs the widget.",
    'AwsSolutions-IAM5[Action::s3:List*]':
      "CDK's deploy-time copy function lists the widget bucket to prune files no longer in the build.",
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]':
      "CDK's deploy-time copy function reads the widget asset from CDK's bootstrap asset bucket, whose object names are hashes.",
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
      "CDK's deploy-time copy function deletes widget files no longer in the build (prune), in the widget bucket only.",
    'AwsSolutions-IAM5[Action::s3:Abort*]':
      "CDK's deploy-time copy function aborts its own unfinished multipart uploads to the widget bucket.",
    [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`]:
      "CDK's deploy-time copy function writes every object of the widget bucket, which holds nothing but the build.",
    'AwsSolutions-IAM5[Resource::*]':
      "CDK's deploy-time copy function invalidates the widget's path on the distribution; CloudFront invalidation takes no resource-level permission in CDK's policy.",
  };
  for (const [id, reason] of Object.entries(findings))
    Validations.of(role).acknowledge({ id, reason });
  const handler = Stack.of(deployment).node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "CDK's deploy-time copy function: CDK pins its Python runtime and bundles the AWS CLI for it; it runs only during deployments.",
    });
  }
}

/** The snippet to paste into a page: the script, whose origin is also the API's. */
export function embedSnippet(baseUrl: string): string {
  return (
    `<script src="${baseUrl}/${WIDGET_OBJECT}" defer></script>` +
    '<talkback-thread article="ARTICLE-ID"></talkback-thread>'
  );
}

/**
 * The bucket's files, built during synth: `npm run build:web` runs (esbuild, no Docker) and its
 * output, web/dist, is the asset, with the console's folder (web/dist/console) at admin/. A
 * fresh clone needs nothing built first; stack tests skip bundling, like the functions'.
 */
function webSource() {
  return Source.asset(WEB_ROOT, {
    exclude: ['dist', 'node_modules'],
    bundling: {
      // Only used if the local build fails, which then fails the synth.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24'),
      local: {
        tryBundle(outputDir: string): boolean {
          execFileSync('npm', ['run', '--silent', 'build:web'], {
            cwd: path.join(WEB_ROOT, '..'),
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          const dist = path.join(WEB_ROOT, 'dist');
          const consoleDir = path.join(dist, 'console');
          cpSync(dist, outputDir, { recursive: true, filter: (from) => from !== consoleDir });
          cpSync(consoleDir, path.join(outputDir, CONSOLE_PREFIX), { recursive: true });
          return true;
        },
      },
    },
  });
}
