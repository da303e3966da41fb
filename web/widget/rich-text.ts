/**
 * A comment's text as the reader sees it: paragraphs at blank lines, line breaks kept, and the
 * addresses the one link rule finds (web/shared/links.ts) as links. Built from text nodes and elements only: nothing is parsed as HTML,
 * and nothing else in the text means anything.
 */
import { h } from '../shared/dom';
import { findLinks } from '../shared/links';

/** Where a site's links open: `<talkback-thread link-target="_blank">`, else the same tab. */
export const linkTarget = { value: '' };

/** One line: text and <a> elements whose text, joined, is the line itself (empty texts included). */
export function linkify(line: string): (string | HTMLAnchorElement)[] {
  const nodes: (string | HTMLAnchorElement)[] = [];
  let from = 0;
  for (const { start, text, href } of findLinks(line)) {
    nodes.push(
      line.slice(from, start),
      h(
        'a',
        { href, rel: 'nofollow ugc noopener noreferrer', target: linkTarget.value || undefined },
        text,
      ),
    );
    from = start + text.length;
  }
  nodes.push(line.slice(from));
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
        // Each paragraph takes the direction of its first strong letter: Arabic with an English
        // word reads right to left, in a left-to-right page too.
        { dir: 'auto' },
        ...paragraph
          .split(/\r?\n/)
          .flatMap((line, index) => [index > 0 && h('br'), ...linkify(line)]),
      ),
    );
}
