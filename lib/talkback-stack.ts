import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readContext, warnOnReservedTotal } from './context';
import { ReactionTally } from './reaction-tally';
import { TalkbackApi } from './talkback-api';
import { TalkbackEdge } from './talkback-edge';
import { TalkbackMail } from './talkback-mail';
import { TalkbackModerators } from './talkback-moderators';
import { TalkbackMonitoring } from './talkback-monitoring';
import { TalkbackTable } from './talkback-table';

/**
 * Talkback: the table, the API in front of it, the reaction tally on the table's stream, and
 * the alarms and dashboard that watch them, configured from context.
 */
export class TalkbackStack extends Stack {
  readonly table: TalkbackTable;
  readonly api: TalkbackApi;
  readonly reactionTally: ReactionTally;
  readonly monitoring: TalkbackMonitoring;
  readonly moderators: TalkbackModerators;
  readonly edge: TalkbackEdge;
  /** Present when the `mailFrom` context is set (docs/notifications.md). */
  readonly mail?: TalkbackMail;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    // Every key is checked before the first construct, so a mistake costs no bundling.
    const { config, edge, mail, moderatorMfa } = readContext(this);
    this.table = new TalkbackTable(this, 'Data', { destroyOnRemoval: config.destroyOnRemoval });
    this.api = new TalkbackApi(this, 'Api', { ...config, table: this.table.table });
    warnOnReservedTotal(this, this.api.cappedFunctions, config.reservedConcurrency);
    this.reactionTally = new ReactionTally(this, 'Tally', {
      table: this.table.table,
      settings: config.settings,
      environment: this.api.tableEnvironment,
      logRetention: config.logRetention,
      destroyOnRemoval: config.destroyOnRemoval,
    });
    this.moderators = new TalkbackModerators(this, 'Moderators', {
      api: this.api.api,
      mfa: moderatorMfa,
      destroyOnRemoval: config.destroyOnRemoval,
    });
    this.edge = new TalkbackEdge(this, 'Edge', {
      ...edge,
      api: this.api.api,
      functions: this.api.functions,
      allowedOrigins: config.allowedOrigins,
      destroyOnRemoval: config.destroyOnRemoval,
      logRetentionDays: config.logRetention,
      moderationConsole: {
        // The console's undo window is the deployment's one setting, which the mail waits out too.
        config: {
          ...this.moderators.consoleConfig,
          undoSeconds: config.settings.moderation.undoSeconds,
        },
        connectSources: this.moderators.connectSources,
      },
    });
    this.api.trustEdge(this.edge.originVerifySecret);
    this.monitoring = new TalkbackMonitoring(this, 'Monitoring', {
      api: this.api.api,
      table: this.table.table,
      functions: {
        ...this.api.functions,
        [this.reactionTally.function.node.id]: this.reactionTally.function,
      },
      tally: this.reactionTally.function,
      tallyFailures: this.reactionTally.failures,
      alarmEmail: config.alarmEmail,
      commentSpikeThreshold: config.commentSpikeThreshold,
    });
    if (mail) {
      this.mail = new TalkbackMail(this, 'Mail', {
        ...mail,
        table: this.table.table,
        environment: this.api.tableEnvironment,
        hashSecret: this.api.hashSecret,
        linkSecret: this.api.linkSecret,
        // Its trailing slash is dropped where the functions read it (lambda/mail/mail-settings.ts).
        apiUrl: this.api.url,
        alarmTopic: this.monitoring.topic,
        logRetention: config.logRetention,
        destroyOnRemoval: config.destroyOnRemoval,
      });
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API' });
    // Operators' routes need signed requests from a principal allowed execute-api:Invoke on this.
    new CfnOutput(this, 'AdminInvokeArn', {
      value: this.api.api.arnForExecuteApi('*', '/admin/*', '$default'),
      description: 'Resource for an operator policy allowing execute-api:Invoke on /admin/',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'SNS topic of every alarm: subscribe here, or set the alarmEmail context',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.table.tableName,
      description: 'The DynamoDB table',
    });
  }
}
