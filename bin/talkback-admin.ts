/**
 * `npm run admin -- <command>`: moderate a Talkback deployment from the terminal.
 *
 *   pending [--status pending|published|spam] [--limit N]   list comments awaiting a decision
 *   approve <commentId>                                     publish a comment
 *   spam <commentId> [--ground ID]                          mark a comment as spam (on a ground)
 *   transparency --from DATE --to DATE [--format json|csv]  the counts of a DSA transparency report
 *   delete <commentId>                                      delete a comment
 *   erase <email>                                           erase an author's email and details
 *   close <articleId> / reopen <articleId>                  stop or resume new comments
 *   article <articleId> [--moderation none|first-time|all|default]
 *           [--commenting anyone|signed-in|badge:NAME|default] [--close-at TIME|none]
 *           [--open|--close]                                show an article, changing its settings
 *   list-articles <articleId>...                            the one-off backfill of the articles
 *                                                           index: lists articles with reactions or
 *                                                           closed, written before it existed
 *   commenter <id|email> [--ban|--trust|--suspend 7d|--normal] [--note TEXT]
 *                                                           show a commenter's record, changing it
 *   pin <commentId> / unpin <commentId>                     show a comment first, or stop
 *   feature <commentId> / unfeature <commentId>             make a comment an Editor's Pick, or stop
 *   reply <articleId> <text> [--parent ID] [--name NAME]    comment as staff (default name "The editors")
 *   rules [--get | --put FILE]                              print the house rules, or replace them from FILE
 *   invite <email> [--user-pool-id ID]                      invite a moderator to the console (AWS only;
 *                                                           ID default TALKBACK_USER_POOL_ID, the stack's
 *                                                           ModeratorsUserPoolId… output)
 *   import wordpress|disqus|talkback <file> [--article-id slug|path|id] [--dry-run]
 *   import coral <folder> [--article-id slug|path|id] [--dry-run]   a mongoexport of Coral's
 *                                                           stories, users and comments
 *   export [--article ID]                                   every comment, as JSON Lines (private)
 *   export-email <email>                                    everything stored about one address
 *
 * The API is --api URL, or TALKBACK_API_URL (default the local server, http://127.0.0.1:$PORT/,
 * PORT default 3000). A deployed API is called with SigV4 under your usual AWS credentials; the
 * local server with TALKBACK_ADMIN_TOKEN or the token in $TALKBACK_DATA/admin-token (default
 * .talkback/, resolved against the project root as `npm start` does).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type AdminAuth, adminRequest, defaultSigV4, isLocal } from './admin/client';
import { COMMANDS, option, UsageError } from './admin/commands';

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

const USAGE = `Usage: npm run admin -- <command> [--api URL]
  pending [--status pending|published|spam] [--limit N]
  approve <commentId>
  spam <commentId> [--ground ID]
  delete <commentId>
  erase <email>
  close <articleId> | reopen <articleId>
  article <articleId> [--moderation none|first-time|all|default]
          [--commenting anyone|signed-in|badge:NAME|default] [--close-at TIME|none] [--open|--close]
  list-articles <articleId>...
  commenter <id|email> [--ban|--trust|--suspend 7d|--normal] [--note TEXT]
  pin <commentId> | unpin <commentId>
  feature <commentId> | unfeature <commentId>
  rules [--get | --put FILE]
  reply <articleId> <text> [--parent ID] [--name NAME]
  invite <email> [--user-pool-id ID]
  import wordpress|disqus|talkback <file> [--article-id slug|path|id] [--dry-run]
  import coral <folder> [--article-id slug|path|id] [--dry-run]
  export [--article ID] > talkback.jsonl
  export-email <email>
  transparency --from DATE --to DATE [--format json|csv]`;

/** The token, and where it came from (named when the server refuses it, never the token itself). */
function localToken(env: NodeJS.ProcessEnv): { token: string; source: string } {
  if (env.TALKBACK_ADMIN_TOKEN)
    return { token: env.TALKBACK_ADMIN_TOKEN, source: 'TALKBACK_ADMIN_TOKEN' };
  const file = resolve(__dirname, '..', env.TALKBACK_DATA ?? '.talkback', 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: file };
  throw new UsageError(
    'No admin token: set TALKBACK_ADMIN_TOKEN to the token `npm start` printed (in-memory runs keep no file).',
  );
}

function describe(problem: unknown): string {
  const { status, detail, errors } = (problem ?? {}) as Problem;
  const fields = (errors ?? []).map((error) => `${error.field} ${error.message}`).join('; ');
  return `${status ?? 'error'}: ${detail ?? 'request failed'}${fields ? ` (${fields})` : ''}`;
}

export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
  note: (text: string) => void = (text) => process.stderr.write(`${text}\n`),
): Promise<number> {
  if (argv.some((arg) => ['--help', '-h', 'help'].includes(arg))) {
    print(USAGE);
    return 0;
  }
  const args = [...argv];
  if (args[0] === 'invite') return invite(args, env, print);
  const dryRun = args.includes('--dry-run');
  if (dryRun) args.splice(args.indexOf('--dry-run'), 1);
  const apiUrl =
    option(args, 'api') ?? env.TALKBACK_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}/`;
  const local = isLocal(apiUrl) ? localToken(env) : undefined;
  const auth: AdminAuth = local ? { kind: 'token', token: local.token } : defaultSigV4(apiUrl, env);
  const command = args[0];
  const handle = command === undefined ? undefined : COMMANDS[command];
  if (!handle) throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  const call = (method: string, path: string, body?: unknown) =>
    adminRequest(apiUrl, auth, method, path, body);
  const target = args[1];
  return handle({
    args,
    target,
    dryRun,
    call,
    async answer<T>(expected: number, method: string, path: string, body?: unknown) {
      const response = await call(method, path, body);
      if (response.status === expected) return (response.body ?? {}) as T;
      const refused =
        local && (response.status === 401 || response.status === 403)
          ? ` The server refused the admin token from ${local.source}; set TALKBACK_ADMIN_TOKEN to the one \`npm start\` printed.`
          : '';
      print(`Failed: ${describe(response.body)}${refused}`);
      return undefined;
    },
    needTarget(what) {
      if (!target) throw new UsageError(`${command} needs ${what}`);
      return encodeURIComponent(target);
    },
    print,
    note,
  });
}

async function invite(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (text: string) => void,
): Promise<number> {
  const args = [...argv];
  const userPoolId = option(args, 'user-pool-id') ?? env.TALKBACK_USER_POOL_ID;
  const email = args[1];
  if (!email) throw new UsageError('invite needs an email address');
  if (!userPoolId) {
    throw new UsageError(
      'invite needs the user pool: --user-pool-id, or TALKBACK_USER_POOL_ID (the stack output ModeratorsUserPoolId…)',
    );
  }
  try {
    // Loaded here: the Cognito client is the largest module the CLI has, and only this uses it.
    const { inviteModerator } = await import('./admin/invite');
    await inviteModerator(userPoolId, email);
  } catch (error) {
    // Cognito's own words ("User account already exists") are written for people.
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    print(`Failed: ${name}: ${message}`);
    return 1;
  }
  print(`Invited ${email}: Cognito has mailed a temporary password for the moderation console.`);
  return 0;
}

if (require.main === module) {
  run(process.argv.slice(2), process.env, (text) => process.stdout.write(`${text}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const usage = error instanceof UsageError;
      process.stderr.write(
        `${error instanceof Error ? error.message : String(error)}\n${usage ? `${USAGE}\n` : ''}`,
      );
      process.exit(usage ? 2 : 1);
    },
  );
}
