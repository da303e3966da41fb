/**
 * Memory size: each function bundled exactly as the CDK bundles it (cold-start.ts), imported in a
 * fresh Node process with V8's heap limited as Lambda's runtime limits it at the configured size,
 * which then serves a few hundred of its route's requests (handler-overhead.ts's scenarios)
 * through the bundle's own SDK, DynamoDB being answered by a stub HTTP server in this process
 * (handler-overhead.ts's answers). The functions that are not routes serve full batches instead
 * (the tally's and the mail dispatcher's of the stream, the mail sender's of its queue), their
 * SQS and SES calls answered by the same server. Per function:
 * peak RSS and V8 heap after the import and after the requests, the CPU time of the import, of
 * the first request and of the warm ones. memory-model.ts turns those into Lambda's durations and
 * cost at each size and picks the size.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LINK_SECRET_ARN_ENV,
  MAIL_QUEUE_URL_ENV,
  SECRET_ARN_ENV,
  WEBHOOK_QUEUE_URL_ENV,
} from '../../lambda/env';
import { ROUTES } from '../../lambda/routes';
import { FUNCTION_MEMORY_MB } from '../../lib/talkback-function';
import { type Bundle, bundle, FLOOR_ENTRY, FUNCTION_ENV, HANDLERS_DIR } from './cold-start';
import { TALLY_ARTICLES } from './function-events';
import { BENCH_ENDPOINT_ORIGIN } from './handler-env';
import {
  type Answer,
  answerProblem,
  fromWire,
  type Operation,
  type Scenario,
  sqsAnswer,
  stubbedRoutes,
  toWire,
} from './handler-overhead';
import {
  chooseMemorySize,
  type FunctionMeasurement,
  LAMBDA_PRICE,
  lambdaHeapFlags,
  MB_PER_VCPU,
  SIZING_RULE,
  type SizeModel,
} from './memory-model';
import { type BenchResult, median, result } from './results';

const GROUP = 'memory';
const FLOOR = 'floor (document client only)';
/**
 * Warm requests per function after the first, timed in blocks: the first blocks run while V8 is
 * still compiling the hot paths, so the figure is the median block's, not the fastest.
 */
const REQUESTS = 240;
const BLOCKS = 6;
/**
 * Fresh processes that only import each bundle, besides the one that serves: the import's CPU
 * time is the median of them all, steadier than one process's on a shared machine.
 */
const IMPORT_ONLY_RUNS = 2;
/**
 * Full batches for each function that is not a route; a stream batch is a few hundred calls to
 * DynamoDB (and, for the mail dispatcher, SQS).
 */
const BATCHES = 6;
/** What one batch of each is, for the table. */
const BATCH_UNITS: Record<string, string> = {
  'tally-reactions': `batches of votes on ${TALLY_ARTICLES} articles`,
  'mail-dispatch': 'batches of new replies (two mails queued for each)',
  'mail-send': 'batches of mail jobs (nine mails, one digest)',
  'webhook-dispatch': 'batches of new replies (two deliveries queued for each)',
  'webhook-send': 'batches of webhook deliveries (five signed POSTs)',
};

/**
 * Runs in the fresh process. argv: the bundle, then optionally a JSON file with the event to
 * serve, how many times after the first, in how many blocks. Memory in MB; maxRSS is the
 * process's peak so far. The handlers' log lines go to stdout, as on Lambda; the figures to fd 3.
 */
const SERVE_SCRIPT = `
import { readFileSync, writeSync } from 'node:fs';
const [file, eventFile, count, blocks] = process.argv.slice(1);
const cpuMs = () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000; };
const memory = () => {
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20, peakRssMb: process.resourceUsage().maxRSS / 1024 };
};
const bare = memory();
let started = cpuMs();
const { handler } = await import(file);
const figures = { bare, importCpuMs: cpuMs() - started, imported: memory() };
if (eventFile) {
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  started = cpuMs();
  const first = await handler(event, { awsRequestId: 'memory-0' });
  figures.firstRequestCpuMs = cpuMs() - started;
  figures.answer = first ?? null;
  const perBlock = Math.floor(Number(count) / Number(blocks));
  figures.requestCpuUs = [];
  for (let block = 0; block < Number(blocks); block++) {
    started = cpuMs();
    for (let i = 0; i < perBlock; i++) await handler(event, { awsRequestId: 'memory-' + block + '-' + i });
    figures.requestCpuUs.push(((cpuMs() - started) * 1000) / perBlock);
  }
  figures.served = memory();
}
writeSync(3, JSON.stringify(figures));
`;

