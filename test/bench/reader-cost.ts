/**
 * What a signed-in reader's comment costs the create function (issue 26, "Measured"): the CPU of
 * one request with a `reader` token, as a ratio to a guest's comment measured in the same run,
 * and the function's cold-start import with readers configured, next to the SDK floor.
 *
 * The create function is bundled as the CDK bundles it and called in-process through the real
 * SDK, whose DynamoDB answers come from memory (handler-overhead.ts cannedHttpClient). The
 * issuers' key set is served on 127.0.0.1 and fetched once, before anything is timed: every
 * figure is "with a cached JWKS key". CPU is the process's (process.cpuUsage), so Web Crypto's
 * work on libuv's threads counts too.
 *
 * Rows:
 * - a new token on each request, for each algorithm: what the first write of a page view costs
 *   (more tokens than the instance remembers, taken in turn, so none is found remembered);
 * - the same token again: a reader's second write from the same page (the token is remembered,
 *   lambda/readers/verified-readers.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseSettings } from '../../lambda/domain/settings';
import { VERIFIED_READERS_MAX } from '../../lambda/readers/verified-readers';
import { screeningDefines } from '../../lib/talkback-api';
import { testSettings } from '../support/dynamodb';
import { httpEvent } from '../support/events';
import {
  hs256Token,
  type KeyAlgorithm,
  KeySetServer,
  keyToken,
  readerSettings,
  signingKey,
} from '../support/reader-issuer';
import { bundle, FLOOR_ENTRY, FUNCTION_ENV, HANDLERS_DIR, importTime } from './cold-start';
import { BENCH_SECRET, MAIL_ENV } from './handler-env';
import { bundleHandlers, cannedHttpClient, type Invoke } from './handler-overhead';
import { type BenchResult, median, result } from './results';

/** The targets: a verified write's CPU, and the create function's import. */
const CPU_TARGET = 1.15;
const IMPORT_TARGET = 1.2;
const ROUNDS = 7;
const REQUESTS_PER_ROUND = 200;
const IMPORT_RUNS = 11;
/** More tokens than the instance remembers, so that taking them in turn never finds one kept. */
const FRESH_TOKENS = VERIFIED_READERS_MAX + 200;

const ARTICLE = 'the-lighthouse-keepers-last-winter';
const BODY =
  'Thank you for this piece. My grandfather kept the light at Hartland Point for eleven winters ' +
  'and he always said the hardest part was not the weather but the quiet.';

export interface ReaderScenario {
  name: string;
  /** The events taken in turn, one per request. */
  events: unknown[];
  /** Whether its writes are a reader's (author.verified). */
  verified: boolean;
}

const post = (body: Record<string, unknown>) =>
  JSON.parse(
    JSON.stringify(
      httpEvent('POST', `/articles/${ARTICLE}/comments`, {
        pathParameters: { articleId: ARTICLE },
        body,
      }),
    ),
  ) as unknown;

/**
 * The deployment's settings with both kinds of issuer (an HS256 secret, a JWKS on `jwksUrl`),
 * and the requests: a guest's, and a reader's with each algorithm, new tokens or one repeated.
 */
export async function readerScenarios(jwksUrl: string, keySet: KeySetServer, now = Date.now()) {
  const settings = testSettings({ readers: readerSettings(jwksUrl) });
  const keys = await Promise.all(
    (['ES256', 'RS256', 'EdDSA'] as KeyAlgorithm[]).map((alg) => signingKey(alg)),
  );
  keySet.keys = keys.map((key) => key.publicJwk);
  const fresh = async (mint: (index: number) => Promise<string>) =>
    (await Promise.all(Array.from({ length: FRESH_TOKENS }, (_, index) => mint(index)))).map(
      (reader) => post({ reader, body: BODY }),
    );
  const claims = (index: number) => ({
    claims: { sub: `reader-${index}`, badges: ['subscriber'] },
  });
  const scenarios: ReaderScenario[] = [
    {
      name: 'guest',
      events: [
        post({ name: 'Ada', email: 'ada@example.com', website: 'https://ada.example', body: BODY }),
      ],
      verified: false,
    },
    {
      name: 'HS256, a new token each time',
      events: await fresh((i) => hs256Token(now, claims(i))),
      verified: true,
    },
  ];
  for (const key of keys) {
    scenarios.push({
      name: `${key.alg} (key set cached), a new token each time`,
      events: await fresh((i) => keyToken(now, key, claims(i))),
      verified: true,
    });
  }
  const es256 = keys[0];
  if (es256 === undefined) throw new Error('reader bench: no ES256 key');
  scenarios.push(
    {
      name: 'HS256, the same token again',
      events: [post({ reader: await hs256Token(now, claims(0)), body: BODY })],
      verified: true,
    },
    {
      name: 'ES256 (key set cached), the same token again',
      events: [post({ reader: await keyToken(now, es256, claims(0)), body: BODY })],
      verified: true,
    },
  );
  return { settings, scenarios };
}

