import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isSecretArn } from '../lambda/domain/hook-settings';
import type { Settings } from '../lambda/domain/settings';
import {
  LINK_SECRET_ARN_ENV,
  SECRET_ARN_ENV,
  WEBHOOK_LINKS_ENV,
  WEBHOOK_QUEUE_URL_ENV,
} from '../lambda/env';
import { HOOK_READ_ATTRIBUTES } from '../lambda/store/attributes';
import { STREAM_FILTERS } from '../lambda/store/stream-filters';
import { buildDeliveryPipeline, type DeliveryTuning } from './delivery-pipeline';
import {
  attributeReadConditions,
  attributeWriteConditions,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  PARTITIONS,
} from './table-conditions';
import type { TalkbackFunction } from './talkback-function';

const HANDLERS = path.join(__dirname, '..', 'lambda', 'handlers');

/** How the dispatcher reads the stream and the sender the queue (docs/screening.md). */
export const WEBHOOK_DELIVERY = {
  dispatchBatchSize: 100,
  sendBatchSize: 5,
  /**
   * Tries of one delivery before it goes to the dead-letter queue: with the sender's doubling
   * wait (30 s, 1, 2, 4, 8, 16, 32 min), about an hour of an endpoint being down.
   */
  maxReceiveCount: 8,
  /** Five deliveries of at most 10 s each (lambda/webhooks/http-poster.ts), with room. */
  senderTimeout: Duration.seconds(60),
} as const satisfies DeliveryTuning;

/** Whether the deployment has anything to deliver: webhooks, or Slack. */
export function hasWebhooks(settings: Settings): boolean {
  return settings.webhooks.length > 0 || settings.slackWebhookUrl !== undefined;
}

export interface TalkbackWebhooksProps {
  table: ITableV2;
  settings: Settings;
  /** TALKBACK_SETTINGS and TABLE_NAME, as the API's table functions get them. */
  environment: Record<string, string>;
  /** The hashing secret: the root of the event ids' and delivery markers' key. */
  hashSecret: ISecret;
  /** The link secret: the root of the Slack message's one-click links' key. */
  linkSecret: ISecret;
  /** The API's base URL (the one-click links), and where they may link besides. */
  apiUrl: string;
  articleUrlTemplate?: string;
  consoleUrl?: string;
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  destroyOnRemoval: boolean;
}

/**
 * Outgoing webhooks and Slack (docs/screening.md): the dispatcher on the table's stream decides
 * what a changed comment calls for and queues a delivery per endpoint; the sender POSTs each,
 * signed, putting a failed one back after a doubling wait; after the last try it lands in a
 * dead-letter queue that raises an alarm, as a batch the dispatcher kept failing does. Neither
 * function may read an email unless an endpoint opted in (the sender alone, then); only the
 * sender may read the endpoints' secrets.
 */
export class TalkbackWebhooks extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly dispatchFailures: Queue;
  readonly dispatcher: TalkbackFunction;
  readonly sender: TalkbackFunction;

  constructor(scope: Construct, id: string, props: TalkbackWebhooksProps) {
    super(scope, id);
    const table = props.table.tableArn;
    const commentReads = (attributes: readonly string[]) =>
      attributeReadConditions(attributes, [PARTITIONS.article]);
    const includeEmail = props.settings.webhooks.some((webhook) => webhook.includeEmail);
    const secrets = [
      props.hashSecret.secretArn,
      props.linkSecret.secretArn,
      ...props.settings.webhooks.flatMap((webhook) =>
        webhook.secretArn ? [webhook.secretArn] : [],
      ),
      ...(props.settings.slackWebhookUrl && isSecretArn(props.settings.slackWebhookUrl)
        ? [props.settings.slackWebhookUrl]
        : []),
    ];

    const pipeline = buildDeliveryPipeline(this, {
      name: 'Webhook',
      queueId: 'Deliveries',
      table: props.table,
      // Comments only, deletions included (a deletion is `comment.removed`).
      streamFilter: STREAM_FILTERS.webhooks,
      tuning: WEBHOOK_DELIVERY,
      dispatcher: {
        entry: path.join(HANDLERS, 'webhook-dispatch.ts'),
        description: 'Talkback WebhookDispatch: the deliveries a changed comment calls for',
        environment: (queue) => ({ ...props.environment, [WEBHOOK_QUEUE_URL_ENV]: queue.queueUrl }),
        // A stream batch's comments, projected to what an event carries: never an email.
        grant: (fn) => {
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:BatchGetItem'],
              resources: [table],
              conditions: commentReads(HOOK_READ_ATTRIBUTES),
            }),
          );
        },
      },
      sender: {
        entry: path.join(HANDLERS, 'webhook-send.ts'),
        description: 'Talkback WebhookSend: delivers each webhook and Slack message once, signed',
        environment: (queue) => ({
          ...props.environment,
          [SECRET_ARN_ENV]: props.hashSecret.secretArn,
          [LINK_SECRET_ARN_ENV]: props.linkSecret.secretArn,
          [WEBHOOK_QUEUE_URL_ENV]: queue.queueUrl,
          [WEBHOOK_LINKS_ENV]: JSON.stringify({
            apiUrl: props.apiUrl,
            ...(props.articleUrlTemplate ? { articleUrlTemplate: props.articleUrlTemplate } : {}),
            ...(props.consoleUrl ? { consoleUrl: props.consoleUrl } : {}),
          }),
        }),
        // The comment as it is when the delivery goes out, its email only where an endpoint
        // opted in; the once-only markers; the root secrets and the endpoints' secrets. Its
        // backoff (lambda/webhooks/sqs-retry.ts) needs only what consuming the queue grants.
        grant: (fn) => {
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:GetItem'],
              resources: [table],
              conditions: commentReads([
                ...HOOK_READ_ATTRIBUTES,
                ...(includeEmail ? ['email'] : []),
              ]),
            }),
          );
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
              resources: [table],
              conditions: attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [
                PARTITIONS.hookMarker,
              ]),
            }),
          );
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
          );
        },
      },
      alarms: {
        deadLetters: 'webhook or Slack deliveries failed every try',
        dispatchFailures: 'the webhook dispatcher failed a stream batch',
        runbook: 'docs/screening.md, "When a delivery fails"',
      },
      alarmTopic: props.alarmTopic,
      logRetention: props.logRetention,
      removalPolicy: props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    ({
      queue: this.queue,
      deadLetters: this.deadLetters,
      dispatchFailures: this.dispatchFailures,
      dispatcher: this.dispatcher,
      sender: this.sender,
    } = pipeline);
  }
}
