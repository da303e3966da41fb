/**
 * Fixed-window rate limits per client. A client is a keyed hash of the source IP that API
 * Gateway saw (never a header the client controls, never the raw IP). Each window is one
 * counter item that the write's own transaction increments on the condition that it is under
 * the limit, so a refused request changes nothing and an accepted one is always counted.
 */
import type { KeyedHasher } from './keyed-hash';
import type { RateLimits } from './settings';

/**
 * `notify`: asking for reply notifications (lambda/domain/notifications.ts). A like is limited
 * as a reaction is and a report as a comment is, each in windows of its own.
 */
export type RateAction = 'comment' | 'reaction' | 'notify' | 'like' | 'report';

export interface RateCharge {
  clientHash: string;
  action: RateAction;
  window: 'minute' | 'hour';
  /** ISO time the window started. */
  windowStart: string;
  /** Epoch ms the window ends: the earliest a refused client may try again. */
  windowEnd: number;
  limit: number;
}

const WINDOWS = [
  { window: 'minute', ms: 60_000 },
  { window: 'hour', ms: 3_600_000 },
] as const;

/**
 * The network a client is on, as rate limits count it: the whole IPv4 address, or the /64
 * prefix of an IPv6 address (one subscriber is usually given a whole /64, so counting single
 * IPv6 addresses would give each client billions of quotas).
 */
export function clientNetwork(sourceIp: string): string {
  if (!sourceIp.includes(':')) return sourceIp;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(sourceIp);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail = ''] = sourceIp.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = sourceIp.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}

export function clientHash(hasher: KeyedHasher, sourceIp: string): string {
  return hasher.hash('client', clientNetwork(sourceIp));
}

export function rateCharges(
  limits: RateLimits,
  action: 'comment' | 'reaction' | 'like' | 'report',
  client: string,
  nowMs: number,
): RateCharge[] {
  return WINDOWS.map(({ window, ms }) => {
    const start = Math.floor(nowMs / ms) * ms;
    const limit =
      action === 'comment' || action === 'report'
        ? window === 'minute'
          ? limits.commentsPerMinute
          : limits.commentsPerHour
        : window === 'minute'
          ? limits.reactionsPerMinute
          : limits.reactionsPerHour;
    return {
      clientHash: client,
      action,
      window,
      windowStart: new Date(start).toISOString(),
      windowEnd: start + ms,
      limit,
    };
  });
}

/** Whole seconds until the latest of the refused windows ends; at least 1. */
export function retryAfterSeconds(refused: RateCharge[], nowMs: number): number {
  const end = Math.max(...refused.map((charge) => charge.windowEnd));
  return Math.max(1, Math.ceil((end - nowMs) / 1000));
}
