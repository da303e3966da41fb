import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Settings } from '../lambda/domain/settings';
import {
  GUARDRAIL_ID_ENV,
  GUARDRAIL_VERSION_ENV,
  JSON_FAST_PATH_ENV,
  LEGACY_LINK_SECRET_ARN_ENV,
  LEGACY_LINKS_UNTIL_ENV,
  LINK_SECRET_ARN_ENV,
  ORIGIN_VERIFY_ARN_ENV,
  SECRET_ARN_ENV,
  SETTINGS_ENV,
  TABLE_NAME_ENV,
} from '../lambda/env';
import { CORS_POLICY, FALLBACK_ROUTE, ROUTES, type RouteDefinition } from '../lambda/routes';
import { AreaStacks, routeToArea } from './area-stacks';
import { TalkbackFunction } from './talkback-function';
import { type FilterStrength, type GuardrailFilter, TalkbackGuardrail } from './talkback-guardrail';
import { grantSecretRead, rootSecrets } from './talkback-secrets';

const HANDLERS_DIR = path.join(__dirname, '..', 'lambda', 'handlers');

/**
 * The access log line: who-what-how-long only. Deliberately absent: the source IP, user agent,
 * path and query string (an articleId or visitorId), headers, and the request body.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLatency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
} as const;

/**
 * The routes whose functions keep a rate limit per client address (lambda/domain/rate-limit.ts):
 * only they need to know the reader's address behind the CDN.
 */
export const CLIENT_ADDRESS_ROUTES = ['CreateComment', 'PutReaction', 'DeleteReaction'] as const;

export interface TalkbackApiProps {
  table: ITableV2;
  settings: Settings;
  /**
   * The API's CORS origins: the deployment's. The moderation console needs none: it calls the
   * API through the CDN, from its own origin (lib/edge-api.ts).
   */
  allowedOrigins: string[];
  throttleRate: number;
  throttleBurst: number;
  logRetention: RetentionDays;
  destroyOnRemoval: boolean;
  /**
   * Reserved concurrency of each public route's function and the fallback: a flood is then
   * throttled at this many instances per function instead of scaling into the bill. Operator
   * routes (IAM-signed) are not capped. Undefined: nothing reserved.
   */
  reservedConcurrency: number | undefined;
  /** False turns V8's JSON.stringify fast path off in every function (lambda/json-fast-path.ts). */
  jsonFastPath: boolean;
  /** The guardrail's filter strengths and cross-Region profile, where screening is `guardrails`. */
  guardrailStrengths: Record<GuardrailFilter, FilterStrength>;
  guardrailProfile: string | undefined;
  /**
   * From `legacyLinksUntil`: until when (an ISO 8601 time) subscription links mailed before links
   * had a key of their own are still accepted. Undefined: they are not.
   */
  legacyLinksUntil: string | undefined;
}

/**
 * The public HTTP API: one route and one function per entry of the route table, and a
 * default route whose function answers 404/405 as problem+json. The API, its stage, the
 * fallback and the secrets are in the parent stack; each route's function is in its area's
 * nested stack (lib/area-stacks.ts).
 */
