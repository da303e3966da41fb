/**
 * The import pipeline shared by every source: resolve each reply's parent to its Talkback id
 * (holding a reply until its parent has been read), check each comment by Talkback's own rules,
 * and send batches to POST /admin/imports, retrying throttled and failed requests. A rerun of the
 * same file sends the same ids, which the API writes once: resuming is running it again.
 */
import * as v from 'valibot';
import type { CommentStatus } from '../../../lambda/domain/comment';
import {
  buildImportSchemas,
  IMPORT_BATCH_MAX,
  type ImportComment,
} from '../../../lambda/domain/imports';
import { normaliseEmail } from '../../../lambda/domain/moderation';
import type { Settings } from '../../../lambda/domain/settings';
import { articleIdSchema, buildSchemas } from '../../../lambda/domain/validation';
import type { AdminResponse } from '../client';
import type { SkippedComment, SourceComment, SourceEvent } from './source';
import { ThreadResolver } from './thread-resolver';

/**
 * Requests under way at once; each waits for the batches holding its comments' parents. Three keep
 * DynamoDB Local writing while the CLI and the server prepare the next (measured on 100,000
 * comments: one 884/s, two 925-1,112/s, three 1,094-1,174/s, four 1,145/s; docs/import-export.md).
 */
const CONCURRENCY = 3;
/** Bytes of JSON per request, under the route's 1 MiB. */
const BATCH_MAX_BYTES = 800 * 1024;
/** Tries of one batch against 429, 503 and dropped connections, backing off in between. */
const SEND_ATTEMPTS = 8;
/**
 * Authors remembered as recorded (see `authorRecorded`): enough for a large site's regulars;
 * past it, later authors' records are written again, which costs a write and changes nothing.
 */
const RECORDED_AUTHORS_MAX = 100_000;

export type Call = (method: string, path: string, body?: unknown) => Promise<AdminResponse>;

export interface ImportReport {
  /** Comments read from the file. */
  read: number;
  /** Written by this run (with --dry-run: that would be sent). */
  imported: Record<CommentStatus, number>;
  /** Already in Talkback from an earlier run. */
  existing: number;
  skipped: Map<string, number>;
  /** Article ids that do not fit the rule, with how many comments each had. */
  badArticleIds: Map<string, number>;
  reactions: { imported: number; existing: number };
  /** Comments pinned again and articles closed again (a Talkback export, closed Coral stories). */
  pinned: number;
  closed: number;
  /** Articles whose own settings (closeAt, moderation, commenting) were set again. */
  articleSettings: number;
}

export interface ImportOptions {
  call: Call;
  settings: Settings;
  dryRun: boolean;
  /** Told after every event read, to move a progress bar. */
  onProgress?: (report: ImportReport) => void;
  /** Waits between tries; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

export class ImportFailedError extends Error {
  override name = 'ImportFailedError';
}

function emptyReport(): ImportReport {
  return {
    read: 0,
    imported: { published: 0, pending: 0, spam: 0 },
    existing: 0,
    skipped: new Map(),
    badArticleIds: new Map(),
    reactions: { imported: 0, existing: 0 },
    pinned: 0,
    closed: 0,
    articleSettings: 0,
  };
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

export async function runImport(
  events: AsyncIterable<SourceEvent>,
  options: ImportOptions,
): Promise<ImportReport> {
  const report = emptyReport();
  const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  const { comment: commentSchema } = buildImportSchemas(
    buildSchemas(options.settings),
    options.settings.reactions.map((reaction) => reaction.key),
  );
  const reactionKeys = new Set(options.settings.reactions.map((reaction) => reaction.key));
  const inFlight = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let failure: unknown;
  /** Checked comments not yet sent, in the order their parents allow. */
  const queued: { comment: ImportComment; bytes: number }[] = [];
  let queuedBytes = 0;
  /**
   * Normalised emails of authors whose published comment the API reported imported: that
   * comment's transaction wrote the author's record, so later batches need not write it again.
   */
  const recordedAuthors = new Set<string>();
  const recorded = (comment: ImportComment) =>
    comment.email !== null && recordedAuthors.has(normaliseEmail(comment.email));

  const skip = (skipped: SkippedComment) => {
    bump(report.skipped, skipped.reason);
    if (skipped.badArticleId !== undefined) bump(report.badArticleIds, skipped.badArticleId);
  };

