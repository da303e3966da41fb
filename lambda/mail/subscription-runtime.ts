/**
 * What the subscription routes need: the subscriber items (conditional updates only, no reads),
 * the hashing key that signs their tokens, and the clock.
 */
import { systemClock } from '../domain/ids';
import type { NotificationDeps } from '../domain/notifications';
import { TABLE_NAME_ENV } from '../env';
import { keyedHasherFromEnv } from '../secrets/keyed-hasher-from-env';
import { createDocumentClient } from '../store/client';
import { NotificationRepository } from '../store/notification-repository';

export type SubscriptionDeps = Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>;

export function loadSubscriptionDeps(env: NodeJS.ProcessEnv = process.env): SubscriptionDeps {
  const table = env[TABLE_NAME_ENV];
  if (!table) throw new Error(`Talkback configuration: ${TABLE_NAME_ENV} is not set`);
  return {
    store: new NotificationRepository(createDocumentClient(env), table),
    // Fetched before each request's handler runs, where the deployment keeps it in Secrets Manager.
    hasher: keyedHasherFromEnv(env),
    clock: systemClock,
  };
}