export class TalkbackApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** By route id, plus the fallback under its id. */
  readonly functions: Record<string, TalkbackFunction> = {};
  /**
   * The environment of a function that uses the table: the settings and the table name. For
   * functions outside the API that load the same runtime (the tally, which does not hash).
   */
  readonly tableEnvironment: Record<string, string>;
  /** The root of the stored hashes' and cursors' keys; only the functions that hash may read it. */
  readonly hashSecret: Secret;
  /** The root of the mail links' keys; only the functions that sign or check links may read it. */
  readonly linkSecret: Secret;
  /** How many functions have reserved concurrency (the public routes' and the fallback). */
  cappedFunctions = 0;

  constructor(scope: Construct, id: string, props: TalkbackApiProps) {
    super(scope, id);
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    const { hashing: secret, links: linkSecret } = rootSecrets(this, removalPolicy);
    this.hashSecret = secret;
    this.linkSecret = linkSecret;

    const settingsJson = JSON.stringify(props.settings);
    const fastPath: Record<string, string> = props.jsonFastPath
      ? {}
      : { [JSON_FAST_PATH_ENV]: 'off' };
    this.tableEnvironment = {
      ...fastPath,
      [SETTINGS_ENV]: settingsJson,
      [TABLE_NAME_ENV]: props.table.tableName,
    };
    // Only where the deployment screens with Guardrails (docs/screening.md).
    const guardrail =
      props.settings.screening === 'guardrails'
        ? new TalkbackGuardrail(this, 'Guardrail', {
            strengths: props.guardrailStrengths,
            profile: props.guardrailProfile,
          })
        : undefined;
    const screenDefines = screeningDefines(props.settings);
    // Subscription links mailed before links had a key of their own were signed with the hashing
    // secret itself: their functions may read it until the transition ends (docs/operations.md).
    const legacyLinksUntil = (route: Pick<RouteDefinition, 'links'>) =>
      route.links === 'subscription' ? props.legacyLinksUntil : undefined;
    const legacyLinksEnvironment = (until: string | undefined): Record<string, string> =>
      until
        ? { [LEGACY_LINK_SECRET_ARN_ENV]: secret.secretArn, [LEGACY_LINKS_UNTIL_ENV]: until }
        : {};
    const environmentFor = (
      route: Pick<RouteDefinition, 'access' | 'hashes' | 'screens' | 'links'>,
    ): Record<string, string> => ({
      ...(route.access === 'none'
        ? { ...fastPath, [SETTINGS_ENV]: settingsJson }
        : this.tableEnvironment),
      // Only the secrets' ARNs: the function fetches the values at its first request
      // (lambda/secrets/), so whoever may read the function's configuration does not get them.
      ...(route.hashes ? { [SECRET_ARN_ENV]: secret.secretArn } : {}),
      ...(route.links ? { [LINK_SECRET_ARN_ENV]: linkSecret.secretArn } : {}),
      ...legacyLinksEnvironment(legacyLinksUntil(route)),
      ...(route.screens && guardrail
        ? {
            [GUARDRAIL_ID_ENV]: guardrail.guardrail.attrGuardrailId,
            [GUARDRAIL_VERSION_ENV]: guardrail.version.attrVersion,
          }
        : {}),
    });

    const makeFunction = (
      scope: Construct,
      route: Pick<
        RouteDefinition,
        'id' | 'handler' | 'access' | 'auth' | 'hashes' | 'screens' | 'verifiesReaders' | 'links'
      >,
    ) => {
      const fn = new TalkbackFunction(scope, route.id, {
        entry: path.join(HANDLERS_DIR, `${route.handler}.ts`),
        description: `Talkback ${route.id}`,
        environment: environmentFor(route),
        logRetention: props.logRetention,
        removalPolicy,
        reservedConcurrentExecutions:
          route.auth === 'public' ? props.reservedConcurrency : undefined,
        define: route.screens || route.verifiesReaders ? screenDefines : undefined,
      });
      if (route.auth === 'public' && props.reservedConcurrency !== undefined) {
        this.cappedFunctions += 1;
      }
      fn.grantTableAccess(props.table, route.access, props.settings);
      // The house rules the console edits: read at most once a minute by the functions that screen.
      if (route.screens) fn.grantHouseRulesRead(props.table, props.settings);
      if (route.hashes) grantSecretRead(fn, secret);
      if (route.links) grantSecretRead(fn, linkSecret);
      // Only until the transition's end, by IAM itself: no deploy is needed to end it.
      const until = legacyLinksUntil(route);
      if (until) grantSecretRead(fn, secret, { DateLessThan: { 'aws:CurrentTime': until } });
      if (route.screens && guardrail) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['bedrock:ApplyGuardrail'],
            resources: [
              guardrail.guardrail.attrGuardrailArn,
              ...(props.guardrailProfile ? [guardrail.profileArn(props.guardrailProfile)] : []),
            ],
          }),
        );
      }
      // The moderation hook's shared secret (docs/screening.md): only the functions that screen
      // call the hook, and they read the secret on the first comment they send it.
      const hookSecret = props.settings.moderationHook?.secretArn;
      if (route.screens && hookSecret !== undefined) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [hookSecret],
          }),
        );
      }
      // The HS256 issuers' secrets (docs/readers.md): their ARNs are in the settings, and only
      // the functions that verify readers may read them, on a reader's first request.
      const readerSecrets = props.settings.readers.issuers.flatMap((issuer) =>
        issuer.secretArn === undefined ? [] : [issuer.secretArn],
      );
      if (route.verifiesReaders && readerSecrets.length > 0) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: readerSecrets,
          }),
        );
      }
      this.functions[route.id] = fn;
      return fn;
    };

    const fallback = makeFunction(this, FALLBACK_ROUTE);
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Talkback: comments and reactions for article pages',
      // The stage is built below, with throttling and access logs.
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', fallback),
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        // The same policy the local server applies (lambda/routes.ts).
        allowMethods: CORS_POLICY.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...CORS_POLICY.allowHeaders],
        exposeHeaders: [...CORS_POLICY.exposeHeaders],
        maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
      },
    });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public routes by design: anonymous readers list, post and react, and authors edit ' +
        'with their edit token (see docs/api.md); every input is validated in the functions and abuse ' +
        'is bounded by rate limits and stage throttling. The /admin/ routes use IAM (SigV4).',
    });

    // A route's area decides the nested stack its function is built in.
    const areas = new AreaStacks(this);
    for (const route of ROUTES) {
      const area = areas.of(route.area);
      routeToArea(this.api, route, makeFunction(area, route), area);
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRate, burstLimit: props.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
  }

  /**
   * Lets the rate-limited functions believe CloudFront-Viewer-Address on requests that carry
   * the origin-verify value (lambda/http/request.ts clientAddress); called when a CDN is in
   * front of the API. Each gets the secret's ARN and the right to read that one secret, and
   * fetches the value on its first request: the value is in no function's configuration.
   */
  trustEdge(originVerify: ISecret): void {
    for (const id of CLIENT_ADDRESS_ROUTES) {
      const fn = this.functions[id];
      if (!fn) throw new Error(`no function for route ${id}`);
      fn.addEnvironment(ORIGIN_VERIFY_ARN_ENV, originVerify.secretArn);
      grantSecretRead(fn, originVerify);
    }
  }

  /** The base URL, ending in '/'. */
  get url(): string {
    return this.stage.url;
  }
}

/**
 * The screening and reader-verifying functions' bundler defines: without Guardrails, or with
 * disposable addresses allowed, esbuild leaves the Bedrock client or the disposable-domain list
 * out of their bundles (lambda/screen/), and without a key-set issuer jose
 * (lambda/readers/jwt-tokens.ts). Each is a deploy-time choice; `npm run bench` bundles with
 * these too.
 */
export function screeningDefines(
  settings: Pick<Settings, 'screening' | 'emailDomains' | 'readers'>,
): Record<string, string> {
  return {
    ...(settings.screening === 'guardrails'
      ? {}
      : { 'process.env.TALKBACK_SCREEN_BUNDLE': JSON.stringify('rules') }),
    ...(settings.emailDomains.disposable === 'allow'
      ? { 'process.env.TALKBACK_DISPOSABLE_BUNDLE': JSON.stringify('none') }
      : {}),
    ...(settings.readers.issuers.some((issuer) => issuer.jwksUrl !== undefined)
      ? {}
      : { 'process.env.TALKBACK_KEY_SET_BUNDLE': JSON.stringify('none') }),
  };
}
