import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type Node } from 'constructs';
import * as v from 'valibot';
import {
  LINK_SECRET_ARN_ENV,
  MAIL_CONFIGURATION_SET_ENV,
  MAIL_FROM_ENV,
  MAIL_QUEUE_URL_ENV,
  MAIL_SETTINGS_ENV,
  SECRET_ARN_ENV,
} from '../lambda/env';
import { STREAM_FILTERS } from '../lambda/store/stream-filters';
import { TABLE_DEFINITION } from '../lambda/store/table-definition';
import { ContextError } from './settings-from-context';
import {
  attributeWriteConditions,
  CONFIRMATION_WRITE_ATTRIBUTES,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  PARTITIONS,
  REPLY_COUNT_WRITE_ATTRIBUTES,
} from './table-conditions';
import { TalkbackFunction } from './talkback-function';
import { grantSecretRead } from './talkback-secrets';

const HANDLERS = path.join(__dirname, '..', 'lambda', 'handlers');

/** Mail's context keys (docs/configuration.md, "Mail"). Without `mailFrom`, no mail resources. */
export interface MailContext {
  /** The verified SES identity mail comes from, e.g. `News Site <comments@news.example>`. */
  mailFrom: string;
  siteName: string;
  articleUrlTemplate: string;
  moderatorEmails: string[];
  consoleUrl?: string;
}

const ADDRESS = '[^<>@\\s"]+@[^<>@\\s"]+\\.[^<>@\\s"]+';
/** A bare address, or a display name and the address in angle brackets (RFC 5322's name-addr). */
const MAIL_FROM = new RegExp(`^(?:${ADDRESS}|(?:[^<>@]*[^<>@\\s]\\s*)?<${ADDRESS}>)$`);

const mailContextSchema = v.object({
  mailFrom: v.pipe(
    v.string(),
    v.regex(
      MAIL_FROM,
      'must be an address (comments@news.example) or a name and an address in angle brackets ("News Site <comments@news.example>")',
    ),
  ),
  siteName: v.pipe(
    v.string("is required with mailFrom: set siteName to the site's name"),
    v.minLength(1, "is required with mailFrom: set siteName to the site's name"),
  ),
  articleUrlTemplate: v.pipe(
    v.string(
      'is required with mailFrom: set it to an https URL containing {articleId}, like https://news.example/{articleId}',
    ),
    v.regex(/^https:\/\/.*\{articleId\}/, 'must be an https URL containing {articleId}'),
  ),
  moderatorEmails: v.optional(
    v.array(
      v.pipe(v.string(), v.email('must be email addresses')),
      'must be a JSON list of addresses, like ["mod@news.example"]',
    ),
    [],
  ),
  consoleUrl: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
});

/** The mail context, checked, or undefined when `mailFrom` is not set (mail is off). */
export function mailContext(node: Node): MailContext | undefined {
  if (node.tryGetContext('mailFrom') === undefined) return undefined;
  const read = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    // `-c moderatorEmails='["a@b.example"]'` arrives as a string.
    if (key === 'moderatorEmails' && typeof value === 'string') {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }
    return value;
  };
  const input = Object.fromEntries(
    Object.keys(mailContextSchema.entries).map((key) => [key, read(key)]),
  );
  const result = v.safeParse(mailContextSchema, input);
  if (!result.success) {
    const issue = result.issues[0];
    throw new ContextError(`Talkback context "${v.getDotPath(issue) ?? 'mail'}": ${issue.message}`);
  }
  return result.output;
}

/** The domain part of the sender: the SES identity the functions may send as. */
export function senderDomain(mailFrom: string): string {
  return mailFrom.replace(/^.*@/, '').replace(/>.*$/, '');
}

/** How the dispatcher reads the stream and the sender the queue. */
export const MAIL_DELIVERY = {
  dispatchBatchSize: 100,
  dispatchRetryAttempts: STREAM_FILTERS.mail.retryAttempts,
  sendBatchSize: 10,
  /** Tries of one job before it goes to the dead-letter queue. */
  maxReceiveCount: 5,
  senderTimeout: Duration.seconds(30),
} as const;

export interface TalkbackMailProps extends MailContext {
  table: ITableV2;
  /** TALKBACK_SETTINGS and TABLE_NAME, as the API's table functions get them. */
  environment: Record<string, string>;
  /** The root of the mail markers' key: only the sender, which keeps them, reads it. */
  hashSecret: ISecret;
  /** The root of the links' keys: both functions sign links with it. */
  linkSecret: ISecret;
  /** The API's base URL: confirmation, unsubscribe and moderation links point there. */
  apiUrl: string;
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  destroyOnRemoval: boolean;
}

/**
 * Mail (docs/notifications.md): the dispatcher on the table's stream decides what a changed
 * comment calls for and queues it; the sender sends each job through SES v2 with a
 * configuration set whose suppression list takes bounces and complaints. Failed jobs are retried
 * by the queue and end in a dead-letter queue that raises an alarm. These two functions are the
 * only ones besides the operators' that may read an email.
 */
