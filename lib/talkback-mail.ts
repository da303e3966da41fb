import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
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
import {
  DeliveryPipeline,
  type DeliveryStackProps,
  type DeliveryTuning,
} from './delivery-pipeline';
import { type MailContext, senderDomain } from './mail-from-context';
import {
  attributeWriteConditions,
  CONFIRMATION_WRITE_ATTRIBUTES,
  MAIL_MARKER_WRITE_ATTRIBUTES,
  PARTITIONS,
  REPLY_COUNT_WRITE_ATTRIBUTES,
} from './table-conditions';
import { grantSecretRead } from './talkback-secrets';

export { type MailContext, mailContext, senderDomain } from './mail-from-context';

/** How the dispatcher reads the stream and the sender the queue. */
export const MAIL_DELIVERY = {
  dispatchBatchSize: 100,
  sendBatchSize: 10,
  /** Tries of one job before it goes to the dead-letter queue. */
  maxReceiveCount: 5,
  senderTimeout: Duration.seconds(30),
} as const satisfies DeliveryTuning;

/**
 * The hashing secret keys the mail markers (only the sender, which keeps them, reads it); both
 * functions sign links with the link secret; confirmation, unsubscribe and moderation links
 * point at the API's URL.
 */
export interface TalkbackMailProps extends MailContext, DeliveryStackProps {}

/**
 * Mail (docs/notifications.md): the dispatcher on the table's stream decides what a changed
 * comment calls for and queues it; the sender sends each job through SES v2 with a
 * configuration set whose suppression list takes bounces and complaints. Failed jobs are retried
 * by the queue and end in a dead-letter queue that raises an alarm (the delivery pipeline,
 * lib/delivery-pipeline.ts). These two functions are the only ones besides the operators' that
 * may read an email.
 */
export class TalkbackMail extends DeliveryPipeline {
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: TalkbackMailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const table = props.table.tableArn;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    const configurationSetName = this.configurationSet.configurationSetName;

    const mailSettings = stack.toJsonString({
      siteName: props.siteName,
      articleUrlTemplate: props.articleUrlTemplate,
      apiUrl: props.apiUrl,
      moderatorEmails: props.moderatorEmails,
      ...(props.consoleUrl ? { consoleUrl: props.consoleUrl } : {}),
    });
    // Only the secrets' ARNs: each function fetches the values at its first event.
    const linkEnvironment = { [LINK_SECRET_ARN_ENV]: props.linkSecret.secretArn };

    this.buildPipeline({
      ...props,
      name: 'Mail',
      queueId: 'Jobs',
      streamFilter: STREAM_FILTERS.mail,
      tuning: MAIL_DELIVERY,
      dispatcher: {
        handler: 'mail-dispatch',
        description:
          'Talkback MailDispatch: the mail a changed comment calls for, from the table stream',
        environment: (queue) => ({
          ...props.environment,
          ...linkEnvironment,
          [MAIL_SETTINGS_ENV]: mailSettings,
          [MAIL_QUEUE_URL_ENV]: queue.queueUrl,
        }),
        // Whole comments (the author's email for a confirmation, the parent's for a reply): a
        // reply's parent and subscribers by GetItem, a stream batch's comments by BatchGetItem
        // (on comments' partitions only); the subscriber's confirmation mark and an address's
        // hourly count of reply notifications by conditional UpdateItems.
        grant: (fn) => {
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table] }),
          );
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:BatchGetItem'],
              resources: [table],
              conditions: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PARTITIONS.article] },
              },
            }),
          );
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:UpdateItem'],
              resources: [table],
              conditions: attributeWriteConditions(
                [...CONFIRMATION_WRITE_ATTRIBUTES, ...REPLY_COUNT_WRITE_ATTRIBUTES],
                [PARTITIONS.subscriber],
              ),
            }),
          );
        },
      },
      sender: {
        handler: 'mail-send',
        description: 'Talkback MailSend: sends queued mail through SES, each at most once',
        environment: (queue) => ({
          ...props.environment,
          ...linkEnvironment,
          [SECRET_ARN_ENV]: props.hashSecret.secretArn,
          [MAIL_SETTINGS_ENV]: mailSettings,
          [MAIL_FROM_ENV]: props.mailFrom,
          [MAIL_CONFIGURATION_SET_ENV]: configurationSetName,
          // A digest of replies due later than SQS's longest delay waits on the queue again.
          [MAIL_QUEUE_URL_ENV]: queue.queueUrl,
        }),
        // A window's held comments, whole, from the byStatus index; for a digest of replies, the
        // address's subscriber and hour items and the replies, whole, by GetItem; the once-only
        // markers; its own queue, for a digest not yet due; SES; the link secret (moderators'
        // and digests' links) and the hashing secret (the once-only markers' key).
        grant: (fn, queue) => {
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table] }),
          );
          queue.grantSendMessages(fn);
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:Query'],
              resources: [`${table}/index/${byStatusIndex()}`],
            }),
          );
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
              resources: [table],
              conditions: attributeWriteConditions(MAIL_MARKER_WRITE_ATTRIBUTES, [
                PARTITIONS.mailMarker,
              ]),
            }),
          );
          fn.addToRolePolicy(
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
                  resourceName: configurationSetName,
                }),
              ],
            }),
          );
          grantSecretRead(fn, props.linkSecret);
          grantSecretRead(fn, props.hashSecret);
        },
      },
      alarms: {
        deadLetters: 'mail jobs failed every try',
        dispatchFailures: 'the mail dispatcher failed a stream batch',
        runbook: 'docs/notifications.md, "When mail fails"',
      },
    });
    // The dispatcher signs confirmation and unsubscribe links.
    grantSecretRead(this.dispatcher, props.linkSecret);
  }
}

function byStatusIndex(): string {
  const index = TABLE_DEFINITION.globalIndexes.find(
    (candidate) => candidate.indexName === 'byStatus',
  );
  if (!index) throw new Error('the table has no byStatus index');
  return index.indexName;
}