/** What is wrong with a scenario's first answer, if anything: not a 201, or not as its author. */
export function readerAnswerProblem(answer: unknown, scenario: ReaderScenario): string | undefined {
  const { statusCode, body } = (answer ?? {}) as { statusCode?: number; body?: string };
  if (statusCode !== 201) return `answered ${statusCode}: ${body}`;
  const verified = (JSON.parse(body ?? '{}') as { comment?: { author?: { verified?: boolean } } })
    .comment?.author?.verified;
  return verified === scenario.verified ? undefined : `author.verified is ${verified}`;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU µs per request over `count` requests, the events taken in turn from where `turn` is. */
async function cpuPerRequest(
  handler: Invoke,
  scenario: ReaderScenario,
  turn: { at: number },
  count: number,
): Promise<number> {
  const started = cpuMicros();
  for (let i = 0; i < count; i++) {
    const event = scenario.events[turn.at++ % scenario.events.length];
    await handler(event, { awsRequestId: 'bench' });
  }
  return (cpuMicros() - started) / count;
}

function envFor(settings: string): NodeJS.ProcessEnv {
  return {
    TABLE_NAME: 'talkback-bench',
    TALKBACK_SECRET: BENCH_SECRET,
    AWS_REGION: 'eu-west-1',
    TALKBACK_SETTINGS: settings,
    ...MAIL_ENV,
  };
}

async function handlerOn(settings: string, client: DynamoDBDocumentClient): Promise<Invoke> {
  const bundled = (await bundleHandlers(['create-comment'])).get('create-comment');
  if (!bundled?.createHandler) throw new Error('reader bench: no create-comment bundle');
  bundled.setLogSink(() => {});
  bundled.setMetricsSink(() => {});
  return bundled.createHandler(bundled.loadRuntime(envFor(settings), { client }));
}

/**
 * The create function's import, against the floor's, in turn, bundled as the stack bundles it
 * for each deployment: with a key-set issuer configured (jose in the bundle), and for one whose
 * issuers all sign with a shared secret (the stack's define leaves jose out: lib/talkback-api.ts).
 */
async function importRows(settings: string, log: (line: string) => void): Promise<BenchResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'talkback-reader-bench-'));
  try {
    const entry = join(HANDLERS_DIR, 'create-comment.ts');
    const sharedSettings = JSON.stringify({
      ...JSON.parse(settings),
      readers: { issuers: [readerSettings('https://unused.example').issuers[0]] },
    });
    // Bundled with the defines the stack gives each deployment (lib/talkback-api.ts).
    const defines = (json: string) => screeningDefines(parseSettings(JSON.parse(json)));
    const variants = [
      {
        name: 'create-comment import, a key-set issuer (jose)',
        bundle: await bundle(entry, outdir, 'with-key-set', defines(settings)),
      },
      {
        name: 'create-comment import, shared-secret issuers only (no jose)',
        bundle: await bundle(entry, outdir, 'shared-secret', defines(sharedSettings)),
      },
    ];
    const floor = await bundle(FLOOR_ENTRY, outdir, 'floor');
    const env = { ...FUNCTION_ENV, TALKBACK_SETTINGS: settings };
    const sharedOnly = { ...env, TALKBACK_SETTINGS: sharedSettings };
    const floorMs: number[] = [];
    const floorCpuMs: number[] = [];
    const times = variants.map(() => ({ wallMs: [] as number[], cpuMs: [] as number[] }));
    log(`importing the create function twice over and the floor, ${IMPORT_RUNS} times each`);
    for (let run = 0; run < IMPORT_RUNS; run++) {
      const floorTime = await importTime(floor.file, env);
      floorMs.push(floorTime.wallMs);
      floorCpuMs.push(floorTime.cpuMs);
      for (const [index, variant] of variants.entries()) {
        const time = await importTime(variant.bundle.file, index === 0 ? env : sharedOnly);
        times[index]?.wallMs.push(time.wallMs);
        times[index]?.cpuMs.push(time.cpuMs);
      }
    }
    const floorMedian = median(floorMs);
    const floorCpu = median(floorCpuMs);
    return variants.map((variant, index) => {
      const { wallMs, cpuMs } = times[index] as { wallMs: number[]; cpuMs: number[] };
      const ms = median(wallMs);
      return result({
        group: 'readers',
        name: variant.name,
        value: ms,
        unit: 'ms',
        floor: floorMedian,
        target: `<= ${IMPORT_TARGET}x floor`,
        met: ms <= floorMedian * IMPORT_TARGET,
        samples: wallMs,
        noisy: true,
        note: `CPU ${median(cpuMs).toFixed(0)} ms, ${(median(cpuMs) / floorCpu).toFixed(2)}x floor's; ${(variant.bundle.bytes / 1024).toFixed(0)} KB, floor ${(floor.bytes / 1024).toFixed(0)} KB`,
        detail: { wallMs, cpuMs, floorMs, floorCpuMs },
      });
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function readerCost(log: (line: string) => void): Promise<BenchResult[]> {
  const keySet = new KeySetServer();
  const jwksUrl = await keySet.start();
  try {
    log(`minting ${FRESH_TOKENS} tokens per algorithm`);
    const { settings, scenarios } = await readerScenarios(jwksUrl, keySet);
    const client = cannedHttpClient(() => ({}));
    const handler = await handlerOn(settings, client);
    const turns = scenarios.map(() => ({ at: 0 }));
    // The first answers: each scenario writes as it should (this also fetches the key set).
    for (const scenario of scenarios) {
      const problem = readerAnswerProblem(
        await handler(scenario.events[0], { awsRequestId: 'bench' }),
        scenario,
      );
      if (problem) throw new Error(`reader bench: ${scenario.name} ${problem}`);
    }
    log(`${ROUNDS} rounds of ${REQUESTS_PER_ROUND} requests per scenario, in turn`);
    const samples = scenarios.map((): number[] => []);
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [index, scenario] of scenarios.entries()) {
        const us = await cpuPerRequest(
          handler,
          scenario,
          turns[index] as { at: number },
          REQUESTS_PER_ROUND,
        );
        // Round 0 warms every path up and is not kept.
        if (round > 0) samples[index]?.push(us);
      }
    }
    client.destroy();
    const guest = median(samples[0] ?? []);
    const rows: BenchResult[] = [
      result({
        group: 'readers',
        name: 'guest comment + SDK, CPU',
        value: guest,
        unit: 'µs/req',
        samples: samples[0],
        note: 'the unsigned write every ratio below is to',
      }),
    ];
    for (const [index, scenario] of scenarios.entries()) {
      if (index === 0) continue;
      const us = median(samples[index] ?? []);
      rows.push(
        result({
          group: 'readers',
          name: `reader comment + SDK, CPU: ${scenario.name}`,
          value: us,
          unit: 'µs/req',
          floor: guest,
          target: `<= ${CPU_TARGET}x guest`,
          met: us <= guest * CPU_TARGET,
          samples: samples[index],
          note: `${(us - guest).toFixed(0)} µs more than a guest's`,
        }),
      );
    }
    return [...rows, ...(await importRows(settings, log))];
  } finally {
    await keySet.stop();
  }
}
