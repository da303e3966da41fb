/**
 * Talkback's own export: JSON Lines, one JSON object a line. The first line is the header
 * `{"format":"talkback-export","version":1,"exportedAt":"…"}`; then a `comment` line per comment
 * (with its moderation state and its author's email: the file is private) and a `reactions` line
 * per article with reactions. A reader refuses a version it does not know.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { type SourceEvent, SourceFileError } from './source';

export const EXPORT_FORMAT = 'talkback-export';
export const EXPORT_VERSION = 1;

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
}

export interface ExportedReactions {
  type: 'reactions';
  articleId: string;
  counts: Record<string, number>;
}

export type ExportLine = ExportedComment | ExportedReactions;

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
      if (value.version !== EXPORT_VERSION) {
        throw fail(`format version ${String(value.version)}; this CLI reads ${EXPORT_VERSION}`);
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
    if (value.type !== 'comment' || typeof value.id !== 'string') {
      throw fail('neither a comment nor a reactions line');
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
      },
    };
  }
}
