/**
 * The builders of the areas behind the mail's links and of the mail functions (areas.ts has the
 * others and says why these are apart): only the functions that use them import this module.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Foundation, type SubscriptionDeps, tableOf } from '../areas';
import type { ModerationLinkDeps } from '../domain/notification-links';
import type { MailQueue, NotificationDeps } from '../domain/notifications';
import { MAIL_QUEUE_URL_ENV, required } from '../env';
import { ModerationLinkRepository } from '../store/moderation-link-repository';
import { NotificationRepository } from '../store/notification-repository';
import { mailSettingsFromEnv } from './mail-settings';
import { sqsQueue } from './sqs-queue';

export const subscriptionsFrom = (base: Foundation): SubscriptionDeps => {
  const { client, tableName } = tableOf(base);
  return {
    store: new NotificationRepository(client, tableName),
    hasher: base.hasher,
    clock: base.clock,
  };
};

/** The moderators' link pages: the comment and link reads, the transaction, the key. */
export const moderationLinksFrom = (base: Foundation): ModerationLinkDeps => {
  const { client, tableName } = tableOf(base);
  return {
    links: new ModerationLinkRepository(client, tableName, base.clock),
    hasher: base.hasher,
    clock: base.clock,
  };
};

export const notificationsFrom = (base: Foundation): NotificationDeps => ({
  ...subscriptionsFrom(base),
  mail: mailSettingsFromEnv(base.env),
  undoSeconds: base.settings.moderation.undoSeconds,
  decisions: base.settings.decisions,
});

/** The queue the dispatcher fills; on AWS the sender function consumes it. */
export const mailQueueFrom = (base: Foundation): MailQueue =>
  sqsQueue(new SQSClient({}), required(base.env, MAIL_QUEUE_URL_ENV));
