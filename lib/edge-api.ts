/**
 * The API's half of the CDN: one behaviour per path pattern of the public routes
 * (lib/edge-behaviours.ts decides which), each cached as the route table says, CORS answered as
 * API Gateway answers it, and the origin-verify secret CloudFront proves itself to the API with;
 * and the operators' routes the moderation console calls, signed by the console, so that its
 * page calls the API from its own origin and needs nothing of the API's CORS. Built in the Edge
 * construct's scope, so the deployed resources keep their logical ids.
 */
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  type IOrigin,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  FunctionUrlAuthType,
  type IFunction,
  HttpMethod as LambdaHttpMethod,
} from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../lambda/env';
import { CORS_POLICY, type RouteCache } from '../lambda/routes';
import { consolePatterns, type EdgeBehaviour, edgeBehaviours, HSTS } from './edge-behaviours';
import { CONSOLE_ROUTE_IDS } from './talkback-moderators';

export interface ApiBehavioursProps {
  api: HttpApi;
  /** The route functions by route id: a read served alone on its path is called by its URL. */
  functions: Readonly<Record<string, IFunction>>;
  allowedOrigins: readonly string[];
}

export interface ApiBehaviours {
  /** By path pattern. */
  behaviours: Record<string, BehaviorOptions>;
  /**
   * The generated secret whose value CloudFront sends the API in the origin-verify header (a
   * dynamic reference, resolved at deploy time: never in the template or repo).
   */
  originVerify: Secret;
  /**
   * The API's host, which CloudFront sends it as the Host: a request the console signs for this
   * host reaches the API through the CDN with its signature intact.
   */
  apiHost: string;
}

export function apiBehaviours(scope: Construct, props: ApiBehavioursProps): ApiBehaviours {
  // The API Gateway URL stays reachable directly, so the write functions only believe the
  // reader's address (CloudFront-Viewer-Address) on requests that carry this value, which
  // CloudFront adds on its way to the API (lambda/http/request.ts clientAddress).
  const originVerify = new Secret(scope, 'OriginVerify', {
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

  // https://<id>.execute-api.<region>.amazonaws.com: the host alone.
  const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
  const apiOrigin = new HttpOrigin(apiHost, {
    // The distribution's configuration must hold the value; the functions fetch it instead.
    customHeaders: { [ORIGIN_VERIFY_HEADER]: originVerify.secretValue.unsafeUnwrap() },
  });
  const cors = new ResponseHeadersPolicy(scope, 'Cors', {
    comment: 'Talkback API: CORS for the deployment origins, as API Gateway answers it',
    securityHeadersBehavior: { strictTransportSecurity: HSTS },
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
  const toApi = new OriginRequestPolicy(scope, 'ToApi', {
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
  // A pattern with no cacheable GET (an author's own comment, the console's calls): nothing is
  // kept, since its answers say no-store, but its Authorization header can only reach the origin
  // as part of a cache key (CloudFront refuses it in an origin request policy).
  const passThrough = new CachePolicy(scope, 'PassThrough', {
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
      origin: viaUrl ? functionUrlOrigin(behaviour, props) : apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      // A function URL behaviour passes every method on too, so a wrong one gets the API's
      // own 405 problem+json rather than CloudFront's 403.
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      compress: true,
      cachePolicy:
        behaviour.cache.kind === 'public'
          ? cachePolicyFor(scope, behaviour.pathPattern, behaviour.cache)
          : passThrough,
      // A function URL origin gets exactly the cache key (OAC signs it, so no Host either).
      ...(viaUrl ? {} : { originRequestPolicy: toApi }),
      responseHeadersPolicy: cors,
    };
  }
  Object.assign(behaviours, consoleBehaviours(scope, apiOrigin, passThrough));
  return { behaviours, originVerify, apiHost };
}

/**
 * The operators' routes the console calls (CONSOLE_ROUTE_IDS), to the API, never cached. The
 * console signs each request (SigV4) for the API's own host, which is the Host CloudFront sends,
 * so the signature holds as long as the signed headers arrive as signed: Authorization by the
 * cache key, the others by this origin request policy; nothing else the console sends is signed.
 * API Gateway's IAM authorizer judges each request as it judges a direct one.
 */
function consoleBehaviours(
  scope: Construct,
  apiOrigin: IOrigin,
  passThrough: CachePolicy,
): Record<string, BehaviorOptions> {
  const signed = new OriginRequestPolicy(scope, 'ToOperators', {
    comment: "Talkback operators' API: the headers the console signs, but the Host",
    queryStringBehavior: OriginRequestQueryStringBehavior.all(),
    headerBehavior: OriginRequestHeaderBehavior.allowList(
      'accept',
      'content-type',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-amz-security-token',
    ),
    cookieBehavior: OriginRequestCookieBehavior.none(),
  });
  // Same-origin calls: no CORS to answer.
  const headers = new ResponseHeadersPolicy(scope, 'OperatorsHeaders', {
    comment: "Talkback operators' API for the console: HSTS and nosniff",
    securityHeadersBehavior: {
      strictTransportSecurity: HSTS,
      contentTypeOptions: { override: true },
    },
  });
  return Object.fromEntries(
    consolePatterns(CONSOLE_ROUTE_IDS).map((pattern) => [
      pattern,
      {
        origin: apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
        cachePolicy: passThrough,
        originRequestPolicy: signed,
        responseHeadersPolicy: headers,
      },
    ]),
  );
}

/**
 * The function's URL, which only CloudFront may call (IAM auth, signed by Origin Access
 * Control); the CORS answer to a preflight is Lambda's own, as the API's is API Gateway's.
 */
function functionUrlOrigin(behaviour: EdgeBehaviour, props: ApiBehavioursProps): IOrigin {
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
 * The cache policy of a cacheable route: its key holds exactly the query parameters the route
 * reads, and no header or cookie; the TTL comes from the answer's own s-maxage (a default of
 * 0, so an answer without one is not kept), capped at a day.
 */
function cachePolicyFor(
  scope: Construct,
  pattern: string,
  cache: Extract<RouteCache, { kind: 'public' }>,
): CachePolicy {
  const name = pattern
    .replace(/[^A-Za-z]+/g, ' ')
    .trim()
    .replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
  return new CachePolicy(scope, `Cache${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
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
