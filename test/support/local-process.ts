/**
 * Runs `npm start`'s entry point (bin/talkback-local.ts) as a separate process on a free port,
 * exactly as a developer would, and stops it with SIGTERM as Ctrl-C would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../bin/local/dynamodb-local';
import { testSettings } from './dynamodb';

const ROOT = join(__dirname, '..', '..');

export interface LocalProcess {
  url: string;
  /** For operators' routes: `Authorization: Bearer <adminToken>`. */
  adminToken: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export async function startLocalProcess(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<LocalProcess> {
  const port = options.port ?? (await freePort());
  const args = [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/talkback-local.ts'];
  if (!options.dataDir) args.push('--memory');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      ...(options.dataDir ? { TALKBACK_DATA: options.dataDir } : {}),
      TALKBACK_SETTINGS: testSettings(),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let adminToken = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed set-up.
      child.kill('SIGTERM');
      reject(new Error(`local server did not start:\n${output}`));
    }, 90_000);
    const check = () => {
      const match = /running at (http:\/\/\S+?)\/? [\s\S]*Admin token: (\S+)/.exec(output);
      if (match?.[1] && match[2]) {
        adminToken = match[2];
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    adminToken,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
