/** The console's own DOM helpers; building elements is web/shared/dom.ts's `h`, text only. */
import { findLinks } from '../shared/links';

/** The links in a comment's text (the one rule, web/shared/links.ts), for a moderator to see. */
export function linksIn(text: string): string[] {
  return findLinks(text).map((link) => link.text);
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the console page has no #${id}`);
  return node as T;
}
