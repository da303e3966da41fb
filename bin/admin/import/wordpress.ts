/**
 * Reads a WordPress export (WXR 1.2: RSS with the wp: namespace) as a stream (xml-stream.ts):
 * the comments of one post (one <item>) are held until the post ends, since a post's fields and
 * comments may come in any order. Memory follows the largest post, not the file.
 *
 * Per comment: wp:comment_id, wp:comment_parent (0 for none), wp:comment_author,
 * wp:comment_author_email, wp:comment_author_url, wp:comment_date_gmt, wp:comment_content (HTML),
 * wp:comment_approved (1, 0, spam, trash, post-trashed) and wp:comment_type (empty or comment;
 * pingback and trackback are left out).
 */
import type { ReadStream } from 'node:fs';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { importedCommentId } from '../../../lambda/domain/imports';
import { htmlToText } from './html-text';
import { type ArticleIdMode, articleIdFromLink, type SourceEvent, utcTime } from './source';
import { readXmlStream } from './xml-stream';

/** Post types whose comments are on a page readers see; attachments and menu items are not. */
const POST_TYPES = new Set(['post', 'page']);

const STATUSES: Record<string, CommentStatus> = { '1': 'published', '0': 'pending', spam: 'spam' };

type Fields = Record<string, string>;

function toEvent(comment: Fields, post: Fields, site: string, mode: ArticleIdMode): SourceEvent {
  const sourceId = comment['wp:comment_id'] ?? '';
  const skip = (reason: string, badArticleId?: string): SourceEvent => ({
    kind: 'skipped',
    skipped: { sourceId, reason, ...(badArticleId === undefined ? {} : { badArticleId }) },
  });
  const postType = post['wp:post_type'] ?? 'post';
  if (!POST_TYPES.has(postType)) return skip(`on a post of type ${postType}, not a post or page`);
  const type = comment['wp:comment_type'] ?? '';
  if (type !== '' && type !== 'comment') return skip(type);
  const approved = (comment['wp:comment_approved'] ?? '').trim();
  const status = STATUSES[approved];
  if (!status) return skip(approved === 'post-trashed' ? 'trash' : approved || 'no status');
  const createdAt = utcTime(comment['wp:comment_date_gmt'] ?? '');
  if (!createdAt) return skip('no valid wp:comment_date_gmt');
  const articleId =
    mode === 'id'
      ? (post['wp:post_id'] ?? '').trim()
      : mode === 'slug'
        ? (post['wp:post_name'] ?? '').trim()
        : articleIdFromLink((post.link ?? '').trim(), 'path');
  const parent = (comment['wp:comment_parent'] ?? '0').trim();
  const email = (comment['wp:comment_author_email'] ?? '').trim();
  const website = (comment['wp:comment_author_url'] ?? '').trim();
  return {
    kind: 'comment',
    comment: {
      sourceId,
      parentSourceId: parent === '' || parent === '0' ? null : parent,
      id: importedCommentId(`wordpress\u0000${site}\u0000${sourceId}`, Date.parse(createdAt)),
      articleId,
      name: (comment['wp:comment_author'] ?? '').trim(),
      email: email === '' ? null : email,
      website: website === '' ? null : website,
      body: htmlToText(comment['wp:comment_content'] ?? ''),
      status,
      createdAt,
      editedAt: null,
    },
  };
}

/**
 * The comments of a WXR file, post by post, each post followed by a thread-end. Throws
 * SourceFileError naming the line for XML that is not well formed.
 */
export function readWordPress(
  stream: ReadStream,
  options: { fileName: string; articleId: ArticleIdMode },
): AsyncGenerator<SourceEvent> {
  let site = '';
  let post: Fields | undefined;
  let comments: Fields[] = [];
  let comment: Fields | undefined;
  return readXmlStream<SourceEvent>(stream, options.fileName, (emit) => ({
    open(name) {
      if (name === 'item') {
        post = {};
        comments = [];
      } else if (name === 'wp:comment' && post) {
        comment = {};
      }
    },
    close(name, text, path) {
      const parent = path.at(-1);
      if (name === 'item' && post) {
        for (const fields of comments) emit(toEvent(fields, post, site, options.articleId));
        emit({ kind: 'thread-end' });
        post = undefined;
      } else if (name === 'wp:comment' && comment) {
        comments.push(comment);
        comment = undefined;
      } else if (comment && parent === 'wp:comment') {
        comment[name] = text;
      } else if (post && parent === 'item') {
        post[name] = text;
      } else if (parent === 'channel' && (name === 'wp:base_blog_url' || name === 'link')) {
        site ||= text.trim();
      }
    },
  }));
}
