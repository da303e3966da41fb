/**
 * Talkback on one machine: DynamoDB Local, the table, the real handlers behind an HTTP server,
 * and the demo article page. `npm start` runs this through bin/talkback-local.ts.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { settingsFromEnv } from '../../lambda/domain/settings';
import { HttpProblem } from '../../lambda/http/problem';
import { problemResponse } from '../../lambda/http/response';
import { CORS_POLICY } from '../../lambda/routes';
import { STREAM_FILTERS, tallyWants } from '../../lambda/store/stream-filters';
import { consoleSecurityHeaders } from '../../web/console/security-headers';
import { CHUNK_CACHE_CONTROL } from '../../web/widget-build';
import { ensureTable, tableStreamArn } from './bootstrap';
import { createLowLevelClient } from './clients';
import { demoPage } from './demo-page';
import { DEMO_TOKEN_PATH, type DemoReaders, useDemoReaders } from './demo-readers';
import { type DynamoDbLocal, LocalSetupError, startDynamoDbLocal } from './dynamodb-local';
import { type CorsPolicy, loadHandlers, send, serveApi } from './http-adapter';
import { startLocalMail } from './local-mail';
import { startLocalWebhooks } from './local-webhooks';
import { outboxAccess } from './outbox-access';
import { serveOutbox } from './outbox-pages';
import { fanOut, type StreamPoller, startStreamPoller } from './stream-poller';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const LOCAL_TABLE_NAME = 'talkback-local';

export interface LocalOptions {
  port: number;
  host: string;
  /** Folder for DynamoDB Local's data and the local secret; undefined keeps data in memory. */
  dataDir?: string;
  allowedOrigins: string[];
}

export interface LocalStack {
  url: string;
  /** Operators' routes want `Authorization: Bearer <adminToken>`. */
  adminToken: string;
  /** Where every mail the service would send is written, as an `.eml` file. */
  outbox: string;
  stop(): Promise<void>;
}

const HTML = 'text/html; charset=utf-8';
const SCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** A file the local server serves as it is; the console's carry its security headers. */
type StaticFile = { file: string; type: string; console?: true; immutable?: true };

/** The static files of the demo, the widget and the console, by URL path. Everything else is the API. */
const DEMO_PAGE = 'web/index.html';
const STATIC_FILES: Record<string, StaticFile> = {
  '/': { file: DEMO_PAGE, type: HTML },
  '/index.html': { file: DEMO_PAGE, type: HTML },
  '/talkback.js': { file: 'web/dist/talkback.js', type: SCRIPT },
  '/count.js': { file: 'web/dist/count.js', type: SCRIPT },
  '/talkback.css': { file: 'web/dist/talkback.css', type: CSS },
  '/admin/': { file: 'web/dist/console/index.html', type: HTML, console: true },
  '/admin/index.html': { file: 'web/dist/console/index.html', type: HTML, console: true },
  '/admin/console.js': { file: 'web/dist/console/console.js', type: SCRIPT, console: true },
  '/admin/console.css': { file: 'web/dist/console/console.css', type: CSS, console: true },
};

/** The widget's language files (web/dist/locales/<lang>.json), fetched from next to the script. */
function localeFile(path: string): StaticFile | undefined {
  const lang = /^\/locales\/([a-z]{2,3})\.json$/.exec(path)?.[1];
  return lang
    ? { file: `web/dist/locales/${lang}.json`, type: 'application/json; charset=utf-8' }
    : undefined;
}

/**
 * The widget's chunks (web/dist/chunks/<name>-<hash>.js): named by their content, so kept for a
 * year and never asked again, as on the CDN (lib/edge-widget.ts, web/widget-build.ts `CHUNK_CACHE_CONTROL`).
 */
function chunkFile(path: string): StaticFile | undefined {
  const name = /^\/chunks\/([\w-]+\.js)$/.exec(path)?.[1];
  return name ? { file: `web/dist/chunks/${name}`, type: SCRIPT, immutable: true } : undefined;
}

/**
 * Locally the console signs in with the admin token and calls the API on its own origin; its
 * undo window is the deployment's setting (TALKBACK_SETTINGS), which the mail waits out too.
 */
const localConsoleConfig = (): string =>
  JSON.stringify({
    auth: 'token',
    apiUrl: '/',
    undoSeconds: settingsFromEnv(process.env).moderation.undoSeconds,
  });
const CONSOLE_HEADERS = consoleSecurityHeaders([]);

/**
 * A random secret kept with the data (the hashing and link secrets, so visitor hashes, cursors
 * and mailed links survive a restart; the admin token, so the CLI keeps working), or a fresh one
 * in memory mode.
 */
