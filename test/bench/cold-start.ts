/**
 * Cold start: each function bundled exactly as the CDK bundles it (lib/talkback-function.ts), for
 * the default deployment (screening by house rules: the screening functions' bundles leave the
 * Bedrock client out), its size, and the time a fresh Node process takes to import it, next to a
 * floor bundle that only creates the DynamoDB document client. The create function is also
 * bundled as a deployment screening with Guardrails has it: its Bedrock client is loaded on the
 * first comment it screens, not at import.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { DEFAULT_SETTINGS, parseSettings } from '../../lambda/domain/settings';
import {
  GUARDRAIL_ID_ENV,
  GUARDRAIL_VERSION_ENV,
  LINK_SECRET_ARN_ENV,
  SECRET_ARN_ENV,
  SETTINGS_ENV,
  TABLE_NAME_ENV,
} from '../../lambda/env';
import { ROUTES } from '../../lambda/routes';
import { screeningDefines } from '../../lib/talkback-api';
import { ESM_REQUIRE_BANNER } from '../../lib/talkback-function';
import { MAIL_ENV, WEBHOOK_ENV } from './handler-env';
import { type BenchResult, median, result } from './results';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
export const HANDLERS_DIR = join(ROOT, 'lambda', 'handlers');
export const FLOOR_ENTRY = join(__dirname, 'floor', 'document-client-floor.ts');
const FLOOR = 'floor (document client only)';

/** Fresh processes per bundle; the issue asks for the median of at least 10. */
const IMPORT_RUNS = 11;
const IMPORT_TARGET = 1.2;
const SIZE_TARGET = 1.3;

/**
 * Imports the bundle given as argv[1] and prints how long the import took: wall-clock time, and
 * the CPU time the process spent on it, which other work on a shared machine disturbs less.
 */
const IMPORT_SCRIPT = `
const cpu = process.cpuUsage();
const started = performance.now();
await import(process.argv[1]);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));
`;

export interface ImportTime {
  wallMs: number;
  cpuMs: number;
}

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The esbuild options NodejsFunction passes for TalkbackFunction's bundling props. */
export const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  target: 'node24',
  platform: 'node',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  banner: { js: ESM_REQUIRE_BANNER },
  logLevel: 'error',
} satisfies BuildOptions;

/** `define`: what the stack defines for the function (lib/talkback-api.ts), if anything. */
export async function bundle(
  entry: string,
  outdir: string,
  name: string,
  define?: Record<string, string>,
): Promise<Bundle> {
  const file = join(outdir, name.replace(/[^\w-]+/g, '-'), 'index.mjs');
  await build({ ...FUNCTION_BUILD_OPTIONS, entryPoints: [entry], outfile: file, define });
  const code = readFileSync(file);
  return { name, file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/**
 * The environment a deployed function starts with (NODE_OPTIONS as TalkbackFunction sets it):
 * the root secrets as Secrets Manager ARNs, as on AWS (they are fetched on the first request, not
 * at import, so the import pays only for loading the client), and the mail functions' settings.
 * Functions that need neither ignore them.
 */
export const FUNCTION_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-1',
  NODE_OPTIONS: '--enable-source-maps',
  [TABLE_NAME_ENV]: 'talkback-bench',
  [SECRET_ARN_ENV]: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:talkback-bench-AbCdEf',
  [LINK_SECRET_ARN_ENV]:
    'arn:aws:secretsmanager:eu-west-1:111122223333:secret:talkback-bench-links-GhIjKl',
  ...MAIL_ENV,
  ...WEBHOOK_ENV,
};

/** The screening functions, as the route table marks them. */
const SCREENING_MODULES = new Set(
  ROUTES.filter((route) => route.screens).map((route) => `${route.handler}.ts`),
);
/** Guardrails' settings and the guardrail the stack names, for the variant that screens with it. */
const GUARDRAILS_SETTINGS = parseSettings({ screening: 'guardrails' });
const GUARDRAILS_ENV = {
  [SETTINGS_ENV]: JSON.stringify(GUARDRAILS_SETTINGS),
  [GUARDRAIL_ID_ENV]: 'bench-guardrail',
  [GUARDRAIL_VERSION_ENV]: '1',
};
const GUARDRAILS_VARIANT = 'create-comment, screening guardrails';

/** One import of the bundle in a fresh process, with the deployed function's environment. */
export async function importTime(
  file: string,
  env: NodeJS.ProcessEnv = FUNCTION_ENV,
): Promise<ImportTime> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(file).href],
    { env, timeout: 30_000 },
  );
  const time = JSON.parse(stdout) as ImportTime;
  if (!Number.isFinite(time.wallMs) || !Number.isFinite(time.cpuMs)) {
    throw new Error(`import of ${file} printed ${stdout}`);
  }
  return time;
}

