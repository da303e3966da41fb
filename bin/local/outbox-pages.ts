/**
 * The local outbox's pages (docs/notifications.md, "Locally"): `/outbox/` lists the mail, newest
 * first, by date, recipient and subject; `/outbox/<name>.html` shows one message as a mail
 * program would, its text decoded and its links clickable; `/outbox/<name>.eml` is the raw file,
 * byte for byte what SES would get. Who may see them is bin/local/outbox-access.ts's part.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../../lambda/domain/notification-mails';
import { findLinks } from '../../web/shared/links';
import { EML, type OutboxEntry, readOutbox, readOutboxMessage } from './outbox-mail';

const STYLE = `
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
  background: #f6f6f4; margin: 0; }
main { max-width: 56rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
p.note { color: #555; margin: 0 0 1.5rem; }
nav { margin-bottom: 1rem; }
table { width: 100%; border-collapse: collapse; background: #fff; }
caption { text-align: left; color: #555; padding-bottom: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.75rem;
  border-bottom: 1px solid #e2e2de; overflow-wrap: anywhere; }
th { font-size: 0.85rem; color: #555; font-weight: 600; }
td:first-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem;
  background: #fff; padding: 0.75rem 1rem; border: 1px solid #e2e2de; }
dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
article { background: #fff; padding: 1rem; border: 1px solid #e2e2de; white-space: pre-wrap;
  overflow-wrap: anywhere; }
a { color: #0b57d0; }
`;

/**
 * The pages' own policy: no script, no image, no form, no frame, only this stylesheet; and no
 * Referer, since the links carry live tokens and the outbox's address is the developer's own.
 */
const HEADERS = {
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

export type OutboxRespond = (
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) => void;

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${content}</main></body></html>`;
}

/** `2026-12-07 23:40:12 UTC`, in a <time> element. */
function when(date: Date | null): string {
  if (date === null) return 'unknown';
  const iso = date.toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>`;
}

const stem = (file: string): string => file.slice(0, -'.eml'.length);

function listPage(folder: string, entries: OutboxEntry[]): string {
  const rows = entries.map(
    (entry) =>
      `<tr><td>${when(entry.date)}</td><td>${escapeHtml(entry.to)}</td><td><a href="/outbox/${stem(entry.file)}.html">${escapeHtml(entry.subject || '(no subject)')}</a></td><td><a href="/outbox/${entry.file}">.eml</a></td></tr>`,
  );
  const table = entries.length
    ? `<table><caption>${entries.length} message${entries.length === 1 ? '' : 's'}, newest first</caption><thead><tr><th scope="col">Date</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Raw</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p>No mail yet.</p>';
  return page(
    'Outbox',
    `<h1>Outbox</h1><p class="note">The mail <code>npm start</code> would have sent, written to ${escapeHtml(folder)}. It holds readers’ addresses and live links: keep it to yourself.</p>${table}`,
  );
}

/** The text with every link (the shared rule) made clickable, the rest escaped. */
function linked(text: string): string {
  let html = '';
  let at = 0;
  for (const link of findLinks(text)) {
    html += escapeHtml(text.slice(at, link.start));
    html += `<a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a>`;
    at = link.start + link.text.length;
  }
  return html + escapeHtml(text.slice(at));
}

function messagePage(entry: OutboxEntry): string {
  const title = entry.subject || '(no subject)';
  return page(
    title,
    `<nav><a href="/outbox/">All mail</a> · <a href="/outbox/${entry.file}">Raw .eml</a></nav><h1>${escapeHtml(title)}</h1><dl><dt>From</dt><dd>${escapeHtml(entry.from)}</dd><dt>To</dt><dd>${escapeHtml(entry.to)}</dd><dt>Date</dt><dd>${when(entry.date)}</dd></dl><article dir="auto">${linked(entry.text)}</article>`,
  );
}

/**
 * Answers `/outbox/` (the list), `/outbox/<name>.html` (one message, to read) and
 * `/outbox/<name>.eml` (the raw file); false for any other path.
 */
export function serveOutbox(folder: string, path: string, respond: OutboxRespond): boolean {
  const html = { ...HEADERS, 'content-type': 'text/html; charset=utf-8' };
  const notFound = () =>
    respond(
      404,
      html,
      page('No such message', '<h1>No such message</h1><p><a href="/outbox/">All mail</a></p>'),
    );
  if (path === '/outbox' || path === '/outbox/') {
    respond(200, html, listPage(folder, readOutbox(folder)));
    return true;
  }
  const name = path.startsWith('/outbox/') ? path.slice('/outbox/'.length) : undefined;
  if (name === undefined) return false;
  if (name.endsWith('.html')) {
    const entry = readOutboxMessage(folder, `${name.slice(0, -'.html'.length)}.eml`);
    if (entry) respond(200, html, messagePage(entry));
    else notFound();
    return true;
  }
  if (!EML.test(name)) return false;
  try {
    const raw = readFileSync(join(folder, name));
    respond(200, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }, raw);
  } catch {
    notFound();
  }
  return true;
}