export class TalkbackMail extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly dispatchFailures: Queue;
  readonly dispatcher: TalkbackFunction;
  readonly sender: TalkbackFunction;

  constructor(scope: Construct, id: string, props: TalkbackMailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const queueDefaults = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    };

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Jobs', {
      ...queueDefaults,
      // Six times the sender's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.seconds(6 * MAIL_DELIVERY.senderTimeout.toSeconds()),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAIL_DELIVERY.maxReceiveCount },
    });
    // Where the stream position of a batch the dispatcher kept failing is kept.
    this.dispatchFailures = new Queue(this, 'DispatchFailures', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    for (const deadLetterQueue of [this.deadLetters, this.dispatchFailures]) {
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself a dead-letter destination (of the mail queue or of the dispatcher stream mapping).',
      });
    }

    const mailSettings = stack.toJsonString({
      siteName: props.siteName,
      articleUrlTemplate: props.articleUrlTemplate,
      apiUrl: props.apiUrl,
      moderatorEmails: props.moderatorEmails,
      ...(props.consoleUrl ? { consoleUrl: props.consoleUrl } : {}),
    });

    // Only the secrets' ARNs: each function fetches the values at its first event.
    const linkEnvironment = { [LINK_SECRET_ARN_ENV]: props.linkSecret.secretArn };
    this.dispatcher = new TalkbackFunction(this, 'MailDispatch', {
      entry: path.join(HANDLERS, 'mail-dispatch.ts'),
      description:
        'Talkback MailDispatch: the mail a changed comment calls for, from the table stream',
      environment: {
        ...props.environment,
        ...linkEnvironment,
        [MAIL_SETTINGS_ENV]: mailSettings,
        [MAIL_QUEUE_URL_ENV]: this.queue.queueUrl,
      },
      logRetention: props.logRetention,
      removalPolicy,
      timeout: Duration.minutes(1),
    });
    // Whole comments (the author's email for a confirmation, the parent's for a reply): a reply's
    // parent and subscribers by GetItem, a stream batch's comments by BatchGetItem (on comments'
    // partitions only); the subscriber's confirmation mark and an address's hourly count of reply
    // notifications by conditional UpdateItems.
    this.dispatcher.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }),
    );
    this.dispatcher.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PARTITIONS.article] } },
      }),
    );
    this.dispatcher.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: attributeWriteConditions(
          [...CONFIRMATION_WRITE_ATTRIBUTES, ...REPLY_COUNT_WRITE_ATTRIBUTES],
          [PARTITIONS.subscriber],
        ),
      }),
    );
    this.queue.grantSendMessages(this.dispatcher);
    this.dispatcher.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: MAIL_DELIVERY.dispatchBatchSize,
        bisectBatchOnError: true,
        retryAttempts: MAIL_DELIVERY.dispatchRetryAttempts,
        onFailure: new SqsDlq(this.dispatchFailures),
        // Comments and reports only: votes, counters, rate windows and the mail's own items never
        // reach it. The same rule the local server's poller applies (lambda/store/stream-filters.ts).
        filters: STREAM_FILTERS.mail.eventNames.flatMap((eventName) =>
          STREAM_FILTERS.mail.sortKeyPrefixes.map((prefix) =>
            FilterCriteria.filter({
              eventName: FilterRule.isEqual(eventName),
              dynamodb: { Keys: { SK: { S: FilterRule.beginsWith(prefix) } } },
            }),
          ),
        ),
      }),
    );

    this.sender = new TalkbackFunction(this, 'MailSend', {
      entry: path.join(HANDLERS, 'mail-send.ts'),
      description: 'Talkback MailSend: sends queued mail through SES, each at most once',
      environment: {
        ...props.environment,
        ...linkEnvironment,
        [SECRET_ARN_ENV]: props.hashSecret.secretArn,
        [MAIL_SETTINGS_ENV]: mailSettings,
        [MAIL_FROM_ENV]: props.mailFrom,
        [MAIL_CONFIGURATION_SET_ENV]: this.configurationSet.configurationSetName,
        // A digest of replies due later than SQS's longest delay waits on the queue again.
        [MAIL_QUEUE_URL_ENV]: this.queue.queueUrl,
      },
      logRetention: props.logRetention,
      removalPolicy,
      timeout: MAIL_DELIVERY.senderTimeout,
    });
    // A window's held comments, whole, from the byStatus index; for a digest of replies, the
    // address's subscriber and hour items and the replies, whole, by GetItem; the once-only
    // markers; and its own queue, for a digest not yet due.
    this.sender.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }),
    );
    this.queue.grantSendMessages(this.sender);
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${byStatusIndex()}`],
      }),
    );
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [PARTITIONS.mailMarker]),
      }),
    );
    this.sender.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          stack.formatArn({
            service: 'ses',
            resource: 'identity',
            resourceName: senderDomain(props.mailFrom),
          }),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
      }),
    );
    // The dispatcher signs confirmation and unsubscribe links; the sender signs moderators' and
    // digests' links and keys its once-only markers under the hashing secret.
    for (const fn of [this.dispatcher, this.sender]) grantSecretRead(fn, props.linkSecret);
    grantSecretRead(this.sender, props.hashSecret);
    this.sender.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: MAIL_DELIVERY.sendBatchSize,
        reportBatchItemFailures: true,
      }),
    );

    for (const [name, queue, what] of [
      ['MailDeadLetters', this.deadLetters, 'mail jobs failed every try'],
      ['MailDispatchFailures', this.dispatchFailures, 'the mail dispatcher failed a stream batch'],
    ] as const) {
      new Alarm(this, `${name}Alarm`, {
        alarmDescription: `Talkback: ${what} (see docs/notifications.md, "When mail fails")`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
    }
  }
}

function byStatusIndex(): string {
  const index = TABLE_DEFINITION.globalIndexes.find(
    (candidate) => candidate.indexName === 'byStatus',
  );
  if (!index) throw new Error('the table has no byStatus index');
  return index.indexName;
}
