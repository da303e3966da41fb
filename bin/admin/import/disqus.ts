/**
 * Reads a Disqus export (the XML of Admin > Tools > Export) as a stream. It declares each
 * <thread dsq:id> (its <id> identifier and <link>) before the <post> elements, and each post
 * names its thread and, for a reply, its parent by dsq:id:
 *
 *   <post dsq:id="…"><message>HTML</message><createdAt>2026-11-26T21:19:00Z</createdAt>
 *     <isDeleted>false</isDeleted><isSpam>false</isSpam>
 *     <author><name>…</name><email>…</email></author>
 *     <thread dsq:id="…"/><parent dsq:id="…"/></post>
 *
 * Only the threads' article ids are held (one short string per thread); posts stream through.
 */
import type { ReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { importedCommentId } from '../../../lambda/domain/imports';
import { htmlToText } from './html-text';
import {
  type ArticleIdMode,
  articleIdFromLink,
  type SourceEvent,
  SourceFileError,
  utcTime,
} from './source';

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
export async function* readDisqus(
  stream: ReadStream,
  options: { fileName: string; articleId: ArticleIdMode },
): AsyncGenerator<SourceEvent> {
  const parser = new SaxesParser({ fileName: options.fileName, position: true });
  const out: SourceEvent[] = [];
  const threads = new Map<string, string>();
  const stack: string[] = [];
  let text = '';
  let fields: Fields | undefined;
  let failure: Error | undefined;

  parser.on('error', (error) => {
    failure ??= new SourceFileError(`${error.message.split('\n')[0]}`);
  });
  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    text = '';
    const dsqId = String(tag.attributes['dsq:id'] ?? '');
    if (stack.length === 2 && (tag.name === 'thread' || tag.name === 'post')) {
      fields = { 'dsq:id': dsqId };
    } else if (stack.length === 3 && fields && (tag.name === 'thread' || tag.name === 'parent')) {
      // Inside a post: the thread and parent it refers to.
      fields[tag.name] = dsqId;
    }
  });
  const addText = (chunk: string) => {
    text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    const depth = stack.length;
    stack.pop();
    if (depth === 2 && fields) {
      if (tag.name === 'thread') {
        threads.set(fields['dsq:id'] ?? '', threadArticleId(fields, options.articleId));
      } else if (tag.name === 'post') {
        out.push(postEvent(fields, threads.get(fields.thread ?? '')));
      }
      fields = undefined;
    } else if (fields && depth === 3 && tag.name !== 'thread' && tag.name !== 'parent') {
      fields[tag.name] = text;
    } else if (fields && depth === 4 && stack[2] === 'author') {
      fields[`author/${tag.name}`] = text;
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
