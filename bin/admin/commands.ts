/**
 * The CLI's commands (bin/talkback-admin.ts reads the command line and calls one), each given
 * the API and the terminal; the shapes of the answers are the operators' API's own
 * (web/shared/admin-api.ts).
 */
import { readFileSync } from 'node:fs';
import type {
  AdminComment,
  AdminCommentAnswer,
  AdminCommentPage,
  ArticleState,
  ErasureAnswer,
} from '../../web/shared/admin-api';
import { authorAddress } from '../../web/shared/author-address';
import type { AdminResponse } from './client';
import { commenter } from './commenter-command';
import { exportAll, exportEmail, importFile, SOURCES } from './transfer';
import { transparency } from './transparency';

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

/** GET /counts takes at most this many article ids at once (docs/api.md). */
const COUNTS_PER_REQUEST = 100;

const done = (print: () => void) => {
  print();
  return 0;
};

/**
 * approve and spam: a status change, printed with the comment. `--ground` names why a published
 * comment is removed (one of the deployment's decisions.grounds): its author's statement gives it.
 */
const moderate =
  (status: 'published' | 'spam', said: string): Command =>
  async (cx) => {
    const ground = status === 'spam' ? option(cx.args, 'ground') : undefined;
    const id = cx.needTarget('a comment id');
    const answer = await cx.answer<AdminCommentAnswer>(200, 'PATCH', `/admin/comments/${id}`, {
      status,
      ...(ground === undefined ? {} : { ground }),
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

/** A setting given on the command line: `default` (or `none` for a time) gives it back. */
const orDeployment = (value: string | undefined, none: string): string | null | undefined =>
  value === undefined ? undefined : value === none ? null : value;

/** `--close-at`: a time as JavaScript reads it (a date alone is midnight UTC), or `none`. */
function closeAtOption(args: string[]): string | null | undefined {
  const value = orDeployment(option(args, 'close-at'), 'none');
  if (typeof value !== 'string') return value;
  const time = new Date(value);
  if (!Number.isFinite(time.getTime())) {
    throw new UsageError(`--close-at needs a time such as 2026-12-24T18:00Z or none, got ${value}`);
  }
  return time.toISOString();
}

/** A flag without a value (`--open`), taken out of `args`. */
function flag(args: string[], name: string): boolean {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) args.splice(index, 1);
  return index >= 0;
}

/** One line of an article's settings: each one its own or the deployment's. */
function articleLine(article: ArticleState): string {
  const own = (value: string | null, what: string) =>
    value === null ? `${what} as the deployment's` : `${what} ${value}`;
  const closing = article.open
    ? article.closesAt === null
      ? 'open'
      : `open until ${article.closesAt}${article.closeAt === null ? ' (autoCloseDays)' : ''}`
    : 'closed to new comments';
  return [
    `${article.articleId}: ${closing}`,
    own(article.moderation, 'moderation'),
    own(article.commenting, 'commenting'),
    `${article.commentCount} published`,
  ].join(' · ');
}

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
  commenter,
  reopen: closing(false),
  transparency: (cx) => transparency(cx),
  /**
   * article <id> [--moderation none|first-time|all|default] [--commenting anyone|signed-in|
   * badge:NAME|default] [--close-at TIME|none] [--open|--close]: shows the article, after changing
   * what is given.
   */
  async article(cx) {
    const args = [...cx.args];
    const change: Record<string, unknown> = {};
    const moderation = orDeployment(option(args, 'moderation'), 'default');
    const commenting = orDeployment(option(args, 'commenting'), 'default');
    const closeAt = closeAtOption(args);
    if (moderation !== undefined) change.moderation = moderation;
    if (commenting !== undefined) change.commenting = commenting;
    if (closeAt !== undefined) change.closeAt = closeAt;
    const open = flag(args, 'open');
    const close = flag(args, 'close');
    if (open && close) throw new UsageError('article takes --open or --close, not both');
    if (open || close) change.open = open;
    const unknown = args.slice(2).find((arg) => arg.startsWith('--'));
    if (unknown) throw new UsageError(`article does not take ${unknown}`);
    const id = cx.needTarget('an article id');
    const path = `/admin/articles/${id}`;
    const answer =
      Object.keys(change).length === 0
        ? await cx.answer<ArticleState>(200, 'GET', path)
        : await cx.answer<ArticleState>(200, 'PATCH', path, change);
    return answer ? done(() => cx.print(articleLine(answer))) : 1;
  },
  pin: marking('pin', 'PUT', 'Pinned'),
  unpin: marking('pin', 'DELETE', 'Unpinned'),
  feature: marking('feature', 'PUT', 'Featured'),
  unfeature: marking('feature', 'DELETE', 'No longer featured'),
  /**
   * list-articles <articleId>...: the one-off backfill of the articles index (docs/import-export.md).
   * A table written before the index has articles with reactions, or closed, that no comment
   * leads the export to. For each id given that holds reactions or its own state, the article is
   * written again with its current moderation setting, a change of nothing that lists it, as every
   * write of an article's state does; an id holding nothing is left alone (nothing is created).
   */
  async 'list-articles'(cx) {
    const ids = cx.args.slice(1);
    if (ids.length === 0)
      throw new UsageError('list-articles needs the ids of the articles to list');
    let listed = 0;
    for (let start = 0; start < ids.length; start += COUNTS_PER_REQUEST) {
      const chunk = ids.slice(start, start + COUNTS_PER_REQUEST);
      const counts = await cx.answer<{ articles: Record<string, { reactionTotal: number }> }>(
        200,
        'GET',
        `/counts?articles=${chunk.map(encodeURIComponent).join(',')}`,
      );
      if (!counts) return 1;
      for (const articleId of chunk) {
        const path = `/admin/articles/${encodeURIComponent(articleId)}`;
        const state = await cx.answer<ArticleState>(200, 'GET', path);
        if (!state) return 1;
        const own =
          state.closed || state.moderation !== null || state.commenting !== null || state.closeAt;
        if ((counts.articles[articleId]?.reactionTotal ?? 0) === 0 && !own) {
          cx.print(`${articleId}: no reactions or settings stored, left alone.`);
          continue;
        }
        const written = await cx.answer<ArticleState>(200, 'PATCH', path, {
          moderation: state.moderation,
        });
        if (!written) return 1;
        listed += 1;
        cx.print(`${articleId}: listed.`);
      }
    }
    return done(() => cx.print(`Listed ${listed} of ${ids.length} article(s).`));
  },
  /**
   * rules [--get | --put FILE]: prints the house rules as JSON (the body a PUT takes), or
   * replaces them with FILE's and prints what was stored.
   */
  async rules(cx) {
    const args = [...cx.args];
    const file = option(args, 'put');
    flag(args, 'get');
    const unknown = args.slice(1).find((arg) => arg.startsWith('--'));
    if (unknown) throw new UsageError(`rules does not take ${unknown}`);
    let body: unknown;
    if (file !== undefined) {
      try {
        body = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`rules --put needs a JSON file: ${(error as Error).message}`);
      }
    }
    const answer =
      file === undefined
        ? await cx.answer(200, 'GET', '/admin/house-rules')
        : await cx.answer(200, 'PUT', '/admin/house-rules', body);
    return answer ? done(() => cx.print(JSON.stringify(answer, null, 2))) : 1;
  },
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
