/**
 * Per-client rate limits on DynamoDB Local, with a fake clock: just under and at each limit,
 * the 429 with Retry-After that changes nothing, a new window, another client, and a spoofed
 * X-Forwarded-For. A client is the source IP API Gateway saw; the table never holds it raw.
 */
import { clientHash } from '../../lambda/domain/rate-limit';
import { DEFAULT_RATE_LIMITS } from '../../lambda/domain/settings';
import type { Runtime } from '../../lambda/runtime';
import type { Api, ApiResponse } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { EmailGuard, FUTURE_HOUR, ManualClock, publicView } from './flows';

jest.setTimeout(60_000);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Every address a request of this file came from or claimed to come from. */
const ADDRESSES = new Set<string>();

let table: TestTable;
const guard = new EmailGuard();

interface Limited {
  runtime: Runtime;
  api: Api;
  clock: ManualClock;
}

/** A runtime with these rate limits (defaults when empty) and its own clock at 09:00:05. */
function limited(rateLimits: Record<string, number> = {}): Limited {
  const clock = new ManualClock(FUTURE_HOUR + 5 * SECOND);
  const runtime = table.runtime(
    { TALKBACK_SETTINGS: JSON.stringify({ rateLimits }) },
    { clock: clock.read },
  );
  return { runtime, api: guard.api(runtime), clock };
}

function expectRateLimited(response: ApiResponse, retryAfterSeconds: number): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response.headers['retry-after']).toBe(String(retryAfterSeconds));
  expect(response.json).toMatchObject({ type: 'about:blank', status: 429 });
}

/** The stored request count of one rate-limit window of a client. */
async function windowCount(
  runtime: Runtime,
  ip: string,
  action: string,
  window: string,
  start: number,
): Promise<unknown> {
  const key = {
    PK: `CLIENT#${clientHash(runtime.hasher, ip)}`,
    SK: `RATE#${action}#${window}#${new Date(start).toISOString()}`,
  };
  const item = (await table.scanAll()).find((i) => i.PK === key.PK && i.SK === key.SK);
  return item?.requests;
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('rate-limits');
});
afterAll(async () => table.drop());

