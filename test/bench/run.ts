/**
 * `npm run bench`: every benchmark of issue 6, one after another (they would disturb each
 * other's timings if run together), a table per section on stdout, and the same figures with
 * the machine described in test-output/bench/results.json. `npm run bench -- widget` (or any
 * of the sections' keys in SECTIONS) runs only those, into results-<keys>.json.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { coldStart } from './cold-start';
import { coralImportLoad } from './coral-import-load';
import { edgeCost } from './edge-cost';
import { gateCost } from './gate-cost';
import { withHandlerEnv } from './handler-env';
import { handlerOverhead } from './handler-overhead';
import { importLoad } from './import-load';
import { localLoad } from './local-load';
import { memorySizing } from './memory';
import { readerCost } from './reader-cost';
import { type BenchResult, describeMachine, formatTable, writeResults } from './results';
import { screenCost } from './screen-cost';
import { widgetBench } from './widget';

const OUTPUT_DIR = join(__dirname, '..', '..', 'test-output', 'bench');

/** Each section's key on the command line. */
const SECTIONS = [
  'cold-start',
  'memory',
  'handler',
  'readers',
  'gate',
  'screen',
  'dynamodb',
  'top',
  'edge',
  'load',
  'import',
  'widget',
] as const;
type Section = (typeof SECTIONS)[number];

/** The sections named on the command line, or every one. */
function chosenSections(args: readonly string[]): Set<Section> {
  const unknown = args.filter((arg) => !(SECTIONS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    throw new Error(`unknown section ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
  }
  return new Set((args.length > 0 ? args : SECTIONS) as Section[]);
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The figures marked noisy, per section, leaving out those that are noisy by nature. */
function noisySummary(results: readonly BenchResult[]): string[] {
  const always = (row: BenchResult) => row.group === 'load' || row.name.endsWith(' import');
  const lines: string[] = [];
  for (const group of new Set(results.map((row) => row.group))) {
    const names = results
      .filter((row) => row.group === group && row.noisy && !always(row))
      .map((row) => row.name);
    if (names.length > 0) lines.push(`  ${group}: ${names.join(', ')}`);
  }
  return lines.length > 0 ? lines : ['  none'];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const chosen = chosenSections(args);
  const output = join(
    OUTPUT_DIR,
    args.length > 0 ? `results-${args.join('-')}.json` : 'results.json',
  );
  const started = performance.now();
  const machine = describeMachine();
  const loadBefore = loadavg()[0] ?? 0;
  log(
    `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${loadBefore.toFixed(2)}`,
  );
  const results: BenchResult[] = [];
  const phaseSeconds: Record<string, number> = {};
  const phase = async (
    key: Section,
    name: string,
    run: (log: (line: string) => void) => Promise<BenchResult[]>,
  ) => {
    if (!chosen.has(key)) return;
    const phaseStarted = performance.now();
    log(`== ${name}`);
    results.push(...(await run((line) => log(`  ${line}`))));
    phaseSeconds[name] = (performance.now() - phaseStarted) / 1000;
    log(`   ${name} took ${phaseSeconds[name]?.toFixed(1)} s`);
  };
  await phase('cold-start', 'cold start', coldStart);
  await phase('memory', 'memory size', memorySizing);
  await phase('handler', 'handler overhead', handlerOverhead);
  await phase(
    'readers',
    'signed-in readers: a verified comment, and the create function with jose',
    readerCost,
  );
  await phase(
    'gate',
    "the create path's gate: the commenter's record, read units and CPU before and after",
    gateCost,
  );
  await phase('screen', 'screen: house rules with 1,000 phrases', screenCost);
  if (chosen.has('dynamodb')) {
    // The API it drives imports every handler module, which reads its configuration at import.
    const { dynamodbCost } = await withHandlerEnv(() => import('./dynamodb-cost'));
    await phase('dynamodb', 'DynamoDB cost per API call', dynamodbCost);
  }
  if (chosen.has('top')) {
    const { topOrderCost } = await withHandlerEnv(() => import('./top-order'));
    await phase('top', 'the Top order against the oldest, 2,000 comments', topOrderCost);
  }
  // After the DynamoDB phase, whose measured capacity it prices.
  await phase('edge', 'cost per million views and reactions, through the CDN', (line) =>
    edgeCost(line, results),
  );
  await phase('load', 'local end-to-end load', localLoad);
  await phase(
    'import',
    'import 100,000 WordPress comments, and a dry run of a 500 MB export',
    importLoad,
  );
  await phase(
    'import',
    'import 100,000 Coral comments, and a dry run of a 500 MB Coral export',
    coralImportLoad,
  );
  await phase('widget', "the widget's bytes, and its first view in Chromium", widgetBench);

  const durationSeconds = (performance.now() - started) / 1000;
  const report = {
    machine: { ...machine, loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 } },
    durationSeconds,
    phaseSeconds,
    results,
  };
  writeResults(output, report);
  process.stdout.write(`${formatTable(results)}\n\n`);
  const missed = results.filter((row) => row.met === false).map((row) => row.name);
  process.stdout.write(
    [
      `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}, ${machine.date}`,
      `JSON.stringify fast path: ${machine.jsonFastPath} (TALKBACK_JSON_FAST_PATH; see docs/operations.md, "JSON fast path").`,
      `Load average (1 min): ${loadBefore.toFixed(2)} before, ${report.machine.loadAverage.after.toFixed(2)} after; above ${machine.cpus} means other work shared the cores and timings are inflated.`,
      `Targets met: ${results.filter((row) => row.met === true).length}, missed: ${missed.length}${missed.length ? ` (${missed.join('; ')})` : ''}.`,
      'Noisy figures (compare ratios, not absolutes): every import time and every load-test figure swings from run to run on a shared 2-core machine; beyond those, these had samples more than 10% apart this run:',
      ...noisySummary(results),
      `Took ${durationSeconds.toFixed(0)} s. Results: ${output}`,
    ].join('\n'),
  );
  process.stdout.write('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
