/**
 * A comment's text as the reader sees it: paragraphs at blank lines, line breaks kept, and bare
 * http(s) addresses as links. Built from text nodes and elements only: nothing is parsed as HTML,
 * and nothing else in the text means anything.
 */
import { h, safeHttpUrl } from '../shared/dom';

/** Where a site's links open: `<talkback-thread link-target="_blank">`, else the same tab. */
export const linkTarget = { value: '' };

/**
 * Where the address in `url` ends: a sentence's punctuation after it, or a `)` closing a bracket
 * opened before it, goes back to the text.
 */
function trimUrl(url: string): string {
  while (
    /[.,;:!?]$/.test(url) ||
    (/\)$/.test(url) && url.split('(').length < url.split(')').length)
  ) {
    url = url.slice(0, -1);
  }
  return url;
}

/** One line: text and <a> elements whose text, joined, is the line itself (empty texts included). */
export function linkify(line: string): (string | HTMLAnchorElement)[] {
  const nodes: (string | HTMLAnchorElement)[] = [];
  let text = '';
  // The split keeps each address-like run at an odd index.
  line.split(/\b(https?:\/\/[^\s<>"]+)/i).forEach((part, index) => {
    const url = index % 2 ? trimUrl(part) : '';
    const href = safeHttpUrl(url);
    if (href) {
      nodes.push(
        text,
        h(
          'a',
          { href, rel: 'nofollow ugc noopener noreferrer', target: linkTarget.value || undefined },
          url,
        ),
      );
      text = part.slice(url.length);
    } else text += part;
  });
  nodes.push(text);
  return nodes;
}

/** The paragraphs of `text` (split at blank lines), each line after the first after a <br>. */
export function richText(text: string): HTMLParagraphElement[] {
  // A blank line may hold spaces; \r before \n (CRLF) goes with the line break.
  return text
    .split(/\n[^\S\n]*\n\s*/)
    .filter((paragraph) => paragraph.trim())
    .map((paragraph) =>
      h(
        'p',
        {},
        ...paragraph
          .split(/\r?\n/)
          .flatMap((line, index) => [index > 0 && h('br'), ...linkify(line)]),
      ),
    );
}
