/**
 * The one rule for finding links in a comment's text, used wherever a comment is shown or read:
 * the widget (which links them), the moderation console and the moderators' mail (which list
 * them). Pure, with no DOM, so the Lambda bundles it as the browser scripts do.
 *
 * An address starts a word with `http://`, `https://` or `www.` (read as `https://`), and runs
 * to the next space, `<`, `>` or `"`. A sentence's punctuation after it (`. , ; : ! ? '`) is not
 * part of it, nor is a `)` or `]` that closes a bracket opened before it: "(see
 * https://example.com/a_(b))." links `https://example.com/a_(b)`.
 */
const ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const TRAILING = /[.,;:!?']$/;

export interface FoundLink {
  /** Where it starts in the text, and the text itself: the text holds it unchanged. */
  start: number;
  text: string;
  /** Where it goes: an absolute http(s) URL. */
  href: string;
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** `url` without what the rule leaves to the text around it. */
function trim(url: string): string {
  for (;;) {
    const last = url.slice(-1);
    const unbalanced =
      (last === ')' && count(url, ')') > count(url, '(')) ||
      (last === ']' && count(url, ']') > count(url, '['));
    if (!TRAILING.test(url) && !unbalanced) return url;
    url = url.slice(0, -1);
  }
}

/** An http(s) URL for `text`, or null when it is not one (`www.` alone, a bad host). */
function target(text: string): string | null {
  const www = /^www\./i.test(text);
  // What the trim left of `www.` alone: "www".
  if (!www && !/^https?:\/\//i.test(text)) return null;
  try {
    const url = new URL(www ? `https://${text}` : text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Every link in `text`, in order. */
export function findLinks(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const match of text.matchAll(ADDRESS)) {
    const link = trim(match[0]);
    const href = target(link);
    if (href) found.push({ start: match.index, text: link, href });
  }
  return found;
}
