/**
 * The CLI's import and export commands: `import wordpress|disqus|talkback FILE`, `import coral
 * FOLDER`, `export`, and `export-email ADDRESS`. Everything goes through the operators' API, as
 * every other command does.
 */
import { createReadStream, type ReadStream, statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { ArticleState } from '../../lambda/domain/article-settings';
import type { AdminComment } from '../../lambda/domain/comment';
import { normaliseEmail } from '../../lambda/domain/moderation';
import { DEFAULT_SETTINGS, type Settings } from '../../lambda/domain/settings';
import type { AdminArticlePage, AdminCommentPage } from '../../web/shared/admin-api';
import type { AdminResponse } from './client';
import { readCoral } from './import/coral';
import { readDisqus } from './import/disqus';
import { type Call, formatReport, ImportFailedError, runImport } from './import/importer';
import { importInputProblem, type Source } from './import/input-file';
import {
  ARTICLE_ID_MODES,
  type ArticleIdMode,
  type SourceEvent,
  SourceFileError,
} from './import/source';
import {
  type ExportedArticle,
  type ExportedComment,
  exportHeader,
  readTalkbackExport,
} from './import/talkback-jsonl';
import { readWordPress } from './import/wordpress';

export { SOURCES, type Source } from './import/input-file';

export interface TransferIo {
  call: Call;
  /** A line of the command's output (stdout). */
  print: (text: string) => void;
  /** A line for the operator (stderr), kept out of an export written to a file. */
  note: (text: string) => void;
  /** A progress bar on stderr: only when it is a terminal. */
  progress: boolean;
}

/** The deployment's limits and reactions (GET /config), so the CLI checks as the API will. */
async function deployedSettings(call: Call, dryRun: boolean): Promise<Settings> {
  try {
    const response = await call('GET', '/config');
    if (response.status !== 200) throw new Error(`GET /config answered ${response.status}`);
    const config = response.body as Pick<Settings, 'limits' | 'reactions'>;
    return { ...DEFAULT_SETTINGS, limits: config.limits, reactions: config.reactions };
  } catch (error) {
    // A dry run may look at a file with no server running, by the default rules.
    if (dryRun) return DEFAULT_SETTINGS;
    throw error;
  }
}

/** What an import reads: its events, and how far through its bytes it is. */
interface ImportInput {
  size: number;
  bytesRead(): number;
  events: AsyncIterable<SourceEvent>;
}

function input(source: Source, file: string, mode: ArticleIdMode): ImportInput {
  // A Coral export is a folder, read in passes (import/coral.ts).
  if (source === 'coral') return readCoral(file, { articleId: mode });
  const stream: ReadStream = createReadStream(file, { highWaterMark: 64 * 1024 });
  const events =
    source === 'wordpress'
      ? readWordPress(stream, { fileName: file, articleId: mode })
      : source === 'disqus'
        ? readDisqus(stream, { fileName: file, articleId: mode })
        : readTalkbackExport(stream, file);
  return { size: statSync(file).size, bytesRead: () => stream.bytesRead, events };
}

/** `import SOURCE FILE`: a wrong source or file is one line on stderr and exit 2, nothing sent. */
export async function importFile(
  io: TransferIo,
  given: string,
  file: string,
  options: { articleId?: string; dryRun: boolean },
): Promise<number> {
  const problem = importInputProblem(given, file);
  if (problem) {
    io.note(`Cannot import: ${problem}`);
    return 2;
  }
  const source = given as Source;
  const mode = (options.articleId ?? (source === 'disqus' ? 'path' : 'slug')) as ArticleIdMode;
  if (!ARTICLE_ID_MODES.includes(mode)) {
    io.note(`--article-id must be one of ${ARTICLE_ID_MODES.join(', ')}, not ${mode}`);
    return 2;
  }
  const settings = await deployedSettings(io.call, options.dryRun);
  const bar = io.progress
    ? new SingleBar({
        format: 'import [{bar}] {percentage}% | {read} read | {eta}s left',
        stream: process.stderr,
      })
    : undefined;
  const reading = input(source, file, mode);
  bar?.start(reading.size, 0, { read: 0 });
  try {
    const report = await runImport(reading.events, {
      call: io.call,
      settings,
      dryRun: options.dryRun,
      onProgress: (progress) => bar?.update(reading.bytesRead(), { read: progress.read }),
    });
    bar?.update(reading.size, { read: report.read });
    bar?.stop();
    for (const line of formatReport(report, options.dryRun)) io.print(line);
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof SourceFileError || error instanceof ImportFailedError) {
      io.print(`Failed: ${error.message}`);
      io.print(
        'Nothing of the batch being read was sent. Fix the cause and run the same command again: what was imported stays, once.',
      );
      return 1;
    }
    throw error;
  }
}

/** Everything a GET /admin/comments list holds, page by page, following its cursor. */
async function* listed<Item>(
  call: Call,
  list: Record<string, string>,
  itemsOf: (page: AdminCommentPage & AdminArticlePage) => Item[],
): AsyncGenerator<Item, void, undefined> {
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...list, limit: '100', ...(cursor ? { cursor } : {}) });
    const response: AdminResponse = await call('GET', `/admin/comments?${query}`);
    if (response.status !== 200)
      throw new ImportFailedError(`GET /admin/comments answered ${response.status}`);
    const page = response.body as AdminCommentPage & AdminArticlePage;
    for (const item of itemsOf(page)) yield item;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Every comment of every status. */
