/**
 * WordPress and Disqus keep a comment as limited HTML; Talkback keeps plain text, shown as text.
 * The conversion keeps what a reader saw: paragraphs and line breaks, the text of every element,
 * a link's address next to its words, and decoded entities. Markup itself never survives.
 */
import { Parser } from 'htmlparser2';

/** Elements that stand as their own paragraph. */
const BLOCKS = new Set([
  'p',
  'div',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'tr',
  'hr',
  'figure',
]);

/** Elements whose content is not text a reader saw. */
const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object']);

const PARAGRAPH = '\u0000P';

function isWebAddress(href: string): boolean {
  return /^(?:https?:|mailto:)/i.test(href.trim());
}

export function htmlToText(html: string): string {
  const parts: string[] = [];
  const links: { href: string; start: number }[] = [];
  let hidden = 0;
  // WordPress writes `<br />` and then a newline: one line break, not two.
  let afterBreak = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        afterBreak = name === 'br';
        if (HIDDEN.has(name)) hidden += 1;
        else if (name === 'br') parts.push('\n');
        else if (name === 'li') parts.push('\n- ');
        else if (BLOCKS.has(name)) parts.push(PARAGRAPH);
        if (name === 'a') links.push({ href: attributes.href ?? '', start: parts.length });
      },
      ontext(text) {
        if (hidden === 0) parts.push(afterBreak ? text.replace(/^\r?\n/, '') : text);
        afterBreak = false;
      },
      onclosetag(name) {
        if (name !== 'br') afterBreak = false;
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCKS.has(name)) parts.push(PARAGRAPH);
        if (name === 'a') {
          const link = links.pop();
          if (!link || !isWebAddress(link.href)) return;
          const href = link.href.trim();
          const words = parts.slice(link.start).join('').trim();
          if (words === '') parts.push(href);
          else if (words !== href && words !== href.replace(/^mailto:/i, ''))
            parts.push(` (${href})`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return tidy(parts.join(''));
}

/**
 * Line breaks as the comment had them; a paragraph is one blank line; spaces inside a line are
 * kept but not at its ends; control characters other than newlines and tabs go (Talkback refuses
 * them), and so do non-breaking spaces at the ends of lines.
 */
function tidy(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      .replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .split(PARAGRAPH)
      .map((block) =>
        block
          .split('\n')
          .map((line) => line.replace(/^[ \t\u00a0]+|[ \t\u00a0]+$/g, ''))
          .join('\n')
          .replace(/^\n+|\n+$/g, ''),
      )
      .filter((block) => block !== '')
      .join('\n\n')
      .replace(/\n{3,}/g, '\n\n')
  );
}
