/**
 * Reads a WordPress export (WXR 1.2: RSS with the wp: namespace) as a stream: saxes parses it
 * chunk by chunk and the comments of one post (one <item>) are held until the post ends, since a
 * post's fields and comments may come in any order. Memory follows the largest post, not the file.
 *
 * Per comment: wp:comment_id, wp:comment_parent (0 for none), wp:comment_author,
 * wp:comment_author_email, wp:comment_author_url, wp:comment_date_gmt, wp:comment_content (HTML),
 * wp:comment_approved (1, 0, spam, trash, post-trashed) and wp:comment_type (empty or comment;
 * pingback and trackback are left out).
 */
import type { ReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { CommentStatus } from '../../../lambda/domain/comment';
import { importedCommentId } from '../../../lambda/domain/imports';
import { htmlToText } from './html-text';
import {
  type ArticleIdMode,
  articleIdFromLink,
  type SourceEvent,
  SourceFileError,
  utcTime,
} from './source';

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
export async function* readWordPress(
  stream: ReadStream,
  options: { fileName: string; articleId: ArticleIdMode },
): AsyncGenerator<SourceEvent> {
  const parser = new SaxesParser({ fileName: options.fileName, position: true });
  const out: SourceEvent[] = [];
  const stack: string[] = [];
  let text = '';
  let site = '';
  let post: Fields | undefined;
  let comments: Fields[] = [];
  let comment: Fields | undefined;
  let failure: Error | undefined;

  parser.on('error', (error) => {
    failure ??= new SourceFileError(`${error.message.split('\n')[0]}`);
  });
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    text = '';
    if (tag.name === 'item') {
      post = {};
      comments = [];
    } else if (tag.name === 'wp:comment' && post) {
      comment = {};
    }
  });
  const addText = (chunk: string) => {
    text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    stack.pop();
    const parent = stack.at(-1);
    if (tag.name === 'item' && post) {
      for (const fields of comments) out.push(toEvent(fields, post, site, options.articleId));
      out.push({ kind: 'thread-end' });
      post = undefined;
    } else if (tag.name === 'wp:comment' && comment) {
      comments.push(comment);
      comment = undefined;
    } else if (comment && parent === 'wp:comment') {
      comment[tag.name] = text;
    } else if (post && parent === 'item') {
      post[tag.name] = text;
    } else if (parent === 'channel' && (tag.name === 'wp:base_blog_url' || tag.name === 'link')) {
      site ||= text.trim();
    }
    text = '';
  });

  for await (const chunk of stream) {
    parser.write(String(chunk));
    if (failure) throw failure;
    yield* out.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* out.splice(0);
}
