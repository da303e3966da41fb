/**
 * Talkback's own export: JSON Lines, one JSON object a line. The first line is the header
 * `{"format":"talkback-export","version":3,"exportedAt":"…"}`; then a `comment` line per comment
 * (with its moderation state, its marks and its author's email: the file is private), an
 * `article` line per article that is closed or has settings of its own, and a `reactions` line
 * per article with reactions. Version 2 added the marks (`staff`, `pinned`), `parentGone` (a
 * reply whose parent its author deleted) and the `article` lines; version 3 a signed-in reader's
 * `verified`, `badges` and `commenterId`, and an article's own `closeAt`, `moderation` and
 * `commenting`. Versions 1 and 2 are still read, what they lack as absent. A reader refuses a
 * version it does not know.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { type SourceEvent, SourceFileError } from './source';

export const EXPORT_FORMAT = 'talkback-export';
export const EXPORT_VERSION = 3;
/** Versions this CLI reads: what a later version added reads as absent from an earlier one. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2, 3];

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
  /** Written by a signed-in reader (version 3). */
  verified: boolean;
  /** The reader's allowed badges when written (version 3). */
  badges: string[];
  /** The signed-in reader's id at the site, when written by one (version 3). */
  commenterId?: string;
}

/**
 * An article's own state: written for an article that is closed (version 2) or has a setting of
 * its own (version 3: `closeAt`, `moderation`, `commenting`, each absent for the deployment's).
 */
export interface ExportedArticle {
  type: 'article';
  articleId: string;
  closed: boolean;
  closeAt?: string;
  moderation?: string;
  commenting?: string;
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
          `format version ${String(value.version)}; this CLI reads ${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${String(READABLE_VERSIONS.at(-1))}`,
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
      const text = (name: string) =>
        typeof value[name] === 'string' ? { [name]: value[name] as string } : {};
      yield {
        kind: 'article',
        articleId: value.articleId,
        closed: value.closed === true,
        ...text('closeAt'),
        ...text('moderation'),
        ...text('commenting'),
      };
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
        verified: value.verified === true,
        badges: Array.isArray(value.badges) ? value.badges.map(String) : [],
        ...(typeof value.commenterId === 'string' ? { commenterId: value.commenterId } : {}),
      },
    };
  }
}