describe('comment posts', () => {
  let n = 0;
  function poster({ api }: Limited, articleId: string) {
    return (ip: string, headers: Record<string, string> = {}) => {
      ADDRESSES.add(ip);
      for (const value of Object.values(headers)) ADDRESSES.add(value);
      n += 1;
      return api('POST', `/articles/${articleId}/comments`, {
        body: { name: 'Flood', email: `flood${n}@example.com`, body: `comment ${n}` },
        sourceIp: ip,
        headers,
      });
    };
  }

  it('default to 3 a minute and 20 an hour per client', () => {
    expect(DEFAULT_RATE_LIMITS).toMatchObject({ commentsPerMinute: 3, commentsPerHour: 20 });
    expect(limited().runtime.settings.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('accept a client’s 3 comments in a minute, just under and at the limit', async () => {
    const setup = limited();
    const post = poster(setup, 'minute-ok');
    for (let i = 0; i < 3; i++) {
      expect((await post('198.51.100.1')).status).toBe(201);
      setup.clock.advance(10 * SECOND);
    }
    expect(await windowCount(setup.runtime, '198.51.100.1', 'comment', 'minute', FUTURE_HOUR)).toBe(
      3,
    );
    expect((await publicView(setup.api, 'minute-ok')).commentCount).toBe(3);
  });

  it('refuse the 4th in that minute with 429 and Retry-After, changing nothing; the next minute accepts', async () => {
    const setup = limited();
    const post = poster(setup, 'minute-over');
    for (let i = 0; i < 3; i++) expect((await post('198.51.100.2')).status).toBe(201);
    setup.clock.set(FUTURE_HOUR + 35 * SECOND);
    const before = await table.scanAll();
    expectRateLimited(await post('198.51.100.2'), 25);
    expect(await table.scanAll()).toEqual(before);
    expect((await publicView(setup.api, 'minute-over')).commentCount).toBe(3);

    setup.clock.set(FUTURE_HOUR + 59_999);
    expectRateLimited(await post('198.51.100.2'), 1);
    setup.clock.set(FUTURE_HOUR + MINUTE);
    expect((await post('198.51.100.2')).status).toBe(201);
    expect((await publicView(setup.api, 'minute-over')).commentCount).toBe(4);
  });

  it('leave another client unaffected', async () => {
    const setup = limited();
    const post = poster(setup, 'minute-other');
    for (let i = 0; i < 3; i++) expect((await post('198.51.100.3')).status).toBe(201);
    expect((await post('198.51.100.3')).status).toBe(429);
    expect((await post('198.51.100.4')).status).toBe(201);
    expect((await post('2001:db8::4')).status).toBe(201);
    expect((await post('198.51.100.3')).status).toBe(429);
  });

  it('give no extra quota for a spoofed X-Forwarded-For header', async () => {
    const setup = limited();
    const post = poster(setup, 'spoofed');
    for (let i = 0; i < 3; i++) {
      const response = await post('198.51.100.5', { 'x-forwarded-for': `203.0.113.${10 + i}` });
      expect(response.status).toBe(201);
    }
    const before = await table.scanAll();
    expectRateLimited(
      await post('198.51.100.5', {
        'x-forwarded-for': '203.0.113.99',
        'x-real-ip': '203.0.113.98',
      }),
      55,
    );
    expect(await table.scanAll()).toEqual(before);
    // Nor does naming the refused client in the header put another client under its limit.
    expect((await post('198.51.100.6', { 'x-forwarded-for': '198.51.100.5' })).status).toBe(201);
    // No window was ever kept for an address that only appeared in a header.
    const clients = new Set(
      (await table.scanAll())
        .filter((item) => item.entity === 'RateWindow')
        .map((item) => String(item.PK)),
    );
    for (const header of ['203.0.113.10', '203.0.113.11', '203.0.113.12', '203.0.113.99']) {
      expect(clients.has(`CLIENT#${clientHash(setup.runtime.hasher, header)}`)).toBe(false);
    }
    expect(clients.has(`CLIENT#${clientHash(setup.runtime.hasher, '198.51.100.5')}`)).toBe(true);
  });

  it('allow 20 an hour: the 20th is accepted, the 21st refused until the hour ends', async () => {
    const setup = limited();
    const post = poster(setup, 'hourly');
    const ip = '198.51.100.7';
    // Three a minute for six minutes, then two: twenty, each minute under its own limit.
    for (let minute = 0; minute <= 6; minute++) {
      setup.clock.set(FUTURE_HOUR + minute * MINUTE + 5 * SECOND);
      for (let i = 0; i < (minute < 6 ? 3 : 2); i++) expect((await post(ip)).status).toBe(201);
    }
    expect(await windowCount(setup.runtime, ip, 'comment', 'hour', FUTURE_HOUR)).toBe(20);

    const before = await table.scanAll();
    // 09:06:05: the minute has room, the hour has not; it ends at 10:00:00.
    expectRateLimited(await post(ip), 53 * 60 + 55);
    setup.clock.set(FUTURE_HOUR + 30 * MINUTE);
    expectRateLimited(await post(ip), 30 * 60);
    expect(await table.scanAll()).toEqual(before);
    expect((await publicView(setup.api, 'hourly')).commentCount).toBe(20);

    setup.clock.set(FUTURE_HOUR + 60 * MINUTE);
    expect((await post(ip)).status).toBe(201);
  });

  it('count only accepted requests: a rejected (400) post uses no quota', async () => {
    const setup = limited();
    const ip = '198.51.100.8';
    ADDRESSES.add(ip);
    for (let i = 0; i < 3; i++) {
      const bad = await setup.api('POST', '/articles/bad-then-good/comments', {
        body: { name: '', email: 'not-an-email', body: '' },
        sourceIp: ip,
      });
      expect(bad.status).toBe(400);
    }
    const post = poster(setup, 'bad-then-good');
    for (let i = 0; i < 3; i++) expect((await post(ip)).status).toBe(201);
    expect((await post(ip)).status).toBe(429);
  });
});

describe('reaction writes', () => {
  let visitorSeq = 0;
  const newVisitor = () => `rate-visitor-${String(++visitorSeq).padStart(8, '0')}`;

  function voter({ api }: Limited, articleId: string) {
    const path = `/articles/${articleId}/reactions`;
    return {
      put: (ip: string, visitorId: string, reaction = 'happy', headers = {}) => {
        ADDRESSES.add(ip);
        return api('PUT', path, { body: { visitorId, reaction }, sourceIp: ip, headers });
      },
      withdraw: (ip: string, visitorId: string) => {
        ADDRESSES.add(ip);
        return api('DELETE', path, { query: { visitorId }, sourceIp: ip });
      },
      read: (visitorId: string) => api('GET', path, { query: { visitorId } }),
    };
  }

  it('default to 30 a minute per client: the 30th is accepted, the 31st refused, changing nothing', async () => {
    expect(DEFAULT_RATE_LIMITS.reactionsPerMinute).toBe(30);
    const setup = limited();
    const votes = voter(setup, 'reaction-minute');
    const ip = '198.51.100.20';
    for (let i = 0; i < 30; i++) expect((await votes.put(ip, newVisitor())).status).toBe(200);

    setup.clock.set(FUTURE_HOUR + 40 * SECOND);
    const late = newVisitor();
    const before = await table.scanAll();
    expectRateLimited(await votes.put(ip, late), 20);
    expect(await table.scanAll()).toEqual(before);
    expect((await votes.read(late)).json).toMatchObject({ total: 30, mine: null });

    // Another client votes; the refused one may again in the next minute.
    expect((await votes.put('198.51.100.21', newVisitor())).status).toBe(200);
    setup.clock.set(FUTURE_HOUR + MINUTE);
    expect((await votes.put(ip, late)).status).toBe(200);
    expect((await votes.read(late)).json).toMatchObject({ total: 32, mine: 'happy' });
  });

  describe('with configured limits of 3 a minute and 5 an hour', () => {
    const limits = { reactionsPerMinute: 3, reactionsPerHour: 5 };

    it('counts switches and withdrawals as writes, and refuses the 4th in a minute', async () => {
      const setup = limited(limits);
      const votes = voter(setup, 'reaction-switch');
      const ip = '198.51.100.22';
      const visitor = newVisitor();
      expect((await votes.put(ip, visitor, 'happy')).status).toBe(200);
      expect((await votes.put(ip, visitor, 'silly')).status).toBe(200);
      expect((await votes.withdraw(ip, visitor)).status).toBe(200);
      const before = await table.scanAll();
      expectRateLimited(await votes.put(ip, visitor, 'excited'), 55);
      expect(await table.scanAll()).toEqual(before);
      expect((await votes.read(visitor)).json).toMatchObject({ total: 0, mine: null });
    });

    it('refuses a withdrawal at the limit, keeping the vote and its count', async () => {
      const setup = limited(limits);
      const votes = voter(setup, 'reaction-withdraw');
      const ip = '198.51.100.23';
      const visitor = newVisitor();
      for (const reaction of ['happy', 'silly', 'in-love']) {
        expect((await votes.put(ip, visitor, reaction)).status).toBe(200);
      }
      const before = await table.scanAll();
      expectRateLimited(await votes.withdraw(ip, visitor), 55);
      expect(await table.scanAll()).toEqual(before);
      expect((await votes.read(visitor)).json).toMatchObject({ total: 1, mine: 'in-love' });
    });

    it('gives no extra quota for a spoofed X-Forwarded-For header, and leaves others alone', async () => {
      const setup = limited(limits);
      const votes = voter(setup, 'reaction-spoof');
      const ip = '198.51.100.24';
      for (let i = 0; i < 3; i++) {
        const spoofed = { 'x-forwarded-for': `203.0.113.${50 + i}` };
        ADDRESSES.add(spoofed['x-forwarded-for']);
        expect((await votes.put(ip, newVisitor(), 'happy', spoofed)).status).toBe(200);
      }
      ADDRESSES.add('203.0.113.60');
      const before = await table.scanAll();
      expectRateLimited(
        await votes.put(ip, newVisitor(), 'happy', { 'x-forwarded-for': '203.0.113.60' }),
        55,
      );
      expect(await table.scanAll()).toEqual(before);
      expect((await votes.put('198.51.100.25', newVisitor())).status).toBe(200);
    });

    it('allows 5 an hour: the 5th is accepted, the 6th refused until the hour ends', async () => {
      const setup = limited(limits);
      const votes = voter(setup, 'reaction-hour');
      const ip = '198.51.100.26';
      for (let i = 0; i < 3; i++) expect((await votes.put(ip, newVisitor())).status).toBe(200);
      setup.clock.set(FUTURE_HOUR + 10 * MINUTE);
      for (let i = 0; i < 2; i++) expect((await votes.put(ip, newVisitor())).status).toBe(200);
      expect(await windowCount(setup.runtime, ip, 'reaction', 'hour', FUTURE_HOUR)).toBe(5);

      const before = await table.scanAll();
      expectRateLimited(await votes.put(ip, newVisitor()), 50 * 60);
      expect(await table.scanAll()).toEqual(before);
      setup.clock.set(FUTURE_HOUR + 60 * MINUTE);
      expect((await votes.put(ip, newVisitor())).status).toBe(200);
    });
  });
});

describe('the table', () => {
  it('never holds a raw source IP or forwarded address, only keyed hashes of clients', async () => {
    const raw = JSON.stringify(await table.scanAll());
    expect(ADDRESSES.size).toBeGreaterThan(15);
    for (const address of ADDRESSES) expect(raw).not.toContain(address);
    // The windows are there, under keyed hashes: the scan above looked at real data.
    expect(raw).toContain(`CLIENT#${clientHash(table.runtime().hasher, '198.51.100.1')}`);
  });
});
