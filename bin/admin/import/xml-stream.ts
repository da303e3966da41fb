/**
 * The streaming XML loop every XML source shares: saxes is fed the file chunk by chunk, the
 * source's handlers see each element open and close (with the text inside it), and what they
 * emit for a chunk is yielded before the next chunk is read, so memory follows a chunk and what
 * the source chooses to hold, never the file.
 */
import { SaxesParser } from 'saxes';
import { SourceFileError } from './source';

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

  parser.on('error', (error) => {
    failure ??= new SourceFileError(`${error.message.split('\n')[0]}`);
  });
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    text = '';
    open(tag.name, tag.attributes, path);
  });
  const addText = (chunk: string) => {
    text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag) => {
    path.pop();
    close(tag.name, text, path);
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
