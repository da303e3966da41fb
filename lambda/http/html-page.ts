/**
 * Small HTML pages for the links people follow from their mail (docs/notifications.md). They
 * load nothing from anywhere and send no Referer, so the token in the address stays there.
 */
import { escapeHtml } from '../domain/notification-mails';
import type { HttpResult } from './response';

export function htmlPage(statusCode: number, title: string, paragraphs: string[]): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
    },
    body: [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(title)}</title></head>`,
      '<body style="font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em">',
      `<h1>${escapeHtml(title)}</h1>`,
      ...paragraphs,
      '</body></html>',
    ].join('\n'),
  };
}

/** A form that POSTs back to the address it was shown at, token included. */
export function postButton(action: string, label: string): string {
  return `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`;
}

export const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;

/**
 * Text as a person typed it, line breaks kept, never read as HTML, in its own direction (a
 * right-to-left comment with a left-to-right word reads right).
 */
export const typedText = (text: string): string =>
  `<blockquote dir="auto" style="white-space:pre-wrap">${escapeHtml(text)}</blockquote>`;

export const invalidLinkPage = (): HttpResult =>
  htmlPage(400, 'This link does not work', [
    paragraph('The link is not valid, has expired, or was already used.'),
  ]);
