import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { edgeFromContext } from './edge-from-context';
import { ReactionTally } from './reaction-tally';
import { configFromContext } from './settings-from-context';
import { TalkbackApi } from './talkback-api';
import { TalkbackEdge } from './talkback-edge';
import { mailContext, TalkbackMail } from './talkback-mail';
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
    const config = configFromContext(this.node);
    this.table = new TalkbackTable(this, 'Data', { destroyOnRemoval: config.destroyOnRemoval });
    this.api = new TalkbackApi(this, 'Api', { ...config, table: this.table.table });
    this.reactionTally = new ReactionTally(this, 'Tally', {
      table: this.table.table,
      settings: config.settings,
      environment: this.api.tableEnvironment,
      logRetention: config.logRetention,
      destroyOnRemoval: config.destroyOnRemoval,
    });
    this.moderators = new TalkbackModerators(this, 'Moderators', {
      api: this.api.api,
      mfa: this.node.tryGetContext('moderatorMfa') === 'optional' ? 'optional' : 'required',
      destroyOnRemoval: config.destroyOnRemoval,
    });
    this.edge = new TalkbackEdge(this, 'Edge', {
      ...edgeFromContext(this.node),
      api: this.api.api,
      functions: this.api.functions,
      allowedOrigins: config.allowedOrigins,
      destroyOnRemoval: config.destroyOnRemoval,
      logRetentionDays: config.logRetention,
      moderationConsole: {
        config: {
          apiUrl: this.api.url,
          // The console's undo window is the deployment's one, which the API and the mail wait out.
          undoSeconds: String(config.settings.moderation.undoSeconds),
          ...this.moderators.consoleConfig,
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
    const mail = mailContext(this.node);
    if (mail) {
      this.mail = new TalkbackMail(this, 'Mail', {
        ...mail,
        table: this.table.table,
        environment: this.api.tableEnvironment,
        hashSecret: this.api.hashSecret,
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
