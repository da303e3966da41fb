/**
 * Fixed-window rate limits per client. A client is a keyed hash of the source IP that API
 * Gateway saw (never a header the client controls, never the raw IP). Each window is one
 * counter item that the write's own transaction increments on the condition that it is under
 * the limit, so a refused request changes nothing and an accepted one is always counted.
 */
import type { KeyedHasher } from './keyed-hash';
import type { RateLimits } from './settings';

export type RateAction = 'comment' | 'reaction';

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

export function clientHash(hasher: KeyedHasher, sourceIp: string): string {
  return hasher.hash('client', sourceIp);
}

export function rateCharges(
  limits: RateLimits,
  action: RateAction,
  client: string,
  nowMs: number,
): RateCharge[] {
  return WINDOWS.map(({ window, ms }) => {
    const start = Math.floor(nowMs / ms) * ms;
    const limit =
      action === 'comment'
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
