/**
 * The composition root of the mail functions (the dispatcher and the sender): the only functions
 * besides the operators' that read an email. Configuration is read once, at module load. The
 * sender's SES side is in sender-runtime.ts, so the dispatcher's bundle carries no MIME library.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../domain/ids';
import {
  createDeferredKeyedHasher,
  createKeyedHasher,
  type KeyedHasher,
} from '../domain/keyed-hash';
import type { MailQueue, NotificationDeps } from '../domain/notifications';
import { settingsFromEnv } from '../domain/settings';
import { SECRET_ARN_ENV, SECRET_ENV, TABLE_NAME_ENV } from '../env';
import { secretsManagerSource } from '../secrets/secrets-manager';
import { createDocumentClient } from '../store/client';
import { NotificationRepository } from '../store/notification-repository';
import { MAIL_QUEUE_URL_ENV, mailSettingsFromEnv } from './mail-settings';
import { sqsQueue } from './sqs-queue';

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Talkback configuration: environment variable ${name} is not set`);
  return value;
}

/**
 * The hashing key: from Secrets Manager where the deployment names it (fetched before the first
 * event is handled, and again after a failed fetch), else TALKBACK_SECRET (local, tests).
 */
function mailHasher(env: NodeJS.ProcessEnv): { hasher: KeyedHasher; ready: () => Promise<void> } {
  const arn = env[SECRET_ARN_ENV];
  if (arn) {
    const hasher = createDeferredKeyedHasher(secretsManagerSource(arn));
    return { hasher, ready: async () => hasher.ready() };
  }
  return { hasher: createKeyedHasher(required(env, SECRET_ENV)), ready: async () => undefined };
}

/** A handler that waits for the hashing key first; a failed fetch fails the event, to be retried. */
export function afterKey<E, R>(
  ready: () => Promise<void>,
  handle: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event) => {
    await ready();
    return handle(event);
  };
}

export function loadNotificationDeps(
  env: NodeJS.ProcessEnv = process.env,
  options: { clock?: Clock; client?: DynamoDBDocumentClient } = {},
): NotificationDeps & { ready: () => Promise<void> } {
  const { hasher, ready } = mailHasher(env);
  return {
    ready,
    store: new NotificationRepository(
      options.client ?? createDocumentClient(env),
      required(env, TABLE_NAME_ENV),
    ),
    hasher,
    clock: options.clock ?? systemClock,
    mail: mailSettingsFromEnv(env),
    undoSeconds: settingsFromEnv(env).moderation.undoSeconds,
  };
}

/** The queue the dispatcher fills; on AWS the sender function consumes it. */
export function loadMailQueue(env: NodeJS.ProcessEnv = process.env): MailQueue {
  return sqsQueue(new SQSClient({}), required(env, MAIL_QUEUE_URL_ENV));
}
