/**
 * Reads a Coral (coralproject/talk) export: a folder holding `mongoexport`'s line-delimited
 * extended JSON of three collections, each document as Coral's models define it
 * (server/src/core/server/models in Coral's repository):
 *
 *   stories.json   { id, url, closedAt?: Date | false | null, settings?: { moderation?: PRE|POST } }
 *   users.json     { id, username?, email?, profiles?: [{ type: "sso"|"oidc"|…, id }], deletedAt? }
 *   comments.json  { id, storyID, authorID, parentID?, status, revisions: [{ body, createdAt }],
 *                    tags?: [{ type }], createdAt, deletedAt? }
 *
 * Four passes, each a stream of lines, so memory follows the authors and stories the comments
 * name, not the files: the comments once for the ids they need, the stories and the users for
 * those ids only, then the comments again, each becoming a Talkback comment (docs/import-export.md).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { ERASED_AUTHOR_NAME } from '../../../lambda/domain/comment';
import { importedCommentId } from '../../../lambda/domain/imports';
import { htmlToText } from './html-text';
import {
  type ArticleIdMode,
  articleIdFromLink,
  type SourceComment,
  type SourceEvent,
  SourceFileError,
} from './source';

/** The three collections, by the name of their file in the folder (`.json` or `.jsonl`). */
export const CORAL_COLLECTIONS = ['stories', 'users', 'comments'] as const;
type Collection = (typeof CORAL_COLLECTIONS)[number];

/** Coral's comment statuses (its GraphQL schema's COMMENT_STATUS) as Talkback's. */
const STATUSES: Record<string, CommentStatus> = {
  NONE: 'published',
  APPROVED: 'published',
  PREMOD: 'pending',
  SYSTEM_WITHHELD: 'pending',
  REJECTED: 'spam',
};

/** Coral's tags that say the newsroom wrote the comment (its STAFF_TAGS). */
const STAFF_TAGS = new Set(['STAFF', 'ADMIN', 'MODERATOR']);