  /** Sends one batch, again after a 429/503 or a dropped connection, until it is answered. */
  const post = async (body: unknown): Promise<AdminResponse> => {
    for (let attempt = 1; ; attempt++) {
      let response: AdminResponse | undefined;
      try {
        response = await options.call('POST', '/admin/imports', body);
      } catch (error) {
        if (attempt >= SEND_ATTEMPTS) throw error;
      }
      if (response && response.status !== 429 && response.status !== 503) return response;
      if (attempt >= SEND_ATTEMPTS) {
        throw new ImportFailedError(
          `the API stayed busy (${response?.status}) after ${attempt} tries`,
        );
      }
      const backoff = Math.min(30_000, 250 * 2 ** (attempt - 1));
      await sleep(
        response?.retryAfterSeconds === undefined ? backoff : response.retryAfterSeconds * 1000,
      );
    }
  };

  const send = async (comments: ImportComment[], after: Set<Promise<void>>): Promise<void> => {
    await Promise.all(after);
    let left = comments;
    while (left.length > 0) {
      const response = await post({ comments: left });
      if (response.status === 400) {
        // The API checks with its own configuration: leave out what it refused, send the rest.
        const refused = refusedComments(response.body);
        if (refused.size === 0) throw new ImportFailedError(describeFailure(response));
        left.forEach((comment, index) => {
          const reason = refused.get(index);
          if (reason) skip({ sourceId: comment.id, reason });
        });
        left = left.filter((_, index) => !refused.has(index));
        continue;
      }
      if (response.status !== 200) throw new ImportFailedError(describeFailure(response));
      const result = response.body as {
        imported: string[];
        existing: string[];
        parentMissing: string[];
      };
      const sent = new Map(left.map((comment) => [comment.id, comment]));
      for (const id of result.imported) {
        const comment = sent.get(id);
        report.imported[comment?.status ?? 'published'] += 1;
        if (
          comment?.status === 'published' &&
          comment.email !== null &&
          recordedAuthors.size < RECORDED_AUTHORS_MAX
        )
          recordedAuthors.add(normaliseEmail(comment.email));
      }
      report.existing += result.existing.length;
      for (const _ of result.parentMissing) bump(report.skipped, 'its parent is not in Talkback');
      return;
    }
  };

  /** Sends the first comments queued that fit one request. */
  const flushOne = async () => {
    let bytes = 0;
    let count = 0;
    while (
      count < queued.length &&
      count < IMPORT_BATCH_MAX &&
      (count === 0 || bytes + (queued[count]?.bytes ?? 0) <= BATCH_MAX_BYTES)
    ) {
      bytes += queued[count]?.bytes ?? 0;
      count += 1;
    }
    const comments = queued
      .splice(0, count)
      .map(({ comment }) => (recorded(comment) ? { ...comment, authorRecorded: true } : comment));
    queuedBytes -= bytes;
    if (options.dryRun) {
      for (const comment of comments) report.imported[comment.status] += 1;
      return;
    }
    // A reply waits for the request that carries its parent, so its parent is there first.
    const after = new Set<Promise<void>>();
    for (const comment of comments) {
      const parent = comment.parentId === null ? undefined : inFlight.get(comment.parentId);
      if (parent) after.add(parent);
    }
    const sending = send(comments, after).catch((error: unknown) => {
      failure ??= error;
    });
    for (const comment of comments) inFlight.set(comment.id, sending);
    running.add(sending);
    void sending.finally(() => {
      running.delete(sending);
      for (const comment of comments) {
        if (inFlight.get(comment.id) === sending) inFlight.delete(comment.id);
      }
    });
    if (running.size >= CONCURRENCY) await Promise.race(running);
  };

  /** Sends every full request's worth queued; at the end, everything queued. */
  const drain = async (final: boolean) => {
    while (
      !failure &&
      (queued.length >= IMPORT_BATCH_MAX ||
        queuedBytes >= BATCH_MAX_BYTES ||
        (final && queued.length > 0))
    ) {
      await flushOne();
    }
  };

