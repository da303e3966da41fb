/**
 * `npm start`: Talkback on this machine, no AWS account needed.
 *
 *   PORT             HTTP port (default 3000), bound to 127.0.0.1
 *   TALKBACK_DATA    data folder (default .talkback/), kept across restarts
 *   TALKBACK_MEMORY  1 keeps everything in memory (same as --memory)
 *   ALLOWED_ORIGINS  comma-separated CORS origins (default *)
 *   TALKBACK_SETTINGS  JSON settings (reactions, limits, moderation, ...), as the CDK context sets them
 */
import { resolve } from 'node:path';
import { LocalSetupError } from './local/dynamodb-local';
import { PROJECT_ROOT, startLocalStack } from './local/server';

async function main(): Promise<void> {
  const memoryEnv = process.env.TALKBACK_MEMORY ?? '';
  if (!['', '0', '1'].includes(memoryEnv)) {
    throw new LocalSetupError(`TALKBACK_MEMORY must be 1 (or 0, or unset), not ${memoryEnv}`);
  }
  const memory = process.argv.includes('--memory') || memoryEnv === '1';
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalSetupError(`PORT must be a port number, not ${process.env.PORT}`);
  }
  const dataDir = memory
    ? undefined
    : resolve(PROJECT_ROOT, process.env.TALKBACK_DATA ?? '.talkback');
  const stack = await startLocalStack({
    port,
    host: '127.0.0.1',
    dataDir,
    allowedOrigins: (process.env.ALLOWED_ORIGINS ?? '*').split(',').map((origin) => origin.trim()),
  });
  const shutdown = () => {
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const storage = dataDir ? `data kept in ${dataDir}` : 'data kept in memory';
  process.stdout.write(`Talkback is running at ${stack.url} (${storage}). Ctrl-C stops it.\n`);
  process.stdout.write(
    `Mail it would send: ${stack.outbox} (listed at ${stack.url}outbox/?token=${stack.adminToken})\n`,
  );
  // The CLI finds the token in the same data folder, or is given it in memory mode.
  const cliEnv = dataDir
    ? `TALKBACK_API_URL=${stack.url} TALKBACK_DATA=${dataDir}`
    : `TALKBACK_API_URL=${stack.url} TALKBACK_ADMIN_TOKEN=${stack.adminToken}`;
  process.stdout.write(`Admin token: ${stack.adminToken} (${cliEnv} npm run admin -- pending)\n`);
  process.stdout.write(`Moderation console: ${stack.url}admin/ (sign in with the admin token)\n`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof LocalSetupError ? error.message : `Talkback could not start: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
