/**
 * The Coral importer's throughput and memory, held to the other importers' targets
 * (import-load.ts): 100,000 generated Coral comments (1,000 stories of 100, one in four a reply,
 * one in twenty held, 5,000 authors signed on through the site) imported by `npm run admin --
 * import coral` into `npm start`'s server, then dry runs of an export about 500 MB large and of
 * one half that size, for memory that follows the open threads and not the file.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { countIn, load, runAdmin, serverCpu } from './import-load';
import { type BenchResult, result } from './results';

const STORIES = 1_000;
const PER_STORY = 100;
const AUTHORS = 5_000;
const TARGET_PER_SECOND = 1_000;
const TARGET_RSS_MB = 200;
const BIG_EXPORT_MB = 500;
const FLAT_RATIO_MAX = 1.1;

/** A line-delimited file written with back-pressure. */
async function writeLines(
  file: string,
  lines: (write: (line: unknown) => Promise<void>) => Promise<void>,
) {
  const out = createWriteStream(file);
  await lines(async (line) => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
}

const date = (ms: number) => ({ $date: new Date(ms).toISOString() });

/** A mongoexport of Coral's stories, users and comments in a new folder under `dir`. */
export async function writeCoralExport(
  dir: string,
  stories = STORIES,
  perStory = PER_STORY,
  name = 'coral-export',
): Promise<string> {
  const folder = join(dir, name);
  mkdirSync(folder);
  const start = Date.UTC(2021, 0, 1);
  await writeLines(join(folder, 'stories.json'), async (write) => {
    for (let story = 1; story <= stories; story++) {
      await write({
        _id: { $oid: story.toString(16).padStart(24, '0') },
        id: `story-${story}`,
        tenantID: 't1',
        url: `https://bench.example/${2021 + (story % 3)}/story-${story}/`,
        settings: story % 50 === 0 ? { moderation: 'PRE' } : {},
        ...(story % 100 === 0 ? { closedAt: date(start) } : {}),
        createdAt: date(start + story * 3_600_000),
      });
    }
  });
  await writeLines(join(folder, 'users.json'), async (write) => {
    for (let user = 0; user < AUTHORS; user++) {
      await write({
        id: `user-${user}`,
        tenantID: 't1',
        username: `Reader ${user}`,
        email: `reader${user}@example.com`,
        profiles: [{ type: 'sso', id: `site-${user}`, lastIssuedAt: date(start) }],
        role: 'COMMENTER',
        createdAt: date(start),
      });
    }
  });
  await writeLines(join(folder, 'comments.json'), async (write) => {
    let id = 0;
    for (let story = 1; story <= stories; story++) {
      const first = id + 1;
      for (let n = 0; n < perStory; n++) {
        id += 1;
        const createdAt = start + id * 60_000;
        const parent = n % 4 === 3 ? `comment-${first + n - 2}` : null;
        await write({
          _id: { $oid: (1e9 + id).toString(16).padStart(24, '0') },
          id: `comment-${id}`,
          tenantID: 't1',
          storyID: `story-${story}`,
          authorID: `user-${id % AUTHORS}`,
          parentID: parent,
          ancestorIDs: parent ? [parent] : [],
          status: n % 20 === 19 ? 'PREMOD' : 'APPROVED',
          revisions: [
            {
              id: `revision-${id}`,
              body: `<p>Comment ${id} on story ${story}: a <strong>fine</strong> piece &amp; a <a href="https://ref.example/${id}">reference</a>.</p><p>Second paragraph.</p>`,
              createdAt: date(createdAt),
              status: 'APPROVED',
              actionCounts: {},
              metadata: {},
            },
          ],
          tags: [],
          childIDs: [],
          childCount: 0,
          actionCounts: {},
          createdAt: date(createdAt),
        });
      }
    }
  });
  return folder;
}

const folderMb = (folder: string) =>
  ['stories', 'users', 'comments'].reduce(
    (sum, collection) => sum + statSync(join(folder, `${collection}.json`)).size,
    0,
  ) /
  2 ** 20;

/**
 * Memory follows the threads still open, not the file: dry runs of an export about `bigExportMb`
 * large and of one half that size. The reader's passes differ in weight, so halves of one run
 * would compare a light pass with a heavy one; the two runs' peaks compare like with like.
 */
async function dryRuns(
  server: LocalProcess,
  dir: string,
  stories: number,
  megabytes: number,
  bigExportMb: number,
  log: (line: string) => void,
): Promise<BenchResult> {
  const big = Math.ceil((bigExportMb / megabytes) * stories);
  const peaks: number[] = [];
  let largeMb = 0;
  let seconds = 0;
  for (const [count, name] of [
    [Math.ceil(big / 2), 'coral-half'],
    [big, 'coral-large'],
  ] as const) {
    const folder = await writeCoralExport(dir, count, PER_STORY, name);
    largeMb = folderMb(folder);
    log(
      `dry run of a ${largeMb.toFixed(0)} MB Coral export (${(count * PER_STORY).toLocaleString('en-US')} comments)`,
    );
    const dry = await runAdmin(server, ['import', 'coral', folder, '--dry-run']);
    const counted = countIn(dry.output, 'Would import');
    if (counted !== count * PER_STORY)
      throw new Error(`the dry run counted ${counted}:\n${dry.output}`);
    peaks.push(dry.peakBytes / 2 ** 20);
    seconds = dry.seconds;
    rmSync(folder, { recursive: true, force: true });
  }
  const [half = 0, full = 0] = peaks;
  return result({
    group: 'import',
    name: `import coral --dry-run of a ${largeMb.toFixed(0)} MB export: CLI peak memory (RSS)`,
    value: full,
    unit: 'MB',
    target: `under ${TARGET_RSS_MB} MB, and flat (at most ${FLAT_RATIO_MAX}x the peak on half the export)`,
    met: full < TARGET_RSS_MB && half > 0 && full <= half * FLAT_RATIO_MAX,
    note: `peak ${half.toFixed(0)} MB on half the export, ${full.toFixed(0)} MB on all of it (${(full / half).toFixed(2)}x); ${seconds.toFixed(0)} s`,
    detail: { largeMb, halfPeakMb: half, fullPeakMb: full, seconds },
  });
}

export async function coralImportLoad(
  log: (line: string) => void,
  stories = STORIES,
  bigExportMb = BIG_EXPORT_MB,
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'talkback-coral-bench-'));
  try {
    const folder = await writeCoralExport(dir, stories);
    const total = stories * PER_STORY;
    const megabytes = folderMb(folder);
    log(`wrote ${total.toLocaleString('en-US')} Coral comments, ${megabytes.toFixed(1)} MB`);
    const server = await startLocalProcess();
    try {
      const serverPid = server.child.pid ?? 0;
      const before = serverCpu(serverPid);
      const loadBefore = load();
      const run = await runAdmin(server, ['import', 'coral', folder]);
      const after = serverCpu(serverPid);
      const imported = countIn(run.output, 'Imported');
      if (imported !== total) throw new Error(`imported ${imported}, not ${total}:\n${run.output}`);
      log(run.output.trim().split('\n')[0] ?? '');
      const perSecond = total / run.seconds;
      const per1000 = (cpu: number) => (cpu * 1000) / total;
      const cpu = {
        cli: per1000(run.cpuSeconds),
        server: per1000(after.node - before.node),
        dynamodb: per1000(after.dynamodb - before.dynamodb),
      };
      const rows = [
        result({
          group: 'import',
          name: `import ${total.toLocaleString('en-US')} Coral comments: throughput`,
          value: perSecond,
          unit: 'comments/s',
          target: `at least ${TARGET_PER_SECOND} comments/s`,
          met: perSecond >= TARGET_PER_SECOND,
          noisy: true,
          note: `${run.seconds.toFixed(1)} s in all, four passes over the folder and CLI start included; load average ${loadBefore} at the start, ${load()} at the end`,
          detail: { seconds: run.seconds, comments: total },
        }),
        result({
          group: 'import',
          name: 'import coral: CPU seconds per 1,000 comments (CLI + server + DynamoDB Local)',
          value: cpu.cli + cpu.server + cpu.dynamodb,
          unit: 's',
          note: `CLI ${cpu.cli.toFixed(2)} s, server ${cpu.server.toFixed(2)} s, DynamoDB Local ${cpu.dynamodb.toFixed(2)} s`,
          detail: cpu,
        }),
        result({
          group: 'import',
          name: 'import coral: CLI peak memory (RSS)',
          value: run.peakBytes / 2 ** 20,
          unit: 'MB',
          target: `under ${TARGET_RSS_MB} MB`,
          met: run.peakBytes / 2 ** 20 < TARGET_RSS_MB,
        }),
      ];
      rmSync(folder, { recursive: true, force: true });
      if (bigExportMb > 0)
        rows.push(await dryRuns(server, dir, stories, megabytes, bigExportMb, log));
      return rows;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  // `npx tsx test/bench/coral-import-load.ts [stories] [big export MB]`: this phase alone.
  const stories = Number(process.argv[2] ?? STORIES);
  const bigMb = Number(process.argv[3] ?? BIG_EXPORT_MB);
  coralImportLoad((line) => process.stderr.write(`bench: ${line}\n`), stories, bigMb).then(
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
