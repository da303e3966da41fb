/** What every source format (WordPress, Disqus, a Talkback export) yields to the importer. */
import type { CommentStatus } from '../../../lambda/domain/comment';

/** How a WordPress post or Disqus thread becomes a Talkback article id. */
export type ArticleIdMode = 'slug' | 'path' | 'id';
export const ARTICLE_ID_MODES: readonly ArticleIdMode[] = ['slug', 'path', 'id'];

export interface SourceComment {
  /** The comment's id in the source, for its replies and the report. */
  sourceId: string;
  /** The id of the comment it answers in the source, or null for a top-level comment. */
  parentSourceId: string | null;
  /** The Talkback id: derived from the source id and date, or the export's own id. */
  id: string;
  articleId: string;
  name: string;
  email: string | null;
  website: string | null;
  /** Plain text (HTML already converted). */
  body: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
  /**
   * The parent's Talkback id when the source knows it (a Talkback export): a reply whose parent
   * is not in the file is sent with it, and the API looks for the parent in Talkback.
   */
  parentId?: string | null;
  /** The parent was deleted: the reply is kept without it (a Talkback export). */
  parentGone?: boolean;
  /** Posted by the newsroom (a Talkback export). */
  staff?: boolean;
  /** Pinned on its article (a Talkback export): pinned again once imported. */
  pinned?: boolean;
  /** Written by a signed-in reader (a Talkback export). */
  verified?: boolean;
  /** The reader's allowed badges (a Talkback export). */
  badges?: string[];
  /**
   * The author's id at the site: a signed-in reader's `sub` (a Talkback export), or the SSO id a
   * Coral user had, so a reader who signs in afterwards owns their old comments.
   */
  commenterId?: string;
  /**
   * How many comments of the source answer this one, when the source knows (a Coral export,
   * read twice): the importer then remembers it only until its last reply is settled.
   */
  replies?: number;
}

/** A source comment not brought over, and why (counted in the report). */
export interface SkippedComment {
  sourceId: string;
  reason: string;
  /** The article id that did not fit the rule, to list each one once. */
  badArticleId?: string;
}

export type SourceEvent =
  | { kind: 'comment'; comment: SourceComment }
  | { kind: 'skipped'; skipped: SkippedComment }
  /** No reply further on can answer a comment read so far (WordPress: the end of a post). */
  | { kind: 'thread-end' }
  | { kind: 'reactions'; articleId: string; counts: Record<string, number> }
  /**
   * An article's state (a Talkback export; a closed Coral story): closed articles are closed
   * again, and an article's own settings set again.
   */
  | {
      kind: 'article';
      articleId: string;
      closed: boolean;
      closeAt?: string;
      moderation?: string;
      commenting?: string;
    };

/** A bad file: the message names the file, line and column. Nothing of its batch was sent. */
export class SourceFileError extends Error {
  override name = 'SourceFileError';
}

/**
 * An article id from a page's address: `path` is the path without its outer slashes, inner
 * slashes turned into `-` (the rule allows no `/`); `slug` is its last segment.
 */
export function articleIdFromLink(link: string, mode: 'slug' | 'path'): string {
  let path: string;
  try {
    path = new URL(link).pathname;
  } catch {
    path = link;
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  return mode === 'slug' ? (segments.at(-1) ?? '') : segments.join('-');
}

/**
 * A source date as Talkback's ISO time, or undefined: WordPress's `2026-11-26 21:19:00` (GMT)
 * and Disqus's `2026-11-26T21:19:00Z` (with or without the Z: both are UTC).
 */
export function utcTime(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?Z?$/.exec(text.trim());
  if (!match) return undefined;
  const time = Date.parse(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(time) || time <= 0) return undefined;
  return new Date(time).toISOString();
}
