import { CfnOutput, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  type Function as CloudFrontFunction,
  Distribution,
  HttpVersion,
  PriceClass,
  SecurityPolicyProtocol,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { apiBehaviours } from './edge-api';
import { CONSOLE_PREFIX, consoleSite, deployConsole, type EdgeConsole } from './edge-console';
import {
  deployWidget,
  WIDGET_OBJECT,
  webSource,
  widgetBehaviour,
  widgetBucket,
} from './edge-widget';

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
 * the moderation console's page from a private bucket (lib/edge-widget.ts, lib/edge-console.ts),
 * and the public API, with each route's answers cached as the route table says
 * (lib/edge-api.ts). Of the operators' routes it passes on only those the console calls, signed
 * by the console, so that the console calls the API from its own origin: its host, known only
 * once the distribution exists, is then never needed on the API's CORS list.
 */
export class TalkbackEdge extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** The base URL of the API through the CDN, and where the widget is, both without a slash. */
  readonly baseUrl: string;
  /** What CloudFront proves itself to the API with (lib/edge-api.ts). */
  readonly originVerifySecret: ISecret;
  /** The CloudFront Function that makes /admin/ the console's page. */
  readonly consoleIndex: CloudFrontFunction;
  /** The console's config.json: the page's settings, and where it sends and signs its calls. */
  readonly consoleConfig: Record<string, string | number>;

  constructor(scope: Construct, id: string, props: TalkbackEdgeProps) {
    super(scope, id);
    this.bucket = widgetBucket(this, props);
    const api = apiBehaviours(this, props);
    this.originVerifySecret = api.originVerify;
    const bucketOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const site = consoleSite(this, bucketOrigin, props.moderationConsole);
    this.consoleIndex = site.index;

    const certificate = props.domain
      ? Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Talkback: the widget and the public API',
      defaultBehavior: widgetBehaviour(this, bucketOrigin),
      additionalBehaviors: { ...api.behaviours, [site.pathPattern]: site.behaviour },
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

    const files = webSource();
    deployWidget(this, this.bucket, this.distribution, files);
    // The console calls the API at its own origin ('/', this distribution), signed for the host
    // CloudFront sends the API (lib/edge-api.ts).
    this.consoleConfig = {
      ...props.moderationConsole.config,
      apiUrl: '/',
      signedHost: api.apiHost,
    };
    deployConsole(this, this.bucket, files, this.consoleConfig);

    const host = props.domain?.domainName ?? this.distribution.distributionDomainName;
    this.baseUrl = `https://${host}`;
    new CfnOutput(this, 'WidgetUrl', {
      value: `${this.baseUrl}/${WIDGET_OBJECT}`,
      description: 'The widget script, served by the CDN',
    });
    new CfnOutput(this, 'EdgeApiUrl', {
      value: `${this.baseUrl}/`,
      description:
        "The public API through the CDN (operators use ApiUrl; of /admin/, only the console's calls are here)",
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

  private webAclArn(firewall: EdgeFirewall): string {
    if ('webAclArn' in firewall) return firewall.webAclArn;
    // Only a stack in us-east-1 gets here (lib/context.ts refuses wafRateLimit elsewhere).
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

/** The snippet to paste into a page: the script, whose origin is also the API's. */
export function embedSnippet(baseUrl: string): string {
  return (
    `<script src="${baseUrl}/${WIDGET_OBJECT}" defer></script>` +
    '<talkback-thread article="ARTICLE-ID"></talkback-thread>'
  );
}
