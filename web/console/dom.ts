/** The console's own DOM helpers; building elements is web/shared/dom.ts's `h`, text only. */

const LINK = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/gi;

/** The links in a comment's text, as the moderation policy counts them, for a moderator to see. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(LINK)].map((match) => match[0].replace(/[.,;:!?)\]]+$/, ''));
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the console page has no #${id}`);
  return node as T;
}