/** The file of a collection in `dir`, or undefined when there is none. */
export function coralFile(dir: string, collection: Collection): string | undefined {
  for (const extension of ['json', 'jsonl']) {
    const file = join(dir, `${collection}.${extension}`);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/**
 * MongoDB's extended JSON, relaxed or canonical, as plain values: `{"$date": …}` an ISO time,
 * `{"$oid": …}` its hex, the number wrappers numbers. A reviver, so nested values come first.
 */
function plain(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const inner = (value as Record<string, unknown>)[keys[0] as string];
  switch (keys[0]) {
    case '$date': {
      const time = new Date(typeof inner === 'string' ? inner : Number(inner));
      return Number.isFinite(time.getTime()) ? time.toISOString() : undefined;
    }
    case '$oid':
      return String(inner);
    case '$numberInt':
    case '$numberLong':
    case '$numberDouble':
    case '$numberDecimal':
      return Number(inner);
    default:
      return value;
  }
}

type Document = Record<string, unknown>;

/** The documents of one file, line by line; a bad line stops the import, naming it. */
async function* documents(
  file: string,
  onBytes: (bytes: number) => void,
): AsyncGenerator<Document> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let counted = 0;
  stream.on('data', () => {
    onBytes(stream.bytesRead - counted);
    counted = stream.bytesRead;
  });
  let lineNumber = 0;
  for await (const line of createInterface({
    input: stream,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line, plain);
    } catch {
      throw new SourceFileError(`${file}:${lineNumber}: not a JSON document`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new SourceFileError(
        `${file}:${lineNumber}: not one document a line (a mongoexport made with --jsonArray?)`,
      );
    }
    yield value as Document;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

interface Story {
  articleId: string;
  /** Coral's closedAt: closed at a time (past: closed now, future: then), or never. */
  closedAt?: string;
  moderation?: 'all' | 'none';
}

interface Author {
  name: string;
  email: string | null;
  /** The reader's id at the site's sign-in: Coral's single sign-on (or OIDC) profile's. */
  commenterId?: string;
}

function storyOf(document: Document, mode: ArticleIdMode): Story {
  const url = text(document.url) ?? '';
  const articleId = mode === 'id' ? (text(document.id) ?? '') : articleIdFromLink(url, mode);
  const settings = (document.settings ?? {}) as Record<string, unknown>;
  const moderation =
    settings.moderation === 'PRE' ? 'all' : settings.moderation === 'POST' ? 'none' : undefined;
  const closedAt = text(document.closedAt);
  return {
    articleId,
    ...(closedAt === undefined ? {} : { closedAt }),
    ...(moderation === undefined ? {} : { moderation }),
  };
}

function authorOf(document: Document): Author {
  if (document.deletedAt) return { name: ERASED_AUTHOR_NAME, email: null };
  const profiles = Array.isArray(document.profiles) ? (document.profiles as Document[]) : [];
  const signOn =
    profiles.find((profile) => profile.type === 'sso') ??
    profiles.find((profile) => profile.type === 'oidc');
  const commenterId = text(signOn?.id);
  return {
    name: text(document.username) ?? ERASED_AUTHOR_NAME,
    email: text(document.email) ?? null,
    ...(commenterId === undefined ? {} : { commenterId: commenterId.slice(0, 128) }),
  };
}

/** A comment's Talkback id: its date, and a hash of its Coral id (the same on every run). */
const talkbackId = (coralId: string, createdAt: string) =>
  importedCommentId(`coral\u0000${coralId}`, Date.parse(createdAt));

/**
 * What the first pass learns: the stories and authors the comments name, which comments are
 * answered, and the deleted comments.
 */
interface Needs {
  stories: Set<string>;
  authors: Set<string>;
  /** How many comments answer each comment that has replies: remembered only until the last. */
  replies: Map<string, number>;
  /** Deleted comments' Talkback ids, by Coral id: their replies are kept (`parentGone`). */
  deleted: Map<string, string>;
}

function toEvent(
  document: Document,
  stories: ReadonlyMap<string, Story>,
  authors: ReadonlyMap<string, Author>,
  needs: Pick<Needs, 'replies' | 'deleted'>,
): SourceEvent {
  const sourceId = text(document.id) ?? '';
  const skip = (reason: string, badArticleId?: string): SourceEvent => ({
    kind: 'skipped',
    skipped: { sourceId, reason, ...(badArticleId === undefined ? {} : { badArticleId }) },
  });
  if (document.deletedAt) return skip('deleted');
  const story = stories.get(String(document.storyID));
  if (story === undefined) return skip('its story is not in stories.json');
  const status = STATUSES[String(document.status)];
  if (status === undefined) return skip(`status ${String(document.status)}`);
  const createdAt = text(document.createdAt);
  if (createdAt === undefined) return skip('no valid createdAt');
  const authorID = text(document.authorID);
  const author = authorID === undefined ? undefined : authors.get(authorID);
  if (authorID !== undefined && author === undefined)
    return skip('its author is not in users.json');
  const revisions = Array.isArray(document.revisions) ? (document.revisions as Document[]) : [];
  const latest = revisions.at(-1);
  const tags = Array.isArray(document.tags) ? (document.tags as Document[]).map((t) => t.type) : [];
  const parent = text(document.parentID);
  const deletedParent = parent === undefined ? undefined : needs.deleted.get(parent);
  const comment: SourceComment = {
    sourceId,
    parentSourceId: parent ?? null,
    id: talkbackId(sourceId, createdAt),
    articleId: story.articleId,
    // An author Coral deleted is shown as Talkback shows an erased one.
    name: author?.name ?? ERASED_AUTHOR_NAME,
    email: author?.email ?? null,
    website: null,
    body: htmlToText(typeof latest?.body === 'string' ? latest.body : ''),
    status,
    createdAt,
    // Edited: the latest revision is not the first.
    editedAt: revisions.length > 1 ? (text(latest?.createdAt) ?? null) : null,
    ...(deletedParent === undefined ? {} : { parentId: deletedParent, parentGone: true }),
    ...(tags.some((tag) => STAFF_TAGS.has(String(tag))) ? { staff: true } : {}),
    // Coral's featured comments are shown first: Talkback's pins (five an article at most).
    ...(tags.includes('FEATURED') ? { pinned: true } : {}),
    ...(author?.commenterId === undefined ? {} : { commenterId: author.commenterId }),
    replies: needs.replies.get(sourceId) ?? 0,
  };
  return { kind: 'comment', comment };
}

/** A story's state as an article's: closed, its own closing time, its own moderation. */
function articleEvent(story: Story, now: number): SourceEvent | undefined {
  const closed = story.closedAt !== undefined && Date.parse(story.closedAt) <= now;
  const closeAt = story.closedAt !== undefined && !closed ? story.closedAt : undefined;
  if (!closed && closeAt === undefined && story.moderation === undefined) return undefined;
  return {
    kind: 'article',
    articleId: story.articleId,
    closed,
    ...(closeAt === undefined ? {} : { closeAt }),
    ...(story.moderation === undefined ? {} : { moderation: story.moderation }),
  };
}

export interface CoralInput {
  /** Bytes the import reads in all: the comments twice, the stories and users once. */
  size: number;
  /** Bytes read so far. */
  bytesRead(): number;
  events: AsyncGenerator<SourceEvent>;
}

/** The events of the Coral export in `dir`; its files must be there (input-file.ts checks). */
export function readCoral(
  dir: string,
  options: { articleId: ArticleIdMode; now?: number },
): CoralInput {
  const files = Object.fromEntries(
    CORAL_COLLECTIONS.map((collection) => [collection, coralFile(dir, collection) ?? '']),
  ) as Record<Collection, string>;
  let read = 0;
  const count = (bytes: number) => {
    read += bytes;
  };
  const size =
    statSync(files.stories).size + statSync(files.users).size + 2 * statSync(files.comments).size;

  async function* events(): AsyncGenerator<SourceEvent> {
    const needs: Needs = {
      stories: new Set(),
      authors: new Set(),
      replies: new Map(),
      deleted: new Map(),
    };
    for await (const document of documents(files.comments, count)) {
      needs.stories.add(String(document.storyID));
      const parent = text(document.parentID);
      if (parent !== undefined) needs.replies.set(parent, (needs.replies.get(parent) ?? 0) + 1);
      const author = text(document.authorID);
      if (author !== undefined) needs.authors.add(author);
      const createdAt = text(document.createdAt);
      if (document.deletedAt && createdAt !== undefined) {
        needs.deleted.set(String(document.id), talkbackId(String(document.id), createdAt));
      }
    }
    const stories = new Map<string, Story>();
    for await (const document of documents(files.stories, count)) {
      const id = String(document.id);
      if (!needs.stories.has(id)) continue;
      const story = storyOf(document, options.articleId);
      stories.set(id, story);
      const article = articleEvent(story, options.now ?? Date.now());
      if (article) yield article;
    }
    needs.stories.clear();
    const authors = new Map<string, Author>();
    for await (const document of documents(files.users, count)) {
      const id = String(document.id);
      if (needs.authors.has(id)) authors.set(id, authorOf(document));
    }
    needs.authors.clear();
    for await (const document of documents(files.comments, count)) {
      yield toEvent(document, stories, authors, needs);
      // Its count is on its event now: the map shrinks as the comments go by.
      needs.replies.delete(String(document.id));
    }
  }

  return { size, bytesRead: () => read, events: events() };
}
