/**
 * The widget's half of the CDN: the private bucket that holds the widget, the count script and
 * their files (with its access-log bucket), the default behaviour that serves them, and the
 * deployment that copies the build there. Built in the Edge construct's scope (as
 * TalkbackFunction builds its role and log group in its parent's), so the deployed buckets keep
 * their logical ids.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  type Distribution,
  type IOrigin,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import {
  BucketDeployment,
  CacheControl,
  type ISource,
  Source,
} from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { CHUNK_CACHE_CONTROL } from '../web/widget-build';
import { acknowledgeDeployment } from './deployment-findings';
import { HSTS } from './edge-behaviours';
import { CONSOLE_PREFIX } from './edge-console';

const WEB_ROOT = path.join(__dirname, '..', 'web');

/** The widget's file name in the bucket and under the distribution's root. */
export const WIDGET_OBJECT = 'talkback.js';

/**
 * Browsers and the CDN keep the widget script for 5 minutes and may use a stale copy for a day
 * while they fetch a new one: its URL is not versioned (pages embed one fixed address), so a
 * release reaches every reader within minutes, and a reader's next views load no script at all.
 */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

export interface WidgetBucketProps {
  destroyOnRemoval: boolean;
  /** Days the bucket's access logs are kept. */
  logRetentionDays: number;
}

/** The private bucket (only the distribution reads it, through Origin Access Control). */
export function widgetBucket(scope: Construct, props: WidgetBucketProps): Bucket {
  const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  const logs = new Bucket(scope, 'AccessLogs', {
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
  return new Bucket(scope, 'Widget', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: logs,
    removalPolicy,
    autoDeleteObjects: props.destroyOnRemoval,
  });
}

/**
 * The distribution's default behaviour: the bucket's files. The widget runs on the news sites'
 * pages, so its language files (fetched) come from another origin than the page's: any origin
 * may read the widget's public files, which are the same for every reader and carry no
 * credentials.
 */
export function widgetBehaviour(scope: Construct, origin: IOrigin): BehaviorOptions {
  const widgetCors = new ResponseHeadersPolicy(scope, 'WidgetCors', {
    comment: 'Talkback widget files: any page may read them (the language files are fetched)',
    securityHeadersBehavior: { strictTransportSecurity: HSTS },
    corsBehavior: {
      accessControlAllowOrigins: ['*'],
      accessControlAllowMethods: ['GET', 'HEAD'],
      accessControlAllowHeaders: ['*'],
      accessControlAllowCredentials: false,
      originOverride: true,
    },
  });
  return {
    origin,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    compress: true,
    cachePolicy: CachePolicy.CACHING_OPTIMIZED,
    responseHeadersPolicy: widgetCors,
  };
}

/**
 * Copies the build (all but the console's folder and the widget's chunks) to the bucket and
 * refreshes the CDN's copies, once the chunks are there.
 */
export function deployWidget(
  scope: Construct,
  bucket: Bucket,
  distribution: Distribution,
  site: ISource,
): void {
  const chunks = deployChunks(scope, bucket, site);
  const deployment = new BucketDeployment(scope, 'DeployWidget', {
    sources: [site],
    destinationBucket: bucket,
    // The console's objects are its own deployment's (each deployment prunes only its files),
    // and so are the widget's chunks.
    exclude: [`${CONSOLE_PREFIX}*`, `${CHUNKS_PREFIX}*`],
    cacheControl: [CacheControl.fromString(WIDGET_CACHE_CONTROL)],
    // Each file's type from its name: the scripts, talkback.css (a stylesheet served as
    // anything but text/css is ignored) and the language files.
    distribution,
    distributionPaths: [`/${WIDGET_OBJECT}`, '/talkback.css', '/count.js', '/locales/*'],
    prune: true,
  });
  acknowledgeDeployment(deployment, bucket);
  // On the custom resources alone: the deployments share their copy function and its layer.
  deployment.node
    .findChild('CustomResource')
    .node.addDependency(chunks.node.findChild('CustomResource'));
}

/** The widget's chunks' folder in the bucket and on the CDN. */
const CHUNKS_PREFIX = 'chunks/';

/**
 * The widget's content-hashed chunks (web/widget-build.ts), cached for a year. Never pruned: a
 * talkback.js cached before a deploy (5 minutes, a day stale) loads its own release's chunks,
 * which must still be there. They are about 6 KB gzipped a release; an age rule would delete
 * chunks still in use (S3 ages an object from its upload, and an unchanged chunk is not uploaded
 * again). Deployed before talkback.js, so a new talkback.js never meets a missing chunk; no
 * invalidation, since no chunk's name is ever reused.
 */
function deployChunks(scope: Construct, bucket: Bucket, site: ISource): BucketDeployment {
  const chunks = new BucketDeployment(scope, 'DeployWidgetChunks', {
    sources: [site],
    destinationBucket: bucket,
    exclude: ['*'],
    include: [`${CHUNKS_PREFIX}*`],
    cacheControl: [CacheControl.fromString(CHUNK_CACHE_CONTROL)],
    prune: false,
  });
  acknowledgeDeployment(chunks, bucket);
  return chunks;
}

/**
 * The bucket's files, built during synth: `npm run build:web` runs (esbuild, no Docker) and its
 * output, web/dist, is the asset, with the console's folder (web/dist/console) at admin/. A
 * fresh clone needs nothing built first; stack tests skip bundling, like the functions'.
 */
export function webSource(): ISource {
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
