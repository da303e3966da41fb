/**
 * Import throughput: 100,000 generated WordPress comments (1,000 posts of 100, one in four a
 * reply, some HTML) imported by `npm run admin -- import wordpress` into `npm start`'s server
 * (in memory, on DynamoDB Local), as an operator would. Reports comments a second, the CLI
 * process's peak memory (its RSS, sampled, and the kernel's high-water mark), and the CPU seconds
 * each process spent per 1,000 comments. Everything shares the machine's cores: the CLI, the
 * server and DynamoDB Local's JVM, and on a shared machine other work too, so the CPU figures
 * are the ones to compare across runs.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { type BenchResult, result } from './results';

const ROOT = join(__dirname, '..', '..');
const POSTS = 1_000;
const PER_POST = 100;
const TARGET_PER_SECOND = 1_000;
const TARGET_RSS_MB = 200;
/** The large file the dry run reads: the issue's "memory stays flat on a 500 MB file". */
const BIG_FILE_MB = 500;
/** Flat: the second half of the dry run peaks at most this much above the first half. */
const FLAT_RATIO_MAX = 1.1;
/** The kernel's clock ticks a second (USER_HZ), in which /proc reports CPU time. */
const CLOCK_TICKS = 100;

const cdata = (text: string) => `<![CDATA[${text}]]>`;

/** A WXR 1.2 file of POSTS × PER_POST comments; returns its path. */
export async function writeWordPressExport(
  dir: string,
  posts = POSTS,
  perPost = PER_POST,
  name = 'bench-export.xml',
): Promise<string> {
  const file = join(dir, name);
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench</title>\n<link>https://bench.example</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n',
  );
  const start = Date.UTC(2020, 0, 1);
  let id = 0;
  for (let post = 1; post <= posts; post++) {
    await write(
      `<item>\n<title>${cdata(`Post ${post}`)}</title>\n<link>https://bench.example/post-${post}/</link>\n<wp:post_id>${post}</wp:post_id>\n<wp:post_name>${cdata(`post-${post}`)}</wp:post_name>\n<wp:status>${cdata('publish')}</wp:status>\n<wp:post_type>${cdata('post')}</wp:post_type>\n`,
    );
    const first = id + 1;
    for (let n = 0; n < perPost; n++) {
      id += 1;
      const parent = n % 4 === 3 ? first + n - 2 : 0;
      const date = new Date(start + id * 60_000).toISOString().replace('T', ' ').slice(0, 19);
      const approved = n % 20 === 19 ? '0' : '1';
      await write(
        `<wp:comment>\n<wp:comment_id>${id}</wp:comment_id>\n<wp:comment_author>${cdata(`Reader ${id % 5000}`)}</wp:comment_author>\n<wp:comment_author_email>${cdata(`reader${id % 5000}@example.com`)}</wp:comment_author_email>\n<wp:comment_author_url>https://reader${id % 5000}.example/</wp:comment_author_url>\n<wp:comment_date_gmt>${cdata(date)}</wp:comment_date_gmt>\n<wp:comment_content>${cdata(`<p>Comment ${id} on post ${post}: a <strong>fine</strong> piece &amp; a <a href="https://ref.example/${id}">reference</a>.</p>\n<p>Second paragraph, with a line<br />\nbreak.</p>`)}</wp:comment_content>\n<wp:comment_approved>${cdata(approved)}</wp:comment_approved>\n<wp:comment_type>${cdata('comment')}</wp:comment_type>\n<wp:comment_parent>${parent}</wp:comment_parent>\n</wp:comment>\n`,
      );
    }
    await write('</item>\n');
  }
  await write('</channel>\n</rss>\n');
  out.end();
  await once(out, 'finish');
  return file;
}

