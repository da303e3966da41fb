/**
 * Talkback's own export: JSON Lines, one JSON object a line. The first line is the header
 * `{"format":"talkback-export","version":2,"exportedAt":"…"}`; then a `comment` line per comment
 * (with its moderation state, its marks and its author's email: the file is private), an
 * `article` line per closed article and a `reactions` line per article with reactions. Version 2
 * added the marks (`staff`, `pinned`), `parentGone` (a reply whose parent its author deleted) and
 * the `article` lines; version 1 files are still read. A reader refuses a version it does not know.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { type SourceEvent, SourceFileError } from './source';

export const EXPORT_FORMAT = 'talkback-export';
export const EXPORT_VERSION = 2;
/** Versions this CLI reads: 1 lacks what version 2 added, which reads as absent. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
}

export interface ExportedComment {
  type: 'comment';
  id: string;
  articleId: string;
  parentId: string | null;
  author: { name: string; website: string | null };
  email: string | null;
  body: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
  /** Posted by the newsroom (version 2). */
  staff: boolean;
  /** Shown first on its article (version 2). */
  pinned: boolean;
  /** A reply whose parent is no longer there: its author deleted it (version 2). */
  parentGone?: true;
}

/** An article's own state: written only for a closed article (version 2). */
export interface ExportedArticle {
  type: 'article';
  articleId: string;
  closed: boolean;
}

export interface ExportedReactions {
  type: 'reactions';
  articleId: string;
  counts: Record<string, number>;
}

export type ExportLine = ExportedComment | ExportedArticle | ExportedReactions;

export function exportHeader(now: Date): ExportHeader {
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString() };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The comments and reaction counts of an export, line by line. */
export async function* readTalkbackExport(
  input: Readable,
  fileName: string,
): AsyncGenerator<SourceEvent> {
  let lineNumber = 0;
  const fail = (message: string) => new SourceFileError(`${fileName}:${lineNumber}: ${message}`);
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw fail('not a JSON value');
    }
    if (!isObject(value)) throw fail('not a JSON object');
    if (lineNumber === 1) {
      if (value.format !== EXPORT_FORMAT) throw fail(`not a ${EXPORT_FORMAT} file (no header)`);
      if (!READABLE_VERSIONS.includes(value.version)) {
        throw fail(
          `format version ${String(value.version)}; this CLI reads ${READABLE_VERSIONS.join(' and ')}`,
        );
      }
      continue;
    }
    if (
      value.type === 'reactions' &&
      typeof value.articleId === 'string' &&
      isObject(value.counts)
    ) {
      yield {
        kind: 'reactions',
        articleId: value.articleId,
        counts: value.counts as Record<string, number>,
      };
      continue;
    }
    if (value.type === 'article' && typeof value.articleId === 'string') {
      yield { kind: 'article', articleId: value.articleId, closed: value.closed === true };
      continue;
    }
    if (value.type !== 'comment' || typeof value.id !== 'string') {
      throw fail('neither a comment, an article nor a reactions line');
    }
    const author = isObject(value.author) ? value.author : {};
    yield {
      kind: 'comment',
      comment: {
        sourceId: value.id,
        parentSourceId: textOrNull(value.parentId),
        id: value.id,
        articleId: String(value.articleId ?? ''),
        name: String(author.name ?? ''),
        email: textOrNull(value.email),
        website: textOrNull(author.website),
        body: String(value.body ?? ''),
        status: value.status as CommentStatus,
        createdAt: String(value.createdAt ?? ''),
        editedAt: textOrNull(value.editedAt),
        // An export's ids are Talkback's: a parent absent from the file may be on the target.
        parentId: textOrNull(value.parentId),
        parentGone: value.parentGone === true,
        staff: author.staff === true || value.staff === true,
        pinned: value.pinned === true,
      },
    };
  }
}