  const accept = (source: SourceComment, parentId: string | null): boolean => {
    const checked = v.safeParse(commentSchema, {
      id: source.id,
      articleId: source.articleId,
      parentId,
      name: source.name,
      email: source.email,
      website: source.website,
      body: source.body,
      status: source.status,
      createdAt: source.createdAt,
      editedAt: source.editedAt,
      ...(source.staff ? { staff: true } : {}),
      ...(source.parentGone ? { parentGone: true } : {}),
      ...(source.verified ? { verified: true } : {}),
      ...(source.badges && source.badges.length > 0 ? { badges: source.badges } : {}),
      ...(source.commenterId === undefined ? {} : { commenterId: source.commenterId }),
    });
    if (!checked.success) {
      const issue = checked.issues[0];
      const field = v.getDotPath(issue) ?? 'comment';
      skip({ sourceId: source.sourceId, reason: `${field} ${issue.message}` });
      return false;
    }
    if (source.pinned) pinned.push(source.id);
    const bytes = Buffer.byteLength(JSON.stringify(checked.output));
    queued.push({ comment: checked.output, bytes });
    queuedBytes += bytes;
    return true;
  };

  const resolver = new ThreadResolver(accept, skip);
  const reactions: { articleId: string; counts: Record<string, number> }[] = [];
  /** Comments to pin, and articles to close or set, once every comment is in. */
  const pinned: string[] = [];
  const articles: ArticleEvent[] = [];

  for await (const event of events) {
    if (failure) break;
    if (event.kind === 'comment') {
      report.read += 1;
      const { comment } = event;
      if (!v.is(articleIdSchema, comment.articleId)) {
        resolver.skipped({
          sourceId: comment.sourceId,
          reason: 'article id does not fit the rule',
          badArticleId: comment.articleId,
        });
      } else {
        resolver.add(comment);
      }
    } else if (event.kind === 'skipped') {
      report.read += 1;
      resolver.skipped(event.skipped);
    } else if (event.kind === 'thread-end') {
      resolver.end();
    } else if (event.kind === 'article') {
      // An article whose id does not fit has its comments reported; its settings go with them.
      if (v.is(articleIdSchema, event.articleId)) articles.push(event);
    } else {
      const unknown = Object.keys(event.counts).filter((key) => !reactionKeys.has(key));
      if (unknown.length > 0)
        bump(report.skipped, `reactions not configured: ${unknown.join(', ')}`);
      else reactions.push({ articleId: event.articleId, counts: event.counts });
    }
    await drain(false);
    options.onProgress?.(report);
  }
  if (!failure) {
    resolver.end();
    await drain(true);
  }
  await Promise.all(running);
  if (failure) throw failure;
  if (reactions.length > 0) await sendReactions(reactions, options, report, post);
  await restoreMarks({ pinned, articles }, options, report);
  return report;
}

type ArticleEvent = Extract<SourceEvent, { kind: 'article' }>;

/** What PATCH /admin/articles takes for an article's line: its close and its own settings. */
function articleChange(article: ArticleEvent): Record<string, unknown> {
  return {
    ...(article.closed ? { closed: true } : {}),
    ...(article.closeAt === undefined ? {} : { closeAt: article.closeAt }),
    ...(article.moderation === undefined ? {} : { moderation: article.moderation }),
    ...(article.commenting === undefined ? {} : { commenting: article.commenting }),
  };
}

/**
 * Pins, closed articles and articles' own settings, through the operators' routes as a moderator
 * sets them; each is idempotent, so a rerun sets them again to no effect. A pin the API refuses
 * (the comment was left out, or the article has its five) is counted, not fatal; so is a setting
 * this deployment refuses (a badge it does not list, a mode with no reader issuer).
 */
async function restoreMarks(
  marks: { pinned: string[]; articles: ArticleEvent[] },
  options: ImportOptions,
  report: ImportReport,
): Promise<void> {
  const changes = marks.articles
    .map((article) => ({ article, change: articleChange(article) }))
    .filter(({ change }) => Object.keys(change).length > 0);
  const hasSettings = (change: Record<string, unknown>) =>
    Object.keys(change).some((name) => name !== 'closed');
  if (options.dryRun) {
    report.pinned += marks.pinned.length;
    report.closed += changes.filter(({ article }) => article.closed).length;
    report.articleSettings += changes.filter(({ change }) => hasSettings(change)).length;
    return;
  }
  for (const id of marks.pinned) {
    const response = await options.call('PUT', `/admin/comments/${encodeURIComponent(id)}/pin`);
    if (response.status === 200) report.pinned += 1;
    else if (response.status === 404 || response.status === 409)
      bump(report.skipped, 'pin refused');
    else throw new ImportFailedError(describeFailure(response));
  }
  for (const { article, change } of changes) {
    const path = `/admin/articles/${encodeURIComponent(article.articleId)}`;
    const response = await options.call('PATCH', path, change);
    if (response.status === 400) {
      bump(report.skipped, `article settings refused: ${fieldsOf(response.body)}`);
      continue;
    }
    if (response.status !== 200) throw new ImportFailedError(describeFailure(response));
    if (article.closed) report.closed += 1;
    if (hasSettings(change)) report.articleSettings += 1;
  }
}

