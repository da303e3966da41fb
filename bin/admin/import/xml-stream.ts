/**
 * The streaming XML loop every XML source shares: saxes is fed the file chunk by chunk, the
 * source's handlers see each element open and close (with the text inside it), and what they
 * emit for a chunk is yielded before the next chunk is read, so memory follows a chunk and what
 * the source chooses to hold, never the file.
 */
import { SaxesParser } from 'saxes';
import { SourceFileError } from './source';

/**
 * The longest text node, CDATA section or attribute value read, in characters. saxes holds one
 * whole before handing it on, so without a cap memory follows the largest (a 200 MB attribute
 * took 511 MB); a comment is at most 5,000 characters, and a post's content a few hundred KB.
 */
export const MAX_XML_VALUE_CHARS = 4 * 1024 * 1024;

/** The file is fed to saxes in pieces this long, so a value is caught at most this far past the cap. */
const PIECE_CHARS = 64 * 1024;

export interface XmlHandlers {
  /** An element opens; `path` names the elements it is in, itself last. */
  open(name: string, attributes: Record<string, string>, path: readonly string[]): void;
  /**
   * An element closes, with its text (and CDATA) since the last tag opened or closed inside
   * it; `path` names the elements it is in, itself no longer.
   */
  close(name: string, text: string, path: readonly string[]): void;
}

/**
 * Reads `stream` as XML, yielding what the handlers emit. Throws SourceFileError naming the
 * file, line and column of the first error, having yielded nothing of the chunk it is in.
 */
export async function* readXmlStream<T>(
  stream: AsyncIterable<string | Buffer>,
  fileName: string,
  handlers: (emit: (event: T) => void) => XmlHandlers,
): AsyncGenerator<T> {
  const parser = new SaxesParser({ fileName, position: true, xmlns: false });
  const out: T[] = [];
  const { open, close } = handlers((event) => out.push(event));
  const path: string[] = [];
  let text = '';
  let failure: Error | undefined;

  // Where saxes last handed something on, and the tag it is reading attributes of, if any: what
  // it holds between two events is one value (an attribute, a text), whose length this bounds.
  let mark = 0;
  let inTag: string | undefined;
  const tooLong = (): SourceFileError => {
    const cap = `longer than ${MAX_XML_VALUE_CHARS.toLocaleString('en')} characters`;
    return new SourceFileError(
      inTag === undefined
        ? `${fileName}: the text of <${path.at(-1) ?? 'the document'}> is ${cap}`
        : `${fileName}: an attribute of <${inTag}> is ${cap}`,
    );
  };
  const marked = () => {
    mark = parser.position;
  };
  // saxes keeps one handler per event: text and CDATA mark in addText.
  for (const event of ['comment', 'processinginstruction', 'doctype'] as const) {
    parser.on(event, marked);
  }
  parser.on('attribute', (attribute) => {
    marked();
    if (attribute.value.length > MAX_XML_VALUE_CHARS) failure ??= tooLong();
  });
  parser.on('opentagstart', (tag) => {
    marked();
    inTag = tag.name;
  });

  parser.on('error', (error) => {
    failure ??= new SourceFileError(`${error.message.split('\n')[0]}`);
  });
  parser.on('opentag', (tag) => {
    marked();
    inTag = undefined;
    path.push(tag.name);
    text = '';
    open(tag.name, tag.attributes, path);
  });
  const addText = (chunk: string) => {
    marked();
    text += chunk;
    if (text.length > MAX_XML_VALUE_CHARS) failure ??= tooLong();
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    marked();
    path.pop();
    close(tag.name, text, path);
    text = '';
  });

  // Counted here: saxes' own position is right only inside its handlers.
  let fed = 0;
  for await (const chunk of stream) {
    const piece = String(chunk);
    for (let start = 0; start < piece.length; start += PIECE_CHARS) {
      const part = piece.slice(start, start + PIECE_CHARS);
      parser.write(part);
      fed += part.length;
      if (failure) throw failure;
      if (fed - mark > MAX_XML_VALUE_CHARS) throw tooLong();
    }
    yield* out.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* out.splice(0);
}