/** A bundle's two sizes: each row's name, and the bundle's field it reports. */
const SIZES = [
  ['size', 'bytes'],
  ['gzip', 'gzipBytes'],
] as const;

export async function coldStart(log: (line: string) => void): Promise<BenchResult[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'talkback-bench-'));
  try {
    const entries = readdirSync(HANDLERS_DIR)
      .filter((file) => file.endsWith('.ts'))
      .sort();
    log(`bundling ${entries.length} functions and the floor`);
    const floor = await bundle(FLOOR_ENTRY, outdir, 'floor');
    const bundles: Bundle[] = [];
    for (const entry of entries) {
      const define = SCREENING_MODULES.has(entry) ? screeningDefines(DEFAULT_SETTINGS) : undefined;
      bundles.push(await bundle(join(HANDLERS_DIR, entry), outdir, basename(entry, '.ts'), define));
    }
    bundles.push(
      await bundle(
        join(HANDLERS_DIR, 'create-comment.ts'),
        outdir,
        GUARDRAILS_VARIANT,
        screeningDefines(GUARDRAILS_SETTINGS),
      ),
    );
    const envOf = (item: Bundle) =>
      item.name === GUARDRAILS_VARIANT ? { ...FUNCTION_ENV, ...GUARDRAILS_ENV } : FUNCTION_ENV;

    // Round-robin over the bundles, so that a slow spell of the machine hits them all alike.
    const all = [floor, ...bundles];
    const times = new Map<string, ImportTime[]>(all.map((item) => [item.name, []]));
    log(`importing each bundle ${IMPORT_RUNS} times in fresh processes`);
    for (let round = 0; round < IMPORT_RUNS; round++) {
      for (const item of all) {
        times.get(item.name)?.push(await importTime(item.file, envOf(item)));
      }
    }
    const wall = (name: string) => (times.get(name) ?? []).map((time) => time.wallMs);
    const cpu = (name: string) => (times.get(name) ?? []).map((time) => time.cpuMs);

    const floorTimes = wall(floor.name);
    const floorMs = median(floorTimes);
    const floorCpuMs = median(cpu(floor.name));
    const rows: BenchResult[] = [
      result({
        group: 'cold-start',
        name: `${FLOOR} import`,
        value: floorMs,
        unit: 'ms',
        samples: floorTimes,
        noisy: true,
        note: `CPU ${floorCpuMs.toFixed(0)} ms`,
        detail: { wallMs: floorTimes, cpuMs: cpu(floor.name) },
      }),
      ...SIZES.map(([label, key]) =>
        result({
          group: 'cold-start',
          name: `${FLOOR} ${label}`,
          value: floor[key],
          unit: 'bytes',
        }),
      ),
    ];
    for (const item of bundles) {
      const samples = wall(item.name);
      const ms = median(samples);
      const cpuMs = median(cpu(item.name));
      rows.push(
        result({
          group: 'cold-start',
          name: `${item.name} import`,
          value: ms,
          unit: 'ms',
          floor: floorMs,
          target: `<= ${IMPORT_TARGET}x floor`,
          met: ms <= floorMs * IMPORT_TARGET,
          samples,
          // Process start-up and disk cache make single imports swing on a shared machine.
          noisy: true,
          note: `CPU ${cpuMs.toFixed(0)} ms, ${(cpuMs / floorCpuMs).toFixed(2)}x floor's`,
          detail: { wallMs: samples, cpuMs: cpu(item.name) },
        }),
        ...SIZES.map(([label, key]) =>
          result({
            group: 'cold-start',
            name: `${item.name} ${label}`,
            value: item[key],
            unit: 'bytes',
            floor: floor[key],
            target: `<= ${SIZE_TARGET}x floor`,
            met: item[key] <= floor[key] * SIZE_TARGET,
          }),
        ),
      );
    }
    return rows;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
