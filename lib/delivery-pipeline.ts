import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
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

/** One of the pipeline's two functions: its handler, and what it may do besides its queue. */
export interface DeliveryFunction {
  entry: string;
  description: string;
  /** Its environment; the queue's URL is given so that it can name it. */
  environment: (queue: Queue) => Record<string, string>;
  /** Its own grants (the table, secrets, SES), added before its event source. */
  grant: (fn: TalkbackFunction, queue: Queue) => void;
}

export interface DeliveryPipelineProps {
  /**
   * The prefix of the functions' and alarms' construct ids (`MailDispatch`, `MailSend`,
   * `MailDeadLettersAlarm`): ids a deployed stack's logical ids are made of, so never renamed.
   */
  name: string;
  /** The jobs queue's construct id (`Jobs`, `Deliveries`): likewise never renamed. */
  queueId: string;
  table: ITableV2;
  /** The changes of the table's stream the dispatcher is given (lambda/store/stream-filters.ts). */
  streamFilter: (typeof STREAM_FILTERS)['mail' | 'webhooks'];
  tuning: DeliveryTuning;
  dispatcher: DeliveryFunction;
  sender: DeliveryFunction;
  /** The alarms' words: what failed, and where the runbook is. */
  alarms: { deadLetters: string; dispatchFailures: string; runbook: string };
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** What the pipeline built, for the construct that owns it to grant and test. */
export interface DeliveryPipeline {
  queue: Queue;
  deadLetters: Queue;
  dispatchFailures: Queue;
  dispatcher: TalkbackFunction;
  sender: TalkbackFunction;
}

/**
 * The delivery pipeline mail and webhooks share (docs/architecture.md): a dispatcher on the
 * table's stream decides what a changed comment calls for and queues it; a sender works the
 * queue, whose jobs after the last try wait in a dead-letter queue; a stream batch the
 * dispatcher kept failing is kept in a queue of its own; either queue holding anything raises an
 * alarm. Built straight into `scope` rather than as a construct of its own, so that each part
 * keeps the construct id, and the logical id, it had before the pipeline was shared.
 */
export function buildDeliveryPipeline(
  scope: Construct,
  props: DeliveryPipelineProps,
): DeliveryPipeline {
  const { tuning, removalPolicy } = props;
  const queueDefaults = {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy,
  };
  const deadLetters = new Queue(scope, 'DeadLetters', {
    ...queueDefaults,
    retentionPeriod: Duration.days(14),
  });
  const queue = new Queue(scope, props.queueId, {
    ...queueDefaults,
    // Six times the sender's timeout, as Lambda advises for an SQS event source.
    visibilityTimeout: Duration.seconds(6 * tuning.senderTimeout.toSeconds()),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: tuning.maxReceiveCount },
  });
  // Where the stream position of a batch the dispatcher kept failing is kept.
  const dispatchFailures = new Queue(scope, 'DispatchFailures', {
    ...queueDefaults,
    retentionPeriod: Duration.days(14),
  });
  for (const deadLetterQueue of [deadLetters, dispatchFailures]) {
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter destination (of the ${props.name} queue or of its dispatcher's stream mapping).`,
    });
  }

  const dispatcher = new TalkbackFunction(scope, `${props.name}Dispatch`, {
    entry: props.dispatcher.entry,
    description: props.dispatcher.description,
    environment: props.dispatcher.environment(queue),
    logRetention: props.logRetention,
    removalPolicy,
    timeout: Duration.minutes(1),
  });
  props.dispatcher.grant(dispatcher, queue);
  queue.grantSendMessages(dispatcher);
  const { eventNames, sortKeyPrefix, retryAttempts } = props.streamFilter;
  dispatcher.addEventSource(
    new DynamoEventSource(props.table, {
      startingPosition: StartingPosition.LATEST,
      batchSize: tuning.dispatchBatchSize,
      bisectBatchOnError: true,
      retryAttempts,
      onFailure: new SqsDlq(dispatchFailures),
      // Comments only: the same rule the local server's poller applies.
      filters: eventNames.map((eventName) =>
        FilterCriteria.filter({
          eventName: FilterRule.isEqual(eventName),
          dynamodb: { Keys: { SK: { S: FilterRule.beginsWith(sortKeyPrefix) } } },
        }),
      ),
    }),
  );

  const sender = new TalkbackFunction(scope, `${props.name}Send`, {
    entry: props.sender.entry,
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
    new Alarm(scope, `${props.name}${kind}Alarm`, {
      alarmDescription: `Talkback: ${what} (see ${props.alarms.runbook})`,
      metric: failed.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(props.alarmTopic));
  }
  return { queue, deadLetters, dispatchFailures, dispatcher, sender };
}
