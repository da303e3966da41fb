/**
 * What the subscription routes need: the subscriber items (conditional updates only, no reads),
 * the hashing secret that signs their tokens, and the clock.
 */
import { systemClock } from '../domain/ids';
import { createKeyedHasher } from '../domain/keyed-hash';
import type { NotificationDeps } from '../domain/notifications';
import { SECRET_ENV, TABLE_NAME_ENV } from '../runtime';
import { createDocumentClient } from '../store/client';
import { NotificationRepository } from '../store/notification-repository';

export type SubscriptionDeps = Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>;

export function loadSubscriptionDeps(env: NodeJS.ProcessEnv = process.env): SubscriptionDeps {
  const table = env[TABLE_NAME_ENV];
  const secret = env[SECRET_ENV];
  if (!table || !secret) {
    throw new Error(`Talkback configuration: ${TABLE_NAME_ENV} and ${SECRET_ENV} must be set`);
  }
  return {
    store: new NotificationRepository(createDocumentClient(env), table),
    hasher: createKeyedHasher(secret),
    clock: systemClock,
  };
}