function localSecret(
  dataDir: string | undefined,
  name: string,
  // DynamoDB Local refuses an access key id with anything but letters and digits.
  encoding: 'base64url' | 'hex' = 'base64url',
): string {
  if (dataDir === undefined) return randomBytes(32).toString(encoding);
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString(encoding);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const ADMIN_TOKEN_FILE = 'admin-token';
/** The root secrets of the keys (lambda/domain/keyring.ts), each 256 random bits. */
export const HASHING_SECRET_FILE = 'secret';
export const LINK_SECRET_FILE = 'link-secret';
/** DynamoDB Local's access key id for this data folder: its database is named after it. */
export const DATABASE_KEY_FILE = 'dynamodb-key';

/** Seconds a client asking during start-up should wait; DynamoDB Local takes a few to start. */
export const STARTING_RETRY_AFTER_SECONDS = 2;

/**
 * The answer while DynamoDB Local and the handlers are still starting: the port is bound first
 * (to fail fast on a taken port), and a connection accepted then must not wait unanswered. The
 * deployment's CORS origins are not loaded yet, and the answer holds nothing private, so any
 * page may read it (and its Retry-After) instead of seeing a network error.
 */
function answerStarting(response: ServerResponse): void {
  const result = problemResponse(
    new HttpProblem(503, 'Talkback is starting. Please try again shortly.', [], {
      'retry-after': String(STARTING_RETRY_AFTER_SECONDS),
    }),
  );
  send(response, result, {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'retry-after',
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalSetupError(
              `Port ${port} on ${host} is already in use; set PORT to another port.`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => resolvePromise());
  });
}

export async function startLocalStack(options: LocalOptions): Promise<LocalStack> {
  // Fail on a taken port before spending seconds on DynamoDB Local.
  let serve: RequestListener | undefined;
  const server = createServer((request, response) => {
    if (serve) serve(request, response);
    else answerStarting(response);
  });
  await listen(server, options.port, options.host);
  let dynamo: DynamoDbLocal | undefined;
  let adminToken = '';
  let poller: StreamPoller | undefined;
  let mail: { stop(): void } | undefined;
  let webhooks: { stop(): void } | undefined;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}/`;
  // Kept with the data, or a fresh temporary folder in memory mode (printed at start).
  const outbox = options.dataDir
    ? resolve(options.dataDir, 'outbox')
    : mkdtempSync(join(tmpdir(), 'talkback-outbox-'));
  try {
    // The data (emails included) is the developer's alone: folders 0700, files 0600.
    if (options.dataDir) {
      mkdirSync(join(options.dataDir, 'dynamodb'), { recursive: true, mode: 0o700 });
      for (const folder of [options.dataDir, join(options.dataDir, 'dynamodb')]) {
        chmodSync(folder, 0o700);
      }
    }
    dynamo = await startDynamoDbLocal({
      ...(options.dataDir ? { dataDir: resolve(options.dataDir, 'dynamodb') } : {}),
      accessKeyId: localSecret(options.dataDir, DATABASE_KEY_FILE, 'hex'),
    });
    const admin = createLowLevelClient(dynamo.endpoint, dynamo.credentials);
    await ensureTable(admin, LOCAL_TABLE_NAME);
    const streamArn = await tableStreamArn(admin, LOCAL_TABLE_NAME);
    admin.destroy();

    // The handlers read their configuration from the environment at import, as on Lambda.
    process.env.TABLE_NAME = LOCAL_TABLE_NAME;
    process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
    // Whatever AWS credentials the shell has, the handlers sign with the data folder's key.
    process.env.AWS_ACCESS_KEY_ID = dynamo.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = dynamo.credentials.secretAccessKey;
    process.env.AWS_REGION = 'local';
    delete process.env.AWS_SESSION_TOKEN;
    // The root secrets, as Secrets Manager holds them on AWS (docs/operations.md, "Keys").
    process.env.TALKBACK_SECRET = localSecret(options.dataDir, HASHING_SECRET_FILE);
    process.env.TALKBACK_LINK_SECRET = localSecret(options.dataDir, LINK_SECRET_FILE);
    // With TALKBACK_LEGACY_LINKS_UNTIL, links in the outbox from before the data folder had a
    // link secret still work until then, signed as they were with the hashing secret.
    if (process.env.TALKBACK_LEGACY_LINKS_UNTIL) {
      process.env.TALKBACK_LEGACY_LINK_SECRET = process.env.TALKBACK_SECRET;
    } else {
      delete process.env.TALKBACK_LEGACY_LINK_SECRET;
    }
    adminToken = localSecret(options.dataDir, ADMIN_TOKEN_FILE);
    // Before the handlers read their settings: the demo page's sign-in, unless issuers are set.
    const demoReaders: DemoReaders = useDemoReaders(process.env, url);
    const handlers = await loadHandlers();
    // The deployed stack runs this handler from the table's stream; so does the local server.
    const tally = (await import('../../lambda/handlers/tally-reactions')) as {
      handler: (event: DynamoDBStreamEvent) => Promise<void>;
    };
    // The same dispatcher and sender as on AWS, with the outbox in SES's place.
    const localMail = await startLocalMail({ outbox, url });
    mail = localMail;
    // Webhooks and Slack, where the settings name any: deliveries go to the configured URLs.
    const localWebhooks = await startLocalWebhooks({ url });
    webhooks = localWebhooks;
    // One reading of the stream for both, each given what its filter on AWS lets through.
    poller = startStreamPoller(
      dynamo.endpoint,
      streamArn,
      fanOut([
        {
          name: 'reaction tally',
          wants: tallyWants,
          consume: tally.handler,
          retryAttempts: STREAM_FILTERS.tally.retryAttempts,
        },
        localMail.dispatcher,
        ...(localWebhooks ? [localWebhooks.dispatcher] : []),
      ]),
      { credentials: dynamo.credentials },
    );
    const cors: CorsPolicy = {
      allowedOrigins: options.allowedOrigins,
      allowMethods: [...CORS_POLICY.allowMethods],
      allowHeaders: [...CORS_POLICY.allowHeaders],
      exposeHeaders: [...CORS_POLICY.exposeHeaders],
      maxAgeSeconds: CORS_POLICY.maxAgeSeconds,
    };

    serve = (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const staticFile =
        request.method === 'GET'
          ? (STATIC_FILES[path] ?? localeFile(path) ?? chunkFile(path))
          : undefined;
      if (request.method === 'GET' && (path === '/outbox' || path.startsWith('/outbox/'))) {
        const access = outboxAccess(request, new URL(request.url ?? '/', url), {
          port,
          adminToken,
        });
        if (access.kind === 'refused') {
          response.writeHead(access.status, { ...access.headers, 'cache-control': 'no-store' });
          response.end(access.body);
          return;
        }
      }
      const outboxServed =
        request.method === 'GET' &&
        serveOutbox(outbox, path, (status, headers, body) => {
          response.writeHead(status, { ...headers, 'cache-control': 'no-store' });
          response.end(body);
        });
      if (outboxServed) return;
      if (staticFile && existsSync(join(PROJECT_ROOT, staticFile.file))) {
        response.writeHead(200, {
          'content-type': staticFile.type,
          'cache-control': staticFile.immutable ? CHUNK_CACHE_CONTROL : 'no-cache',
          ...(staticFile.console ? CONSOLE_HEADERS : {}),
          // A page on another origin may load the scripts as modules, which browsers fetch with CORS.
          // The widget on another origin fetches its language files and stylesheet with CORS too.
          ...(!staticFile.console && /\.(js|json|css)$/.test(staticFile.file)
            ? { 'access-control-allow-origin': '*' }
            : {}),
        });
        const body = readFileSync(join(PROJECT_ROOT, staticFile.file));
        response.end(
          staticFile.file === DEMO_PAGE ? demoPage(body.toString('utf8'), url.search) : body,
        );
        return;
      }
      if (request.method === 'GET' && path === '/admin/config.json') {
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-cache',
          ...CONSOLE_HEADERS,
        });
        response.end(localConsoleConfig());
        return;
      }
      if (request.method === 'POST' && path === DEMO_TOKEN_PATH) {
        const minting = demoReaders.mint();
        if (!minting) {
          response.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
          response.end('This server trusts the issuers TALKBACK_SETTINGS names: no demo sign-in.');
          return;
        }
        minting.then((token) => {
          response.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'cache-control': 'no-store',
          });
          response.end(JSON.stringify({ token }));
        });
        return;
      }
      if (request.method === 'GET' && path === '/admin') {
        response.writeHead(301, { location: '/admin/' });
        response.end();
        return;
      }
      serveApi(request, response, handlers, cors, { adminToken }).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    };
  } catch (error) {
    server.close();
    await poller?.stop();
    mail?.stop();
    webhooks?.stop();
    await dynamo?.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    adminToken,
    outbox,
    stop() {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await poller?.stop();
        mail?.stop();
        webhooks?.stop();
        await dynamo?.stop();
      })();
      return stopping;
    },
  };
}
