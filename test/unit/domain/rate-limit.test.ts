import {
  clientHash,
  type RateCharge,
  rateCharges,
  retryAfterSeconds,
} from '../../../lambda/domain/rate-limit';
import { DEFAULT_RATE_LIMITS, parseSettings } from '../../../lambda/domain/settings';
import { hasher, NOW } from '../fakes';

/** 2026-11-26T21:19:00.000Z: 41 minutes before the hour ends. */
const CLIENT = 'cl1entHash0123456789ab';

describe('clientHash', () => {
  it('is a keyed hash of the source IP, stable and never the IP', () => {
    const hash = clientHash(hasher, '203.0.113.7');
    expect(hash).toBe(clientHash(hasher, '203.0.113.7'));
    expect(hash).not.toContain('203.0.113.7');
    expect(hash).toBe(hasher.hash('client', '203.0.113.7'));
  });

  it('differs between clients', () => {
    expect(clientHash(hasher, '203.0.113.7')).not.toBe(clientHash(hasher, '203.0.113.8'));
  });
});

describe('rateCharges', () => {
  it('charges a minute and an hour window for comments, with their limits', () => {
    expect(rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW + 15_500)).toEqual([
      {
        clientHash: CLIENT,
        action: 'comment',
        window: 'minute',
        windowStart: '2026-11-26T21:19:00.000Z',
        windowEnd: Date.parse('2026-11-26T21:20:00.000Z'),
        limit: 3,
      },
      {
        clientHash: CLIENT,
        action: 'comment',
        window: 'hour',
        windowStart: '2026-11-26T21:00:00.000Z',
        windowEnd: Date.parse('2026-11-26T22:00:00.000Z'),
        limit: 20,
      },
    ]);
  });

  it('uses the reaction limits for reactions', () => {
    const charges = rateCharges(DEFAULT_RATE_LIMITS, 'reaction', CLIENT, NOW);
    expect(charges.map((charge) => [charge.action, charge.window, charge.limit])).toEqual([
      ['reaction', 'minute', 30],
      ['reaction', 'hour', 300],
    ]);
  });

  it('takes configured limits', () => {
    const { rateLimits } = parseSettings({
      rateLimits: {
        commentsPerMinute: 1,
        commentsPerHour: 5,
        reactionsPerMinute: 7,
        reactionsPerHour: 70,
      },
    });
    expect(rateCharges(rateLimits, 'comment', CLIENT, NOW).map((c) => c.limit)).toEqual([1, 5]);
    expect(rateCharges(rateLimits, 'reaction', CLIENT, NOW).map((c) => c.limit)).toEqual([7, 70]);
  });

  it('starts a window exactly on its boundary', () => {
    const [minute, hour] = rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW);
    expect(minute?.windowStart).toBe('2026-11-26T21:19:00.000Z');
    expect(hour?.windowStart).toBe('2026-11-26T21:00:00.000Z');
  });

  it('keeps the same window until its last millisecond, then moves on', () => {
    const last = rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW + 59_999);
    const next = rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW + 60_000);
    expect(last[0]?.windowStart).toBe('2026-11-26T21:19:00.000Z');
    expect(next[0]?.windowStart).toBe('2026-11-26T21:20:00.000Z');
    expect(next[1]?.windowStart).toBe(last[1]?.windowStart);
  });
});

describe('retryAfterSeconds', () => {
  const [minute, hour] = rateCharges(DEFAULT_RATE_LIMITS, 'comment', CLIENT, NOW) as [
    RateCharge,
    RateCharge,
  ];

  it('is the time until the refused window ends', () => {
    expect(retryAfterSeconds([minute], NOW)).toBe(60);
    expect(retryAfterSeconds([hour], NOW)).toBe(41 * 60);
  });

  it('rounds a part second up', () => {
    expect(retryAfterSeconds([minute], NOW + 15_500)).toBe(45);
  });

  it('waits for the latest of several refused windows', () => {
    expect(retryAfterSeconds([minute, hour], NOW + 30_000)).toBe(41 * 60 - 30);
    expect(retryAfterSeconds([hour, minute], NOW + 30_000)).toBe(41 * 60 - 30);
  });

  it('is at least 1 second, even at or past the end of the window', () => {
    expect(retryAfterSeconds([minute], NOW + 60_000)).toBe(1);
    expect(retryAfterSeconds([minute], NOW + 59_999)).toBe(1);
  });
});
