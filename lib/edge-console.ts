/**
 * The moderation console's half of the CDN: its behaviour (the bucket's admin/ objects, strict
 * headers, never cached), the CloudFront Function that makes /admin/ its page, and the
 * deployment of its files and config.json. Built in the Edge construct's scope, so the deployed
 * resources keep their logical ids.
 */
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type IOrigin,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import {
  BucketDeployment,
  CacheControl,
  type ISource,
  Source,
} from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { consoleContentSecurityPolicy } from '../web/console/security-headers';
import { acknowledgeDeployment } from './deployment-findings';
import { HSTS } from './edge-behaviours';

/**
 * The moderation console's folder in the bucket and on the CDN: the page is /admin/. The
 * operators' routes the console calls (also /admin/...) have behaviours of their own, listed
 * before this one (lib/edge-api.ts); every other /admin path ends at the bucket.
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
  /** config.json beside the page: where and how moderators sign in (TalkbackEdge adds the API's). */
  config: Record<string, string | number>;
  /** The origins the page may call besides its own: its Content-Security-Policy's connect-src. */
  connectSources: readonly string[];
}

export interface ConsoleSite {
  /** The behaviour's path pattern: /admin*. */
  pathPattern: string;
  behaviour: BehaviorOptions;
  /** The CloudFront Function that makes /admin/ the console's page. */
  index: CloudFrontFunction;
}

/**
 * The console from the bucket's admin/ objects with the page's strict headers (the same policy
 * the local server sends), never cached: moderators are few, and a deploy, its config.json
 * included, is live at once. Reads only.
 */
export function consoleSite(
  scope: Construct,
  origin: IOrigin,
  moderationConsole: EdgeConsole,
): ConsoleSite {
  const index = new CloudFrontFunction(scope, 'ConsoleIndex', {
    comment: 'Talkback: /admin/ is the moderation console page',
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(CONSOLE_INDEX_FUNCTION),
  });
  const headers = new ResponseHeadersPolicy(scope, 'ConsoleHeaders', {
    comment: 'Talkback moderation console: strict CSP, no framing',
    securityHeadersBehavior: {
      contentSecurityPolicy: {
        contentSecurityPolicy: consoleContentSecurityPolicy(moderationConsole.connectSources),
        override: true,
      },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: HSTS,
    },
  });
  return {
    pathPattern: `/${CONSOLE_PREFIX.replace(/\/$/, '')}*`,
    index,
    behaviour: {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      compress: true,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      responseHeadersPolicy: headers,
      functionAssociations: [{ function: index, eventType: FunctionEventType.VIEWER_REQUEST }],
    },
  };
}

/**
 * The console's page, script and stylesheet, typed by their extensions, and its config.json,
 * written at deploy time (the ids are only known then).
 */
export function deployConsole(
  scope: Construct,
  bucket: Bucket,
  site: ISource,
  config: Record<string, string | number>,
): void {
  const deployment = new BucketDeployment(scope, 'DeployConsole', {
    sources: [site, Source.jsonData(`${CONSOLE_PREFIX}config.json`, config)],
    destinationBucket: bucket,
    exclude: ['*'],
    include: [`${CONSOLE_PREFIX}*`],
    cacheControl: [CacheControl.noCache()],
    prune: true,
  });
  acknowledgeDeployment(deployment, bucket);
}
