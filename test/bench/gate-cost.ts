/**
 * What the commenter's record costs the create function (issue 29, "Measured"): its read units
 * and CPU per request after the change, as a ratio to before it. "Before" is the create function
 * of GATE_BEFORE (main as the branch found it: the gate read only the article's settings, one
 * GetItem), extracted from git under test-output/ and bundled as the CDK bundles it; "after" is
 * this tree's (one BatchGetItem of the article's settings and the commenter's state).
 *
 * Both are called in-process, in turn, through the real SDK whose DynamoDB answers come from
 * memory (handler-overhead.ts cannedHttpClient): the article's stats item and, after, a normal
 * commenter's record. Read units are counted from the requests each sends, by AWS's rules for
 * items under 4 KB (the gate's projections are tens of bytes): half a unit for each item read
 * eventually consistently, one for each read strongly. CPU is the process's (process.cpuUsage).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testSettings } from '../support/dynamodb';
import { httpEvent } from '../support/events';
import { BENCH_SECRET, MAIL_ENV } from './handler-env';
import { bundleHandlers, cannedHttpClient, type Invoke, type Operation } from './handler-overhead';
import { type BenchResult, median, result } from './results';

/** The create function before the commenter's read joined the gate; TALKBACK_BENCH_GATE_BEFORE overrides. */
const GATE_BEFORE =
  process.env.TALKBACK_BENCH_GATE_BEFORE ?? 'a7a6f6527d164c70c8c324115cd836ac0f8497a2';
const CPU_TARGET = 1.15;
const ROUNDS = 7;
const REQUESTS_PER_ROUND = 200;
const ROOT = join(__dirname, '..', '..');
const TABLE = 'talkback-bench';
const ARTICLE = 'the-harbour-wall-inquiry';

type Item = Record<string, unknown>;

/** The items the stub answers reads with: the article's stats item and a commenter's record. */
function gateItem(key: Item): Item | undefined {
  if (String(key.PK).startsWith('ARTICLE#')) return { ...key, closed: false };
  if (String(key.PK).startsWith('COMMENTER#')) return { ...key, state: 'normal' };
  return undefined;
}

/** Read units by AWS's rules for items under 4 KB, from one request's input. */
function readUnits(operation: Operation, input: Item): number {
  const unit = (consistent: unknown) => (consistent === true ? 1 : 0.5);
  if (operation === 'GetItem') return unit(input.ConsistentRead);
  if (operation !== 'BatchGetItem') return 0;
  const requests = Object.values(input.RequestItems as Record<string, Item>);
  return requests.reduce(
    (sum, request) => sum + (request.Keys as unknown[]).length * unit(request.ConsistentRead),
    0,
  );
}

/** A client answering from memory that tallies the read units and reads of what it is sent. */
function meteredClient() {
  const tally = { units: 0, reads: [] as string[] };
  const client = cannedHttpClient((operation, input) => {
    tally.units += readUnits(operation, input);
    if (operation === 'GetItem' || operation === 'BatchGetItem') tally.reads.push(operation);
    if (operation === 'GetItem') {
      const Item = gateItem(input.Key as Item);
      return Item ? { Item } : {};
    }
    if (operation === 'BatchGetItem') {
      const keys = (input.RequestItems as Record<string, { Keys: Item[] }>)[TABLE]?.Keys ?? [];
      return { Responses: { [TABLE]: keys.map(gateItem).filter((item) => item !== undefined) } };
    }
    return {};
  });
  return { client, tally };
}

/** `rev`'s lambda/ (and the web/shared it imports), under test-output/ so its imports resolve. */
function extractTree(rev: string): string {
  const dir = join(ROOT, 'test-output', 'bench', `gate-before-${rev.slice(0, 12)}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', rev, 'lambda', 'web/shared'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return dir;
}

async function createFunction(root: string) {
  const bundled = (await bundleHandlers(['create-comment'], root)).get('create-comment');
  if (!bundled?.createHandler) throw new Error(`gate bench: no create-comment bundle in ${root}`);
  bundled.setLogSink(() => {});
  bundled.setMetricsSink(() => {});
  const { client, tally } = meteredClient();
  const env = {
    TABLE_NAME: TABLE,
    TALKBACK_SECRET: BENCH_SECRET,
    AWS_REGION: 'eu-west-1',
    TALKBACK_SETTINGS: testSettings(),
    ...MAIL_ENV,
  };
  const handler: Invoke = bundled.createHandler(bundled.loadRuntime(env, { client }));
  return { handler, client, tally };
}

const EVENT = JSON.parse(
  JSON.stringify(
    httpEvent('POST', `/articles/${ARTICLE}/comments`, {
      pathParameters: { articleId: ARTICLE },
      body: {
        name: 'Ada',
        email: 'ada@example.com',
        body: 'The inquiry heard from the harbour master on Tuesday; the wall was last surveyed in 2019.',
      },
    }),
  ),
) as unknown;

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function cpuPerRequest(handler: Invoke, count: number): Promise<number> {
  const started = cpuMicros();
  for (let i = 0; i < count; i++) await handler(EVENT, { awsRequestId: 'bench' });
  return (cpuMicros() - started) / count;
}

export async function gateCost(log: (line: string) => void): Promise<BenchResult[]> {
  log(`bundling the create function of ${GATE_BEFORE.slice(0, 12)} (before) and of this tree`);
  const beforeRoot = extractTree(GATE_BEFORE);
  try {
    const versions = [await createFunction(beforeRoot), await createFunction(ROOT)];
    // The first answers: both create the comment, and one request's reads are tallied.
    const reads = [] as { units: number; reads: string[] }[];
    for (const version of versions) {
      const answer = (await version.handler(EVENT, { awsRequestId: 'bench' })) as {
        statusCode?: number;
        body?: string;
      };
      if (answer.statusCode !== 201) {
        throw new Error(`gate bench: answered ${answer.statusCode}: ${answer.body}`);
      }
      reads.push({ ...version.tally, reads: [...version.tally.reads] });
    }
    log(`${ROUNDS} rounds of ${REQUESTS_PER_ROUND} requests each, before and after in turn`);
    const samples = versions.map((): number[] => []);
    for (let round = 0; round <= ROUNDS; round++) {
      for (const [index, version] of versions.entries()) {
        const us = await cpuPerRequest(version.handler, REQUESTS_PER_ROUND);
        // Round 0 warms both paths up and is not kept.
        if (round > 0) samples[index]?.push(us);
      }
    }
    for (const version of versions) version.client.destroy();
    const [before, after] = samples.map((list) => median(list)) as [number, number];
    const [readsBefore, readsAfter] = reads as [(typeof reads)[0], (typeof reads)[0]];
    return [
      result({
        group: 'gate',
        name: 'create function read units per comment, before and after',
        value: readsAfter.units,
        unit: 'RCU',
        floor: readsBefore.units,
        note: `before: ${readsBefore.reads.join(' + ')}; after: ${readsAfter.reads.join(' + ')} (the commenter's record joins the article's settings in one request)`,
      }),
      result({
        group: 'gate',
        name: 'create function CPU per comment + SDK, before and after',
        value: after,
        unit: 'µs/req',
        floor: before,
        target: `<= ${CPU_TARGET}x before`,
        met: after <= before * CPU_TARGET,
        samples: samples[1],
        note: `before ${before.toFixed(0)} µs (${GATE_BEFORE.slice(0, 12)}), after ${after.toFixed(0)} µs`,
        detail: { before: samples[0], after: samples[1] },
      }),
    ];
  } finally {
    rmSync(beforeRoot, { recursive: true, force: true });
  }
}