/** The fields a 400 names, with their messages. */
function fieldsOf(body: unknown): string {
  const errors = (body as { errors?: { field: string; message: string }[] } | null)?.errors ?? [];
  return errors.map(({ field, message }) => `${field} ${message}`).join('; ');
}

async function sendReactions(
  reactions: { articleId: string; counts: Record<string, number> }[],
  options: ImportOptions,
  report: ImportReport,
  post: (body: unknown) => Promise<AdminResponse>,
): Promise<void> {
  for (let start = 0; start < reactions.length; start += IMPORT_BATCH_MAX) {
    const slice = reactions.slice(start, start + IMPORT_BATCH_MAX);
    if (options.dryRun) {
      report.reactions.imported += slice.length;
      continue;
    }
    const response = await post({ reactions: slice });
    if (response.status !== 200) throw new ImportFailedError(describeFailure(response));
    const result = response.body as { reactionsImported: string[]; reactionsExisting: string[] };
    report.reactions.imported += result.reactionsImported.length;
    report.reactions.existing += result.reactionsExisting.length;
  }
}

/** The comments a 400 names (`comments.<index>.<field>`), with the first message of each. */
function refusedComments(body: unknown): Map<number, string> {
  const refused = new Map<number, string>();
  const errors = (body as { errors?: { field: string; message: string }[] } | null)?.errors ?? [];
  for (const { field, message } of errors) {
    const match = /^comments\.(\d+)\.(.+)$/.exec(field);
    if (match && !refused.has(Number(match[1])))
      refused.set(Number(match[1]), `${match[2]} ${message}`);
  }
  return refused;
}

function describeFailure({ status, body }: AdminResponse): string {
  const problem = (body ?? {}) as { detail?: string };
  return `the API answered ${status}: ${problem.detail ?? 'request failed'}`;
}

/** The report as lines for the terminal. */
export function formatReport(report: ImportReport, dryRun: boolean): string[] {
  const { published, pending, spam } = report.imported;
  const total = published + pending + spam;
  const skipped = [...report.skipped.values()].reduce((sum, count) => sum + count, 0);
  const lines = [
    `${dryRun ? 'Would import' : 'Imported'} ${total} comment(s): ${published} published, ${pending} pending, ${spam} spam.`,
    `Already in Talkback (left as they were): ${report.existing}.`,
    `Read ${report.read} comment(s) from the file; skipped ${skipped}${skipped > 0 ? ':' : '.'}`,
    ...[...report.skipped.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `  ${count}  ${reason}`),
  ];
  if (report.badArticleIds.size > 0) {
    lines.push(
      'Article ids that do not fit the rule (1-128 characters of A-Z a-z 0-9 - _ . ~); try another --article-id:',
      ...[...report.badArticleIds.entries()]
        .slice(0, 20)
        .map(([id, count]) => `  ${JSON.stringify(id)} (${count} comment(s))`),
    );
    if (report.badArticleIds.size > 20)
      lines.push(`  … and ${report.badArticleIds.size - 20} more`);
  }
  if (report.pinned + report.closed > 0) {
    lines.push(
      `${dryRun ? 'Would pin' : 'Pinned'} ${report.pinned} comment(s); ${dryRun ? 'would close' : 'closed'} ${report.closed} article(s).`,
    );
  }
  if (report.articleSettings > 0) {
    lines.push(
      `${dryRun ? 'Would set' : 'Set'} the own settings of ${report.articleSettings} article(s).`,
    );
  }
  if (report.reactions.imported + report.reactions.existing > 0) {
    lines.push(
      `Reaction counts: ${dryRun ? 'would import' : 'imported'} for ${report.reactions.imported} article(s), ${report.reactions.existing} already imported.`,
    );
  }
  return lines;
}
