import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { STREAM_FILTERS } from '../lambda/store/stream-filters';
import { TalkbackFunction } from './talkback-function';

/** How a pipeline's dispatcher reads the stream and its sender the queue. */
export interface DeliveryTuning {
  dispatchBatchSize: number;
  sendBatchSize: number;
  /** Tries of one job before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  senderTimeout: Duration;
}

const HANDLERS = path.join(__dirname, '..', 'lambda', 'handlers');

/** What the stack gives mail and the webhooks alike. */
export interface DeliveryStackProps {
  table: ITableV2;
  /** TALKBACK_SETTINGS and TABLE_NAME, as the API's table functions get them. */
  environment: Record<string, string>;
  /** The hashing secret, the root of the once-only markers' key. */
  hashSecret: ISecret;
  /** The link secret, the root of the links' keys. */
  linkSecret: ISecret;
  /** The API's base URL, where the links point. */
  apiUrl: string;
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  destroyOnRemoval: boolean;
}

/** One of the pipeline's two functions: its handler, and what it may do besides its queue. */
export interface DeliveryFunction {
  /** The module in lambda/handlers/, without `.ts`. */
  handler: string;
  description: string;
  /** Its environment; the queue's URL is given so that it can name it. */
  environment: (queue: Queue) => Record<string, string>;
  /** Its own grants (the table, secrets, SES), added before its event source. */
  grant: (fn: TalkbackFunction, queue: Queue) => void;
}

export interface DeliveryPipelineProps
  extends Pick<DeliveryStackProps, 'table' | 'alarmTopic' | 'logRetention' | 'destroyOnRemoval'> {
  /**
   * The prefix of the functions' and alarms' construct ids (`MailDispatch`, `MailSend`,
   * `MailDeadLettersAlarm`): ids a deployed stack's logical ids are made of, so never renamed.
   */
  name: string;
  /** The jobs queue's construct id (`Jobs`, `Deliveries`): likewise never renamed. */
  queueId: string;
  /** The changes of the table's stream the dispatcher is given (lambda/store/stream-filters.ts). */
  streamFilter: (typeof STREAM_FILTERS)['mail' | 'webhooks'];
  tuning: DeliveryTuning;
  dispatcher: DeliveryFunction;
  sender: DeliveryFunction;
  /** The alarms' words: what failed, and where the runbook is. */
  alarms: { deadLetters: string; dispatchFailures: string; runbook: string };
}

/**
 * The delivery pipeline mail and webhooks share (docs/architecture.md): a dispatcher on the
 * table's stream decides what a changed comment calls for and queues it; a sender works the
 * queue, whose jobs after the last try wait in a dead-letter queue; a stream batch the
 * dispatcher kept failing is kept in a queue of its own; either queue holding anything raises an
 * alarm. Mail and the webhooks extend it and build the pipeline into themselves, with no
 * construct level between, so that each part keeps the construct id, and the logical id, it had
 * before the pipeline was shared.
 */
export abstract class DeliveryPipeline extends Construct {
  declare readonly queue: Queue;
  declare readonly deadLetters: Queue;
  declare readonly dispatchFailures: Queue;
  declare readonly dispatcher: TalkbackFunction;
  declare readonly sender: TalkbackFunction;

  /** Builds the queues, the two functions with their grants and sources, and the alarms. */
  protected buildPipeline(props: DeliveryPipelineProps): void {
    const { tuning } = props;
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const queueDefaults = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy,
    };
    const deadLetters = new Queue(this, 'DeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, props.queueId, {
      ...queueDefaults,
      // Six times the sender's timeout, as Lambda advises for an SQS event source.
      visibilityTimeout: Duration.seconds(6 * tuning.senderTimeout.toSeconds()),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: tuning.maxReceiveCount },
    });
    // Where the stream position of a batch the dispatcher kept failing is kept.
    const dispatchFailures = new Queue(this, 'DispatchFailures', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    for (const deadLetterQueue of [deadLetters, dispatchFailures]) {
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter destination (of the ${props.name} queue or of its dispatcher's stream mapping).`,
      });
    }

    const dispatcher = new TalkbackFunction(this, `${props.name}Dispatch`, {
      entry: path.join(HANDLERS, `${props.dispatcher.handler}.ts`),
      description: props.dispatcher.description,
      environment: props.dispatcher.environment(queue),
      logRetention: props.logRetention,
      removalPolicy,
      timeout: Duration.minutes(1),
    });
    props.dispatcher.grant(dispatcher, queue);
    queue.grantSendMessages(dispatcher);
    const { eventNames, retryAttempts } = props.streamFilter;
    const prefixes =
      'sortKeyPrefixes' in props.streamFilter
        ? props.streamFilter.sortKeyPrefixes
        : [props.streamFilter.sortKeyPrefix];
    dispatcher.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: tuning.dispatchBatchSize,
        bisectBatchOnError: true,
        retryAttempts,
        onFailure: new SqsDlq(dispatchFailures),
        // Only the sort keys the consumer reads: the same rule the local server's poller applies.
        filters: eventNames.flatMap((eventName) =>
          prefixes.map((prefix) =>
            FilterCriteria.filter({
              eventName: FilterRule.isEqual(eventName),
              dynamodb: { Keys: { SK: { S: FilterRule.beginsWith(prefix) } } },
            }),
          ),
        ),
      }),
    );

    const sender = new TalkbackFunction(this, `${props.name}Send`, {
      entry: path.join(HANDLERS, `${props.sender.handler}.ts`),
      description: props.sender.description,
      environment: props.sender.environment(queue),
      logRetention: props.logRetention,
      removalPolicy,
      timeout: tuning.senderTimeout,
    });
    props.sender.grant(sender, queue);
    // Consuming grants ChangeMessageVisibility too, which a sender's backoff uses.
    sender.addEventSource(
      new SqsEventSource(queue, { batchSize: tuning.sendBatchSize, reportBatchItemFailures: true }),
    );

    for (const [kind, failed, what] of [
      ['DeadLetters', deadLetters, props.alarms.deadLetters],
      ['DispatchFailures', dispatchFailures, props.alarms.dispatchFailures],
    ] as const) {
      new Alarm(this, `${props.name}${kind}Alarm`, {
        alarmDescription: `Talkback: ${what} (see ${props.alarms.runbook})`,
        metric: failed.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
    }
    Object.assign(this, { queue, deadLetters, dispatchFailures, dispatcher, sender });
  }
}