interface Memory {
  rssMb: number;
  heapMb: number;
  peakRssMb: number;
}

interface Figures {
  bare: Memory;
  importCpuMs: number;
  imported: Memory;
  firstRequestCpuMs?: number;
  /** The first answer: a route's response, a queue consumer's failed messages, or nothing. */
  answer?: unknown;
  /** CPU time per request, block by block. */
  requestCpuUs?: number[];
  served?: Memory;
}

/** What a function is sent: its route's request, or a full batch for a function that is not one. */
interface Workload {
  event: unknown;
  /** The status the first answer must have; null for a function that is not a route. */
  status: number | null;
  /** Times it is served after the first. */
  count: number;
  /** What one of `count` is, for the table. */
  unit: string;
  visitorWaits: boolean;
}

/** Each handler module's workload, by bundle name. */
function workloads(
  scenarios: Record<string, Scenario>,
  functions: Record<string, Scenario>,
): Map<string, Workload> {
  const routes = [
    ...ROUTES.map((route) => ({
      id: route.id,
      module: route.handler,
      visitorWaits: route.auth === 'public',
    })),
    { id: 'Fallback', module: 'fallback', visitorWaits: true },
  ];
  const byModule = new Map<string, Workload>();
  for (const route of routes) {
    const scenario = scenarios[route.id];
    if (!scenario) throw new Error(`memory benchmark: no scenario for route ${route.id}`);
    byModule.set(route.module, {
      event: scenario.event,
      status: scenario.status,
      count: REQUESTS,
      unit: route.visitorWaits ? 'requests' : "operators' requests",
      visitorWaits: route.visitorWaits,
    });
  }
  for (const [module, scenario] of Object.entries(functions)) {
    byModule.set(module, {
      event: scenario.event,
      status: null,
      count: BATCHES,
      unit: BATCH_UNITS[module] ?? 'batches',
      visitorWaits: false,
    });
  }
  return byModule;
}

type Service = 'DynamoDB' | 'SQS' | 'SES' | 'Webhook';

/**
 * DynamoDB's JSON protocol on 127.0.0.1, answered from the stub, and the mail functions' SQS
 * (SendMessageBatch, every entry taken) and SES v2 (SendEmail, every message taken); counts the
 * calls to each.
 */
