/**
 * The demo page (web/index.html) as the local server serves it: `/?article=<id>` shows that
 * article's thread, so a link in a local mail (articleUrlTemplate `/?article={articleId}`, see
 * bin/local/local-mail.ts) opens the article it names, as an article page does on a real site.
 */
import * as v from 'valibot';
import { articleIdSchema } from '../../lambda/domain/validation';

const THREAD = /(<talkback-thread article=")[^"]*(")/;

/** The page with its thread on the article `search` names, or as it is when it names none. */
export function demoPage(html: string, search: string): string {
  const articleId = new URLSearchParams(search).get('article');
  // The rule's characters (A-Z a-z 0-9 - _ . ~) need no escaping in an attribute.
  if (articleId === null || !v.is(articleIdSchema, articleId)) return html;
  return html.replace(THREAD, `$1${articleId}$2`);
}
