/**
 * What the routes behind mail links need: the subscriber items (conditional updates only, no
 * reads) or the moderators' link store, the hashing key that signs their tokens, and the clock.
 */
import { systemClock } from '../domain/ids';
import type { ModerationLinkDeps } from '../domain/notification-links';
import type { NotificationDeps } from '../domain/notifications';
import { TABLE_NAME_ENV } from '../env';
import { keyedHasherFromEnv } from '../secrets/keyed-hasher-from-env';
import { createDocumentClient } from '../store/client';
import { ModerationLinkRepository } from '../store/moderation-link-repository';
import { NotificationRepository } from '../store/notification-repository';

export type SubscriptionDeps = Pick<NotificationDeps, 'store' | 'hasher' | 'clock'>;

function tableName(env: NodeJS.ProcessEnv): string {
  const table = env[TABLE_NAME_ENV];
  if (!table) throw new Error(`Talkback configuration: ${TABLE_NAME_ENV} is not set`);
  return table;
}

export function loadSubscriptionDeps(env: NodeJS.ProcessEnv = process.env): SubscriptionDeps {
  return {
    store: new NotificationRepository(createDocumentClient(env), tableName(env)),
    // Fetched before each request's handler runs, where the deployment keeps it in Secrets Manager.
    hasher: keyedHasherFromEnv(env),
    clock: systemClock,
  };
}

/** What the moderators' link pages need: the comment and link reads, the transaction, the key. */
export function loadModerationLinkDeps(env: NodeJS.ProcessEnv = process.env): ModerationLinkDeps {
  return {
    links: new ModerationLinkRepository(createDocumentClient(env), tableName(env)),
    hasher: keyedHasherFromEnv(env),
    clock: systemClock,
  };
}
