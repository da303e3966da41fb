/**
 * `npm run admin -- <command>`: moderate a Talkback deployment from the terminal.
 *
 *   pending [--status pending|published|spam] [--limit N]   list comments awaiting a decision
 *   approve <commentId>                                     publish a comment
 *   spam <commentId>                                        mark a comment as spam
 *   delete <commentId>                                      delete a comment
 *   erase <email>                                           erase an author's email and details
 *   close <articleId> / reopen <articleId>                  stop or resume new comments
 *   pin <commentId> / unpin <commentId>                     show a comment first, or stop
 *   reply <articleId> <text> [--parent ID] [--name NAME]    comment as staff (default name "The editors")
 *   invite <email> [--user-pool-id ID]                      invite a moderator to the console (AWS only;
 *                                                           ID default TALKBACK_USER_POOL_ID, the stack's
 *                                                           ModeratorsUserPoolId… output)
 *   import wordpress|disqus|talkback <file> [--article-id slug|path|id] [--dry-run]
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
import {
  type AdminAuth,
  type AdminResponse,
  adminRequest,
  defaultSigV4,
  isLocal,
} from './admin/client';
import { exportAll, exportEmail, importFile, SOURCES } from './admin/transfer';

interface AdminComment {
  id: string;
  articleId: string;
  status: string;
  email: string | null;
  author: { name: string };
  body: string;
  createdAt: string;
}

interface Problem {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

class UsageError extends Error {}

const USAGE = `Usage: npm run admin -- <command> [--api URL]
  pending [--status pending|published|spam] [--limit N]
  approve <commentId>
  spam <commentId>
  delete <commentId>
  erase <email>
  close <articleId> | reopen <articleId>
  pin <commentId> | unpin <commentId>
  reply <articleId> <text> [--parent ID] [--name NAME]
  invite <email> [--user-pool-id ID]
  import wordpress|disqus|talkback <file> [--article-id slug|path|id] [--dry-run]
  export [--article ID] > talkback.jsonl
  export-email <email>`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined) throw new UsageError(`--${name} needs a value`);
  args.splice(index, 2);
  return value;
}

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

function line(comment: AdminComment): string {
  const excerpt = comment.body.replace(/\s+/g, ' ').slice(0, 60);
  const who = `${comment.author.name} <${comment.email ?? 'erased'}>`;
  return `${comment.id}  ${comment.createdAt}  ${comment.articleId}  ${comment.status}  ${who}  "${excerpt}"`;
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
  const [command, target] = args;
  const call = (method: string, path: string, body?: unknown) =>
    adminRequest(apiUrl, auth, method, path, body);
  const fail = ({ status, body }: AdminResponse) => {
    const refused =
      local && (status === 401 || status === 403)
        ? ` The server refused the admin token from ${local.source}; set TALKBACK_ADMIN_TOKEN to the one \`npm start\` printed.`
        : '';
    print(`Failed: ${describe(body)}${refused}`);
    return 1;
  };
  const needTarget = (what: string) => {
    if (!target) throw new UsageError(`${command} needs ${what}`);
    return encodeURIComponent(target);
  };

  switch (command) {
    case 'pending': {
      const status = option(args, 'status') ?? 'pending';
      const limit = option(args, 'limit') ?? '50';
      const query = new URLSearchParams({ status, limit }).toString();
      const response = await call('GET', `/admin/comments?${query}`);
      if (response.status !== 200) return fail(response);
      const { comments, nextCursor } = response.body as {
        comments: AdminComment[];
        nextCursor: string | null;
      };
      if (comments.length === 0) print(`No ${status} comments.`);
      for (const comment of comments) print(line(comment));
      if (nextCursor) print(`(more: raise --limit to see them)`);
      return 0;
    }
    case 'approve':
    case 'spam': {
      const id = needTarget('a comment id');
      const status = command === 'approve' ? 'published' : 'spam';
      const response = await call('PATCH', `/admin/comments/${id}`, { status });
      if (response.status !== 200) return fail(response);
      print(
        `${command === 'approve' ? 'Published' : 'Marked as spam'}: ${line((response.body as { comment: AdminComment }).comment)}`,
      );
      return 0;
    }
    case 'delete': {
      const id = needTarget('a comment id');
      const response = await call('DELETE', `/admin/comments/${id}`);
      if (response.status !== 204) return fail(response);
      print(`Deleted ${target}.`);
      return 0;
    }
    case 'erase': {
      if (!target) throw new UsageError('erase needs an email address');
      const response = await call('POST', '/admin/erasures', { email: target });
      if (response.status !== 200) return fail(response);
      print(
        `Erased the author details of ${(response.body as { erased: number }).erased} comment(s).`,
      );
      return 0;
    }
    case 'close':
    case 'reopen': {
      const id = needTarget('an article id');
      const response = await call('PATCH', `/admin/articles/${id}`, {
        closed: command === 'close',
      });
      if (response.status !== 200) return fail(response);
      print(command === 'close' ? `Closed ${target} to new comments.` : `Reopened ${target}.`);
      return 0;
    }
    case 'pin':
    case 'unpin': {
      const id = needTarget('a comment id');
      const response = await call(
        command === 'pin' ? 'PUT' : 'DELETE',
        `/admin/comments/${id}/pin`,
      );
      if (response.status !== 200) return fail(response);
      print(
        `${command === 'pin' ? 'Pinned' : 'Unpinned'}: ${line((response.body as { comment: AdminComment }).comment)}`,
      );
      return 0;
    }
    case 'reply': {
      const parentId = option(args, 'parent') ?? null;
      const name = option(args, 'name') ?? 'The editors';
      const id = needTarget('an article id');
      const text = args.slice(2).join(' ');
      if (!text) throw new UsageError('reply needs the text of the comment');
      const response = await call('POST', `/admin/articles/${id}/comments`, {
        name,
        body: text,
        parentId,
      });
      if (response.status !== 201) return fail(response);
      print(`Posted as staff: ${(response.body as { comment: { id: string } }).comment.id}`);
      return 0;
    }
    case 'import': {
      const articleId = option(args, 'article-id');
      const file = args[2];
      if (!target || !file) {
        throw new UsageError(`import needs a source (${SOURCES.join(', ')}) and a file`);
      }
      const io = { call, print, note, progress: process.stderr.isTTY === true };
      return importFile(io, target, file, { articleId, dryRun });
    }
    case 'export': {
      const articleId = option(args, 'article');
      return exportAll({ call, print, note, progress: false }, { articleId });
    }
    case 'export-email': {
      if (!target) throw new UsageError('export-email needs an email address');
      return exportEmail({ call, print, note, progress: false }, target);
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  }
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