async function stubAws(answer: Answer) {
  const calls: Record<Service, number> = { DynamoDB: 0, SQS: 0, SES: 0, Webhook: 0 };
  const reply = (response: ServerResponse, type: string, body: unknown) => {
    response.writeHead(200, { 'content-type': type });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const [service, action] = String(request.headers['x-amz-target']).split('.');
      if (service === 'AmazonSQS' && action === 'SendMessageBatch') {
        calls.SQS++;
        reply(response, 'application/x-amz-json-1.0', sqsAnswer(body));
      } else if (request.url === '/hook' || request.url === '/slack') {
        // The webhook and Slack endpoints (handler-env.ts BENCH_HOOK_SETTINGS): taken.
        calls.Webhook++;
        reply(response, 'application/json', { ok: true });
      } else if (request.url?.startsWith('/v2/email/outbound-emails')) {
        calls.SES++;
        reply(response, 'application/json', { MessageId: `bench-message-${calls.SES}` });
      } else {
        calls.DynamoDB++;
        const operation = action as Operation;
        const input = fromWire(operation, JSON.parse(body || '{}'));
        reply(response, 'application/x-amz-json-1.0', toWire(answer(operation, input)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: () => ({ ...calls }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Imports the bundle in a fresh process and, given work, serves it. */
function serve(
  file: string,
  env: NodeJS.ProcessEnv,
  work?: { eventFile: string; count: number },
): Promise<{ figures: Figures; stderr: string }> {
  const args = ['--input-type=module', '-e', SERVE_SCRIPT, pathToFileURL(file).href];
  if (work) args.push(work.eventFile, String(work.count), String(Math.min(BLOCKS, work.count)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stderr = '';
    let out = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`memory benchmark: ${file} exited ${code}: ${stderr}`));
      else resolve({ figures: JSON.parse(out) as Figures, stderr });
    });
  });
}

const oneDecimal = (value: number) => value.toFixed(1);
const duration = (us: number) =>
  us >= 10_000 ? `${(us / 1000).toFixed(0)} ms` : `${us.toFixed(0)} µs`;

function modelRow(model: SizeModel, chosenMb: number | null): BenchResult {
  const { worst } = model;
  const billed = model.functions.filter((fn) => fn.visitorWaits).map((fn) => fn.billedMs);
  const verdict =
    model.misses.length > 0
      ? `misses: ${model.misses.join('; ')}`
      : model.memoryMb === chosenMb
        ? 'fits: chosen'
        : 'fits';
  return result({
    group: GROUP,
    name: `model at ${model.memoryMb} MB`,
    value: worst.coldStart.coldStartMs,
    unit: 'ms cold start',
    note: [
      `${(model.memoryMb / MB_PER_VCPU).toFixed(3)} vCPU`,
      `peak RSS + runtime ${Math.round(worst.memory.memoryShare * 100)}% (${worst.memory.name})`,
      `slowest start ${worst.coldStart.name}`,
      `slowest warm ${worst.warm.name} ${worst.warm.warmMs.toFixed(0)} ms`,
      `public routes billed ${Math.min(...billed)}-${Math.max(...billed)} ms`,
      `$${model.costPerMillion.toFixed(3)}/M requests`,
      `$${(model.coldStartCost * 1e6).toFixed(2)}/M cold starts`,
      verdict,
    ].join('; '),
    detail: { ...model },
  });
}

export async function memorySizing(log: (line: string) => void): Promise<BenchResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'talkback-memory-'));
  const stub = await stubbedRoutes();
  const aws = await stubAws(stub.answer);
  try {
    const byModule = workloads(stub.scenarios, stub.functions);
    const entries = readdirSync(HANDLERS_DIR)
      .filter((file) => file.endsWith('.ts'))
      .sort();
    log(`bundling ${entries.length} functions and the floor`);
    const floor = await bundle(FLOOR_ENTRY, outdir, 'floor');
    const bundles: (Bundle & Workload & { eventFile: string })[] = [];
    for (const entry of entries) {
      const name = basename(entry, '.ts');
      const workload = byModule.get(name);
      if (!workload) throw new Error(`memory benchmark: no workload for ${name}`);
      const eventFile = join(outdir, `${name}.event.json`);
      writeFileSync(eventFile, JSON.stringify(workload.event));
      const built = await bundle(join(HANDLERS_DIR, entry), outdir, name);
      bundles.push({ ...built, ...workload, eventFile });
    }

    // The stubbed answers were signed with the stub's own secrets, so the functions take them from
    // their environment here instead of asking Secrets Manager for them.
    const {
      [SECRET_ARN_ENV]: _arn,
      [LINK_SECRET_ARN_ENV]: _linkArn,
      ...functionEnv
    } = FUNCTION_ENV;
    const env: NodeJS.ProcessEnv = {
      ...functionEnv,
      NODE_OPTIONS: [FUNCTION_ENV.NODE_OPTIONS, ...lambdaHeapFlags(FUNCTION_MEMORY_MB)].join(' '),
      ...stub.env,
      DYNAMODB_ENDPOINT: aws.endpoint,
      // The SDK's own setting for the SES client's address. The SQS client sends to the queue's
      // own URL (the SDK's default), so the queue is named at the stub.
      AWS_ENDPOINT_URL_SESV2: aws.endpoint,
      [MAIL_QUEUE_URL_ENV]: `${aws.endpoint}${new URL(stub.env[MAIL_QUEUE_URL_ENV]).pathname}`,
      [WEBHOOK_QUEUE_URL_ENV]: `${aws.endpoint}${new URL(stub.env[WEBHOOK_QUEUE_URL_ENV]).pathname}`,
      // The webhook and Slack endpoints at the stub too.
      TALKBACK_SETTINGS: stub.env.TALKBACK_SETTINGS.replaceAll(BENCH_ENDPOINT_ORIGIN, aws.endpoint),
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
    };
    log(
      `importing each bundle in a fresh process with V8 limited as on Lambda at ` +
        `${FUNCTION_MEMORY_MB} MB, then serving ${REQUESTS} requests (the functions that are not routes ${BATCHES} batches)`,
    );
    const floorFigures = (await serve(floor.file, env)).figures;
    const measured: {
      item: (typeof bundles)[number];
      figures: Figures;
      importCpuMs: number;
      /** Calls to each service per request or batch. */
      calls: Record<Service, number>;
    }[] = [];
    for (const item of bundles) {
      const imports: number[] = [];
      for (let run = 0; run < IMPORT_ONLY_RUNS; run++) {
        imports.push((await serve(item.file, env)).figures.importCpuMs);
      }
      const before = aws.calls();
      const { figures, stderr } = await serve(item.file, env, item);
      const problem = answerProblem(figures.answer, item.status);
      if (problem) throw new Error(`memory benchmark: ${item.name} ${problem}: ${stderr}`);
      const after = aws.calls();
      const perCall = (service: Service) => (after[service] - before[service]) / (item.count + 1);
      measured.push({
        item,
        figures,
        importCpuMs: median([...imports, figures.importCpuMs]),
        calls: {
          DynamoDB: perCall('DynamoDB'),
          SQS: perCall('SQS'),
          SES: perCall('SES'),
          Webhook: perCall('Webhook'),
        },
      });
    }

    const floorRss = floorFigures.imported.peakRssMb;
    const rows: BenchResult[] = [
      result({
        group: GROUP,
        name: 'bare Node process',
        value: floorFigures.bare.peakRssMb,
        unit: 'MB peak RSS',
        note: `heap ${oneDecimal(floorFigures.bare.heapMb)} MB`,
      }),
      result({
        group: GROUP,
        name: `${FLOOR} import`,
        value: floorRss,
        unit: 'MB peak RSS',
        note: `heap ${oneDecimal(floorFigures.imported.heapMb)} MB; CPU ${floorFigures.importCpuMs.toFixed(0)} ms`,
      }),
    ];
    const measurements: FunctionMeasurement[] = [];
    for (const { item, figures, importCpuMs, calls } of measured) {
      const blocks = figures.requestCpuUs ?? [];
      const served = figures.served ?? figures.imported;
      const measurement: FunctionMeasurement = {
        name: item.name,
        peakRssMb: served.peakRssMb,
        importCpuMs,
        firstRequestCpuMs: figures.firstRequestCpuMs ?? 0,
        requestCpuUs: median(blocks),
        dynamodbCalls: calls.DynamoDB,
        visitorWaits: item.visitorWaits,
      };
      measurements.push(measurement);
      const [firstBlock = 0] = blocks;
      const lastBlock = blocks.at(-1) ?? 0;
      rows.push(
        result({
          group: GROUP,
          name: item.name,
          value: measurement.peakRssMb,
          unit: 'MB peak RSS',
          floor: floorRss,
          note: [
            `after import ${figures.imported.peakRssMb.toFixed(0)} MB`,
            `heap ${oneDecimal(figures.imported.heapMb)} -> ${oneDecimal(served.heapMb)} MB after ${item.count} ${item.unit}`,
            `CPU: import ${measurement.importCpuMs.toFixed(0)} ms (median of ${IMPORT_ONLY_RUNS + 1}), first ${oneDecimal(measurement.firstRequestCpuMs)} ms, ` +
              `then ${duration(measurement.requestCpuUs)} each (${duration(firstBlock)} in the first block, ${duration(lastBlock)} in the last)`,
            `${Object.entries(calls)
              .filter(([service, count]) => service === 'DynamoDB' || count > 0)
              .map(([service, count]) => `${oneDecimal(count)} ${service} calls`)
              .join(', ')} each`,
          ].join('; '),
          detail: { ...measurement, figures },
        }),
      );
    }

    const { chosenMb, models } = chooseMemorySize(measurements);
    rows.push(...models.map((model) => modelRow(model, chosenMb)));
    rows.push(
      result({
        group: GROUP,
        name: 'chosen memory size',
        value: chosenMb ?? Number.NaN,
        unit: 'MB',
        target: `= FUNCTION_MEMORY_MB (${FUNCTION_MEMORY_MB})`,
        met: chosenMb === FUNCTION_MEMORY_MB,
        note:
          `the smallest size where every function's peak RSS + ${SIZING_RULE.runtimeAllowanceMb} MB ` +
          `<= ${SIZING_RULE.maxMemoryShare * 100}% and every public route starts in <= ` +
          `${SIZING_RULE.maxColdStartMs} ms and answers warm in <= ${SIZING_RULE.maxWarmMs} ms; ` +
          `CPU scaled by memory / ${MB_PER_VCPU} MB; DynamoDB taken as ${SIZING_RULE.dynamodbCallMs} ms a call; ` +
          `${LAMBDA_PRICE.source}`,
      }),
    );
    return rows;
  } finally {
    await aws.close();
    rmSync(outdir, { recursive: true, force: true });
  }
}