async function* allComments(call: Call): AsyncGenerator<AdminComment> {
  for (const status of ['published', 'pending', 'spam'] as const) {
    yield* listed(call, { status }, (page) => page.comments);
  }
}

/** Every article with a comment, reactions or closed (`view=articles`). */
function allArticles(call: Call): AsyncGenerator<string> {
  return listed(call, { view: 'articles' }, (page) => page.articles);
}

function exported(comment: AdminComment, parentGone = false): ExportedComment {
  return {
    type: 'comment',
    id: comment.id,
    articleId: comment.articleId,
    parentId: comment.parentId,
    author: { name: comment.author.name, website: comment.author.website },
    email: comment.email,
    body: comment.body,
    status: comment.status,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    staff: comment.author.staff,
    pinned: comment.pinned,
    ...(parentGone ? { parentGone: true as const } : {}),
    verified: comment.author.verified,
    badges: comment.author.badges,
    ...(comment.commenterId === undefined ? {} : { commenterId: comment.commenterId }),
  };
}

/**
 * Every comment of the export, each reply marked when its parent is not among them (its author
 * deleted it). A reply is written at once when its parent was seen; one whose parent has not
 * been seen yet waits for the end (few do: lists run oldest first, status by status).
 */
async function* exportedComments(
  call: Call,
  articleId: string | undefined,
): AsyncGenerator<ExportedComment> {
  const seen = new Set<string>();
  const waiting: AdminComment[] = [];
  for await (const comment of allComments(call)) {
    if (articleId !== undefined && comment.articleId !== articleId) continue;
    seen.add(comment.id);
    if (comment.parentId !== null && !seen.has(comment.parentId)) waiting.push(comment);
    else yield exported(comment);
  }
  for (const reply of waiting) {
    yield exported(reply, !seen.has(reply.parentId ?? ''));
  }
}

/** An article's line: when it is closed or has a setting of its own, else none. */
function articleLine(articleId: string, state: ArticleState): ExportedArticle | undefined {
  const own = {
    ...(state.closeAt === null ? {} : { closeAt: state.closeAt }),
    ...(state.moderation === null ? {} : { moderation: state.moderation }),
    ...(state.commenting === null ? {} : { commenting: state.commenting }),
  };
  if (!state.closed && Object.keys(own).length === 0) return undefined;
  return { type: 'article', articleId, closed: state.closed, ...own };
}

/**
 * `export [--article ID]`: the header, every comment (all statuses, with emails and marks), then
 * each article closed or with settings of its own and each article's reaction counts, in
 * article-id order, one JSON object a line (docs/import-export.md). The articles are those the API
 * lists (any with a comment, reactions, settings or closed) and those of the comments (a table
 * written before the list existed).
 */
export async function exportAll(io: TransferIo, options: { articleId?: string }): Promise<number> {
  io.print(JSON.stringify(exportHeader(new Date())));
  const found = new Set<string>();
  let count = 0;
  for await (const comment of exportedComments(io.call, options.articleId)) {
    io.print(JSON.stringify(comment));
    found.add(comment.articleId);
    count += 1;
  }
  if (options.articleId !== undefined) found.add(options.articleId);
  else for await (const articleId of allArticles(io.call)) found.add(articleId);
  const articles = [...found].sort();
  let closed = 0;
  for (const articleId of articles) {
    const response = await io.call('GET', `/admin/articles/${encodeURIComponent(articleId)}`);
    if (response.status !== 200)
      throw new ImportFailedError(`GET /admin/articles answered ${response.status}`);
    const line = articleLine(articleId, response.body as ArticleState);
    if (line === undefined) continue;
    io.print(JSON.stringify(line));
    if (line.closed) closed += 1;
  }
  let withReactions = 0;
  for (const articleId of articles) {
    const response = await io.call('GET', `/articles/${encodeURIComponent(articleId)}/reactions`);
    if (response.status !== 200)
      throw new ImportFailedError(`GET reactions answered ${response.status}`);
    const { counts } = response.body as { counts: Record<string, number> };
    const nonZero = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
    if (Object.keys(nonZero).length === 0) continue;
    io.print(JSON.stringify({ type: 'reactions', articleId, counts: nonZero }));
    withReactions += 1;
  }
  io.note(
    `Exported ${count} comment(s) of ${articles.length} article(s), ${closed} closed, reaction counts of ${withReactions}. The file holds authors' emails: keep it private.`,
  );
  return 0;
}

/** `export-email ADDRESS`: everything Talkback stores about one address, as one JSON document. */
export async function exportEmail(io: TransferIo, email: string): Promise<number> {
  const wanted = normaliseEmail(email);
  const comments: ExportedComment[] = [];
  for await (const comment of allComments(io.call)) {
    if (comment.email !== null && normaliseEmail(comment.email) === wanted) {
      comments.push(exported(comment));
    }
  }
  io.print(
    JSON.stringify(
      {
        email,
        exportedAt: new Date().toISOString(),
        stored:
          'Each comment below with the name, email and website given with it, its text, dates and moderation status. Talkback also keeps a keyed hash of the address (to recognise a returning author and to find these comments); it keeps no IP address with a comment.',
        comments,
      },
      null,
      2,
    ),
  );
  io.note(`${comments.length} comment(s) by ${email}.`);
  return 0;
}
