/**
 * The CLI's commands (bin/talkback-admin.ts reads the command line and calls one), each given
 * the API and the terminal; the shapes of the answers are the operators' API's own
 * (web/shared/admin-api.ts).
 */
import type {
  AdminComment,
  AdminCommentAnswer,
  AdminCommentPage,
  ErasureAnswer,
} from '../../web/shared/admin-api';
import { authorAddress } from '../../web/shared/author-address';
import type { AdminResponse } from './client';
import { exportAll, exportEmail, importFile, SOURCES } from './transfer';

export class UsageError extends Error {}

/** Reads `--name value` out of `args` (and removes it). */
export function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined) throw new UsageError(`--${name} needs a value`);
  args.splice(index, 2);
  return value;
}

function line(comment: AdminComment): string {
  const excerpt = comment.body.replace(/\s+/g, ' ').slice(0, 60);
  const who = comment.email
    ? `${comment.author.name} <${comment.email}>`
    : `${comment.author.name} (${authorAddress(comment)})`;
  return `${comment.id}  ${comment.createdAt}  ${comment.articleId}  ${comment.status}  ${who}  "${excerpt}"`;
}

/** What a command is given: its arguments, the API and the terminal. */
export interface Context {
  /** The command line without the options already read. */
  args: string[];
  /** The command's first argument. */
  target: string | undefined;
  dryRun: boolean;
  call: (method: string, path: string, body?: unknown) => Promise<AdminResponse>;
  /** The answer's body when the API answered `expected`; else undefined, the failure printed. */
  answer: <T>(
    expected: number,
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<T | undefined>;
  /** The target, URL-encoded, or a usage error naming what is missing. */
  needTarget: (what: string) => string;
  print: (text: string) => void;
  note: (text: string) => void;
}

type Command = (cx: Context) => Promise<number>;

const done = (print: () => void) => {
  print();
  return 0;
};

/** approve and spam: a status change, printed with the comment. */
const moderate =
  (status: 'published' | 'spam', said: string): Command =>
  async (cx) => {
    const id = cx.needTarget('a comment id');
    const answer = await cx.answer<AdminCommentAnswer>(200, 'PATCH', `/admin/comments/${id}`, {
      status,
    });
    return answer ? done(() => cx.print(`${said}: ${line(answer.comment)}`)) : 1;
  };

/** close and reopen. */
const closing =
  (closed: boolean): Command =>
  async (cx) => {
    const id = cx.needTarget('an article id');
    const answer = await cx.answer(200, 'PATCH', `/admin/articles/${id}`, { closed });
    if (!answer) return 1;
    return done(() =>
      cx.print(closed ? `Closed ${cx.target} to new comments.` : `Reopened ${cx.target}.`),
    );
  };

/** pin and unpin; feature and unfeature (an Editor's Pick). */
const marking =
  (mark: 'pin' | 'feature', method: 'PUT' | 'DELETE', said: string): Command =>
  async (cx) => {
    const id = cx.needTarget('a comment id');
    const answer = await cx.answer<AdminCommentAnswer>(
      200,
      method,
      `/admin/comments/${id}/${mark}`,
    );
    return answer ? done(() => cx.print(`${said}: ${line(answer.comment)}`)) : 1;
  };

/** Every command but invite (which calls Cognito, not the API), by name. */
export const COMMANDS: Record<string, Command> = {
  async pending(cx) {
    const status = option(cx.args, 'status') ?? 'pending';
    const limit = option(cx.args, 'limit') ?? '50';
    const query = new URLSearchParams({ status, limit }).toString();
    const page = await cx.answer<AdminCommentPage>(200, 'GET', `/admin/comments?${query}`);
    if (!page) return 1;
    if (page.comments.length === 0) cx.print(`No ${status} comments.`);
    for (const comment of page.comments) cx.print(line(comment));
    if (page.nextCursor) cx.print(`(more: raise --limit to see them)`);
    return 0;
  },
  approve: moderate('published', 'Published'),
  spam: moderate('spam', 'Marked as spam'),
  async delete(cx) {
    const id = cx.needTarget('a comment id');
    const answer = await cx.answer(204, 'DELETE', `/admin/comments/${id}`);
    return answer === undefined ? 1 : done(() => cx.print(`Deleted ${cx.target}.`));
  },
  async erase(cx) {
    if (!cx.target) throw new UsageError('erase needs an email address');
    const answer = await cx.answer<ErasureAnswer>(200, 'POST', '/admin/erasures', {
      email: cx.target,
    });
    if (!answer) return 1;
    return done(() => cx.print(`Erased the author details of ${answer.erased} comment(s).`));
  },
  close: closing(true),
  reopen: closing(false),
  pin: marking('pin', 'PUT', 'Pinned'),
  unpin: marking('pin', 'DELETE', 'Unpinned'),
  feature: marking('feature', 'PUT', 'Featured'),
  unfeature: marking('feature', 'DELETE', 'No longer featured'),
  async reply(cx) {
    const parentId = option(cx.args, 'parent') ?? null;
    const name = option(cx.args, 'name') ?? 'The editors';
    const id = cx.needTarget('an article id');
    const text = cx.args.slice(2).join(' ');
    if (!text) throw new UsageError('reply needs the text of the comment');
    const answer = await cx.answer<AdminCommentAnswer>(
      201,
      'POST',
      `/admin/articles/${id}/comments`,
      {
        name,
        body: text,
        parentId,
      },
    );
    return answer ? done(() => cx.print(`Posted as staff: ${answer.comment.id}`)) : 1;
  },
  async import(cx) {
    const articleId = option(cx.args, 'article-id');
    const [, source, file] = cx.args;
    // The source's name is checked by importFile, which says what is wrong in words.
    if (!source || !file) {
      throw new UsageError(`import needs a source (${SOURCES.join(', ')}) and a file`);
    }
    const io = {
      call: cx.call,
      print: cx.print,
      note: cx.note,
      progress: process.stderr.isTTY === true,
    };
    return importFile(io, source, file, { articleId, dryRun: cx.dryRun });
  },
  async export(cx) {
    const articleId = option(cx.args, 'article');
    return exportAll(
      { call: cx.call, print: cx.print, note: cx.note, progress: false },
      { articleId },
    );
  },
  async 'export-email'(cx) {
    if (!cx.target) throw new UsageError('export-email needs an email address');
    return exportEmail(
      { call: cx.call, print: cx.print, note: cx.note, progress: false },
      cx.target,
    );
  },
};
