/**
 * Reads a Disqus export (the XML of Admin > Tools > Export) as a stream (xml-stream.ts). It
 * declares each <thread dsq:id> (its <id> identifier and <link>) before the <post> elements, and
 * each post names its thread and, for a reply, its parent by dsq:id:
 *
 *   <post dsq:id="…"><message>HTML</message><createdAt>2026-11-26T21:19:00Z</createdAt>
 *     <isDeleted>false</isDeleted><isSpam>false</isSpam>
 *     <author><name>…</name><email>…</email></author>
 *     <thread dsq:id="…"/><parent dsq:id="…"/></post>
 *
 * Only the threads' article ids are held (one short string per thread); posts stream through.
 */
import type { ReadStream } from 'node:fs';
import { importedCommentId } from '../../../lambda/domain/imports';
import { htmlToText } from './html-text';
import { type ArticleIdMode, articleIdFromLink, type SourceEvent, utcTime } from './source';
import { readXmlStream } from './xml-stream';

type Fields = Record<string, string>;

function postEvent(post: Fields, articleId: string | undefined): SourceEvent {
  const sourceId = post['dsq:id'] ?? '';
  const skip = (reason: string): SourceEvent => ({
    kind: 'skipped',
    skipped: { sourceId, reason },
  });
  if (articleId === undefined) return skip('its thread is not in the export');
  if ((post.isDeleted ?? '').trim() === 'true') return skip('deleted');
  const createdAt = utcTime(post.createdAt ?? '');
  if (!createdAt) return skip('no valid createdAt');
  const email = (post['author/email'] ?? '').trim();
  const parent = (post.parent ?? '').trim();
  return {
    kind: 'comment',
    comment: {
      sourceId,
      parentSourceId: parent === '' ? null : parent,
      id: importedCommentId(`disqus\u0000${sourceId}`, Date.parse(createdAt)),
      articleId,
      name: (post['author/name'] ?? '').trim(),
      email: email === '' ? null : email,
      website: null,
      body: htmlToText(post.message ?? ''),
      status: (post.isSpam ?? '').trim() === 'true' ? 'spam' : 'published',
      createdAt,
      editedAt: null,
    },
  };
}

function threadArticleId(thread: Fields, mode: ArticleIdMode): string {
  if (mode === 'id') return (thread.id ?? '').trim();
  return articleIdFromLink((thread.link ?? '').trim(), mode);
}

/** The posts of a Disqus export; throws SourceFileError naming the line for malformed XML. */
export function readDisqus(
  stream: ReadStream,
  options: { fileName: string; articleId: ArticleIdMode },
): AsyncGenerator<SourceEvent> {
  const threads = new Map<string, string>();
  let fields: Fields | undefined;
  return readXmlStream<SourceEvent>(stream, options.fileName, (emit) => ({
    open(name, attributes, path) {
      const dsqId = attributes['dsq:id'] ?? '';
      if (path.length === 2 && (name === 'thread' || name === 'post')) {
        fields = { 'dsq:id': dsqId };
      } else if (path.length === 3 && fields && (name === 'thread' || name === 'parent')) {
        // Inside a post: the thread and parent it refers to.
        fields[name] = dsqId;
      }
    },
    close(name, text, path) {
      const depth = path.length + 1;
      if (depth === 2 && fields) {
        if (name === 'thread') {
          threads.set(fields['dsq:id'] ?? '', threadArticleId(fields, options.articleId));
        } else if (name === 'post') {
          emit(postEvent(fields, threads.get(fields.thread ?? '')));
        }
        fields = undefined;
      } else if (fields && depth === 3 && name !== 'thread' && name !== 'parent') {
        fields[name] = text;
      } else if (fields && depth === 4 && path[2] === 'author') {
        fields[`author/${name}`] = text;
      }
    },
  }));
}
