import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
import {
  attributeReadConditions,
  attributeWriteConditions,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  PARTITIONS,
} from './table-conditions';
import { TalkbackFunction } from './talkback-function';

const HANDLERS = path.join(__dirname, '..', 'lambda', 'handlers');

/** How the dispatcher reads the stream and the sender the queue (docs/screening.md). */
export const WEBHOOK_DELIVERY = {
  dispatchBatchSize: 100,
  dispatchRetryAttempts: STREAM_FILTERS.webhooks.retryAttempts,
  sendBatchSize: 5,
  /**
   * Tries of one delivery before it goes to the dead-letter queue: with the sender's doubling
   * wait (30 s, 1, 2, 4, 8, 16, 32 min), about an hour of an endpoint being down.
   */
  maxReceiveCount: 8,
  /** Five deliveries of at most 10 s each (lambda/webhooks/http-poster.ts), with room. */
  senderTimeout: Duration.seconds(60),
} as const;

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
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const queueDefaults = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    };
    this.deadLetters = new Queue(this, 'DeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Deliveries', {
      ...queueDefaults,
      // Six times the sender's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.seconds(6 * WEBHOOK_DELIVERY.senderTimeout.toSeconds()),
      deadLetterQueue: {
        queue: this.deadLetters,
        maxReceiveCount: WEBHOOK_DELIVERY.maxReceiveCount,
      },
    });
    this.dispatchFailures = new Queue(this, 'DispatchFailures', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    for (const deadLetterQueue of [this.deadLetters, this.dispatchFailures]) {
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter destination (of the webhook deliveries or of the webhook dispatcher stream mapping).',
      });
    }

    const commentReads = (attributes: readonly string[]) =>
      attributeReadConditions(attributes, [PARTITIONS.article]);

    this.dispatcher = new TalkbackFunction(this, 'WebhookDispatch', {
      entry: path.join(HANDLERS, 'webhook-dispatch.ts'),
      description: 'Talkback WebhookDispatch: the deliveries a changed comment calls for',
      environment: { ...props.environment, [WEBHOOK_QUEUE_URL_ENV]: this.queue.queueUrl },
      logRetention: props.logRetention,
      removalPolicy,
      timeout: Duration.minutes(1),
    });
    // A stream batch's comments, projected to what an event carries: never an email.
    this.dispatcher.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [props.table.tableArn],
        conditions: commentReads(HOOK_READ_ATTRIBUTES),
      }),
    );
    this.queue.grantSendMessages(this.dispatcher);
    this.dispatcher.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: WEBHOOK_DELIVERY.dispatchBatchSize,
        bisectBatchOnError: true,
        retryAttempts: WEBHOOK_DELIVERY.dispatchRetryAttempts,
        onFailure: new SqsDlq(this.dispatchFailures),
        // Comments only, deletions included: the rule the local server's poller applies too
        // (lambda/store/stream-filters.ts).
        filters: STREAM_FILTERS.webhooks.eventNames.map((eventName) =>
          FilterCriteria.filter({
            eventName: FilterRule.isEqual(eventName),
            dynamodb: {
              Keys: { SK: { S: FilterRule.beginsWith(STREAM_FILTERS.webhooks.sortKeyPrefix) } },
            },
          }),
        ),
      }),
    );

    const includeEmail = props.settings.webhooks.some((webhook) => webhook.includeEmail);
    this.sender = new TalkbackFunction(this, 'WebhookSend', {
      entry: path.join(HANDLERS, 'webhook-send.ts'),
      description: 'Talkback WebhookSend: delivers each webhook and Slack message once, signed',
      environment: {
        ...props.environment,
        [SECRET_ARN_ENV]: props.hashSecret.secretArn,
        [LINK_SECRET_ARN_ENV]: props.linkSecret.secretArn,
        [WEBHOOK_QUEUE_URL_ENV]: this.queue.queueUrl,
        [WEBHOOK_LINKS_ENV]: JSON.stringify({
          apiUrl: props.apiUrl,
          ...(props.articleUrlTemplate ? { articleUrlTemplate: props.articleUrlTemplate } : {}),
          ...(props.consoleUrl ? { consoleUrl: props.consoleUrl } : {}),
        }),
      },
      logRetention: props.logRetention,
      removalPolicy,
      timeout: WEBHOOK_DELIVERY.senderTimeout,
    });
    // The comment as it is when the delivery goes out, its email only where an endpoint opted in;
    // the once-only markers; the root secrets and the endpoints' secrets.
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.table.tableArn],
        conditions: commentReads([...HOOK_READ_ATTRIBUTES, ...(includeEmail ? ['email'] : [])]),
      }),
    );
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [PARTITIONS.hookMarker]),
      }),
    );
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
    this.sender.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
    );
    // Consuming grants ChangeMessageVisibility too: the sender's backoff (lambda/webhooks/sqs-retry.ts).
    this.sender.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WEBHOOK_DELIVERY.sendBatchSize,
        reportBatchItemFailures: true,
      }),
    );

    for (const [name, queue, what] of [
      ['WebhookDeadLetters', this.deadLetters, 'webhook or Slack deliveries failed every try'],
      [
        'WebhookDispatchFailures',
        this.dispatchFailures,
        'the webhook dispatcher failed a stream batch',
      ],
    ] as const) {
      new Alarm(this, `${name}Alarm`, {
        alarmDescription: `Talkback: ${what} (see docs/screening.md, "When a delivery fails")`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
    }
  }
}
