import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
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
import {
  DeliveryPipeline,
  type DeliveryStackProps,
  type DeliveryTuning,
} from './delivery-pipeline';
import {
  attributeReadConditions,
  attributeWriteConditions,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  PARTITIONS,
} from './table-conditions';

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

/**
 * The hashing secret keys the event ids and delivery markers; the link secret the Slack
 * message's one-click links, which point at the API's URL, the article and the console.
 */
export interface TalkbackWebhooksProps extends DeliveryStackProps {
  settings: Settings;
  articleUrlTemplate?: string;
  consoleUrl?: string;
}

/**
 * Outgoing webhooks and Slack (docs/screening.md): the dispatcher on the table's stream decides
 * what a changed comment calls for and queues a delivery per endpoint; the sender POSTs each,
 * signed, putting a failed one back after a doubling wait; after the last try it lands in a
 * dead-letter queue that raises an alarm, as a batch the dispatcher kept failing does. Neither
 * function may read an email unless an endpoint opted in (the sender alone, then); only the
 * sender may read the endpoints' secrets.
 */
export class TalkbackWebhooks extends DeliveryPipeline {
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

    this.buildPipeline({
      ...props,
      name: 'Webhook',
      queueId: 'Deliveries',
      // Comments only, deletions included (a deletion is `comment.removed`).
      streamFilter: STREAM_FILTERS.webhooks,
      tuning: WEBHOOK_DELIVERY,
      dispatcher: {
        handler: 'webhook-dispatch',
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
        handler: 'webhook-send',
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
    });
  }
}