/** Resident memory of a running process, in bytes: [now, the kernel's high-water mark]. */
function memoryOf(pid: number): [number, number] | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return [kb('VmRSS') * 1024, kb('VmHWM') * 1024];
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used so far (user and system), from /proc/<pid>/stat. */
function cpuOf(pid: number): number | undefined {
  try {
    // The fields after the command (which may hold spaces) start at state; utime is the 12th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** A process and its descendants, by pid and command line. */
function processTree(pid: number): { pid: number; command: string }[] {
  const tree: { pid: number; command: string }[] = [];
  const visit = (id: number) => {
    try {
      const command = readFileSync(`/proc/${id}/cmdline`, 'utf8').replaceAll('\0', ' ');
      tree.push({ pid: id, command });
      const children = readFileSync(`/proc/${id}/task/${id}/children`, 'utf8').trim();
      for (const child of children === '' ? [] : children.split(' ')) visit(Number(child));
    } catch {
      // Gone in the meantime.
    }
  };
  visit(pid);
  return tree;
}

/** CPU seconds of the server's processes: DynamoDB Local's JVM, and the Node side (handlers, stream pollers). */
export function serverCpu(pid: number): { dynamodb: number; node: number } {
  let dynamodb = 0;
  let node = 0;
  for (const process of processTree(pid)) {
    const cpu = cpuOf(process.pid) ?? 0;
    if (process.command.includes('DynamoDBLocal')) dynamodb += cpu;
    else node += cpu;
  }
  return { dynamodb, node };
}

/** The command `npm run admin` runs, from package.json. */
function adminCommand(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  return (scripts.admin ?? '').split(' ').filter((word) => word !== '');
}

export const load = () => loadavg()[0]?.toFixed(1) ?? '?';

export interface CliRun {
  output: string;
  seconds: number;
  /** Peak RSS in bytes: the larger of the sampled RSS and the kernel's high-water mark. */
  peakBytes: number;
  sampledPeakBytes: number;
  /** RSS samples: [seconds since the start, bytes]. */
  samples: [number, number][];
  highWaterBytes: number;
  cpuSeconds: number;
}

/** Runs `npm run admin -- <args>` against the server, sampling the CLI's memory and CPU. */
export async function runAdmin(server: LocalProcess, args: string[]): Promise<CliRun> {
  const started = performance.now();
  // `npm run admin`'s own command, without npm around it: one process, so its RSS is the
  // CLI's own, started with the flags an operator's import runs with.
  const [command, ...flags] = adminCommand();
  const child = spawn(
    command === 'node' ? process.execPath : (command ?? ''),
    [...flags, ...args],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TALKBACK_API_URL: server.url,
        TALKBACK_ADMIN_TOKEN: server.adminToken,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let peak = 0;
  let highWater = 0;
  let cpuSeconds = 0;
  const samples: [number, number][] = [];
  const sampler = setInterval(() => {
    const memory = child.pid === undefined ? undefined : memoryOf(child.pid);
    if (!memory) return;
    peak = Math.max(peak, memory[0]);
    samples.push([(performance.now() - started) / 1000, memory[0]]);
    highWater = Math.max(highWater, memory[1]);
    cpuSeconds = cpuOf(child.pid ?? 0) ?? cpuSeconds;
  }, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  if (code !== 0)
    throw new Error(`npm run admin -- ${args.join(' ')} failed (${code}):\n${output}`);
  return {
    output,
    seconds: (performance.now() - started) / 1000,
    peakBytes: Math.max(peak, highWater),
    sampledPeakBytes: peak,
    highWaterBytes: highWater,
    cpuSeconds,
    samples,
  };
}

/** The number a report line starts with: `Imported 100000 comment(s)`, `Would import ...`. */
export function countIn(output: string, verb: 'Imported' | 'Would import'): number {
  return Number(new RegExp(`^${verb} (\\d+) comment`, 'm').exec(output)?.[1] ?? Number.NaN);
}

export async function importLoad(
  log: (line: string) => void,
  posts = POSTS,
  bigFileMb = BIG_FILE_MB,
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'talkback-import-bench-'));
  try {
    const file = await writeWordPressExport(dir, posts);
    const total = posts * PER_POST;
    const fileMb = statSync(file).size / 2 ** 20;
    log(`wrote ${total.toLocaleString('en-US')} comments, ${fileMb.toFixed(1)} MB`);
    log('starting the local server (npm start, in memory)');
    const server = await startLocalProcess();
    try {
      const serverPid = server.child.pid ?? 0;
      const serverBefore = serverCpu(serverPid);
      const loadBefore = load();
      const run = await runAdmin(server, ['import', 'wordpress', file]);
      const serverAfter = serverCpu(serverPid);
      const imported = countIn(run.output, 'Imported');
      if (imported !== total) throw new Error(`imported ${imported}, not ${total}:\n${run.output}`);
      log(run.output.trim().split('\n')[0] ?? '');
      const perSecond = total / run.seconds;
      const peakMb = run.peakBytes / 2 ** 20;
      // CPU time per 1,000 comments, by process: what the import costs whatever else the machine
      // is doing (the wall-clock rate depends on the load; each figure comes with it).
      const per1000 = (cpu: number) => (cpu * 1000) / total;
      const cpu = {
        cli: per1000(run.cpuSeconds),
        server: per1000(serverAfter.node - serverBefore.node),
        dynamodb: per1000(serverAfter.dynamodb - serverBefore.dynamodb),
      };
      const loads = `load average ${loadBefore} at the start, ${load()} at the end`;
      const rows = [
        result({
          group: 'import',
          name: `import ${total.toLocaleString('en-US')} WordPress comments: throughput`,
          value: perSecond,
          unit: 'comments/s',
          target: `at least ${TARGET_PER_SECOND} comments/s`,
          met: perSecond >= TARGET_PER_SECOND,
          noisy: true,
          note: `${run.seconds.toFixed(1)} s in all, CLI start included; ${loads}`,
          detail: { seconds: run.seconds, comments: total, loadBefore, loadAfter: load() },
        }),
        result({
          group: 'import',
          name: 'import: CPU seconds per 1,000 comments (CLI + server + DynamoDB Local)',
          value: cpu.cli + cpu.server + cpu.dynamodb,
          unit: 's',
          target: null,
          met: null,
          note: `CLI ${cpu.cli.toFixed(2)} s, server ${cpu.server.toFixed(2)} s, DynamoDB Local ${cpu.dynamodb.toFixed(2)} s`,
          detail: cpu,
        }),
        result({
          group: 'import',
          name: 'import: CLI peak memory (RSS)',
          value: peakMb,
          unit: 'MB',
          target: `under ${TARGET_RSS_MB} MB`,
          met: peakMb < TARGET_RSS_MB,
          detail: { sampledPeakBytes: run.sampledPeakBytes, highWaterBytes: run.highWaterBytes },
        }),
      ];
      if (bigFileMb > 0) {
        rmSync(file);
        rows.push(await bigFileDryRun(server, dir, bigFileMb, (fileMb * 2 ** 20) / posts, log));
      }
      return rows;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Memory stays flat on a large file: a dry run (read, convert and check every comment, send
 * nothing) of a generated export about `megabytes` large. Flat means the second half of the run
 * needs no more memory than the first: the ratio of their peak RSS should be about 1.
 */
async function bigFileDryRun(
  server: LocalProcess,
  dir: string,
  megabytes: number,
  bytesPerPost: number,
  log: (line: string) => void,
): Promise<BenchResult> {
  const posts = Math.ceil((megabytes * 2 ** 20) / bytesPerPost);
  const file = await writeWordPressExport(dir, posts, PER_POST, 'bench-large-export.xml');
  const fileMb = statSync(file).size / 2 ** 20;
  const total = posts * PER_POST;
  log(`dry run of a ${fileMb.toFixed(0)} MB export (${total.toLocaleString('en-US')} comments)`);
  try {
    const run = await runAdmin(server, ['import', 'wordpress', file, '--dry-run']);
    const counted = countIn(run.output, 'Would import');
    if (counted !== total)
      throw new Error(`the dry run counted ${counted}, not ${total}:\n${run.output}`);
    const half = run.seconds / 2;
    const peakOf = (samples: [number, number][]) =>
      Math.max(0, ...samples.map(([, bytes]) => bytes)) / 2 ** 20;
    const firstHalf = peakOf(run.samples.filter(([at]) => at < half));
    const secondHalf = peakOf(run.samples.filter(([at]) => at >= half));
    const peakMb = run.peakBytes / 2 ** 20;
    return result({
      group: 'import',
      name: `import --dry-run of a ${fileMb.toFixed(0)} MB export: CLI peak memory (RSS)`,
      value: peakMb,
      unit: 'MB',
      target: `under ${TARGET_RSS_MB} MB, and flat (second half at most ${FLAT_RATIO_MAX}x the first)`,
      met: peakMb < TARGET_RSS_MB && firstHalf > 0 && secondHalf <= firstHalf * FLAT_RATIO_MAX,
      note: `peak ${firstHalf.toFixed(0)} MB in the first half of the run, ${secondHalf.toFixed(0)} MB in the second (${(secondHalf / firstHalf).toFixed(2)}x); ${run.seconds.toFixed(0)} s, ${(total / run.seconds).toFixed(0)} comments/s read and checked`,
      detail: {
        fileMb,
        comments: total,
        firstHalfMb: firstHalf,
        secondHalfMb: secondHalf,
        seconds: run.seconds,
      },
    });
  } finally {
    rmSync(file, { force: true });
  }
}

if (require.main === module) {
  // `npx tsx test/bench/import-load.ts [posts] [big file MB]`: this phase alone, on fewer posts
  // and a smaller large file (0: none) for a quick look.
  const posts = Number(process.argv[2] ?? POSTS);
  const bigFileMb = Number(process.argv[3] ?? BIG_FILE_MB);
  importLoad((line) => process.stderr.write(`bench: ${line}\n`), posts, bigFileMb).then(
    (rows) => {
      for (const row of rows)
        process.stdout.write(
          `${row.name}: ${row.value.toFixed(2)} ${row.unit}${row.met === null ? '' : row.met ? ' (met)' : ' (missed)'}${row.note ? `; ${row.note}` : ''}\n`,
        );
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
