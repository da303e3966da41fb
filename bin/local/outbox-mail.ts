/**
 * Reading the local outbox's messages back: the `.eml` files `outboxSender` writes, which are
 * nodemailer's MailComposer output (lambda/mail/compose.ts): headers (the subject an RFC 2047
 * encoded-word when it is not ASCII), then one text/plain part or a multipart/alternative of
 * text/plain and text/html, each quoted-printable (or base64) UTF-8. Enough of MIME for those,
 * and no more: the outbox shows only what Talkback composed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLinks } from '../../web/shared/links';

/** `<name>.eml`, as the outbox sender names its files. */
export const EML = /^[\w.-]+\.eml$/;

/** The decoded text of a quoted-printable body. */
export function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
    'latin1',
  ).toString('utf8');
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset: UTF-8, which is all the composer writes.
    return bytes.toString('utf8');
  }
}

/** A header value with its RFC 2047 encoded-words (`=?UTF-8?Q?...?=`) decoded. */
export function decodeWords(value: string): string {
  return (
    value
      // Whitespace between two encoded-words is not part of the text (RFC 2047, 6.2).
      .replace(/(\?=)\s+(?==\?)/g, '$1')
      .replace(/=\?([\w-]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, kind: string, text) => {
        const bytes =
          kind.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-F]{2})/gi, (_hex: string, hex: string) =>
                    String.fromCharCode(Number.parseInt(hex, 16)),
                  ),
                'latin1',
              );
        return decodeBytes(bytes, charset);
      })
  );
}

type Headers = (name: string) => string;

/** A header block's values by name, unfolded (case-insensitive; the first of a name). */
function headersOf(block: string): Headers {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  return (name) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
}

/** A header value's parameter (`boundary`, `charset`), quoted or not. */
function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(value);
  return match?.[1];
}

function split(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function decodeBody(body: string, headers: Headers): string {
  const encoding = headers('Content-Transfer-Encoding').toLowerCase();
  const charset = parameter(headers('Content-Type'), 'charset') ?? 'utf-8';
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  if (encoding === 'base64') return decodeBytes(Buffer.from(body, 'base64'), charset);
  return body;
}

/** The text/plain part of a message (or of its multipart/alternative), decoded. */
function plainText(head: Headers, body: string): string {
  const type = head('Content-Type');
  const boundary = parameter(type, 'boundary');
  if (!/^multipart\//i.test(type) || boundary === undefined) return decodeBody(body, head);
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const { head: partHead, body: partBody } = split(part.replace(/^\r?\n/, ''));
    const headers = headersOf(partHead);
    if (/^text\/plain/i.test(headers('Content-Type'))) {
      return decodeBody(partBody.replace(/\r?\n$/, ''), headers);
    }
  }
  return '';
}

export interface OutboxEntry {
  /** The `.eml` file's name. */
  file: string;
  from: string;
  to: string;
  /** Decoded, as a mail program shows it. */
  subject: string;
  /** When it was written (the Date header), or null when that cannot be read. */
  date: Date | null;
  /** The text part, decoded. */
  text: string;
  /** Every http(s) link in the text, once, in order (web/shared/links.ts). */
  links: string[];
}

export function readMessage(file: string, raw: string): OutboxEntry {
  const { head, body } = split(raw);
  const headers = headersOf(head);
  const text = plainText(headers, body).replace(/\r\n/g, '\n');
  const date = new Date(headers('Date'));
  return {
    file,
    from: decodeWords(headers('From')),
    to: decodeWords(headers('To')),
    subject: decodeWords(headers('Subject')),
    date: Number.isNaN(date.getTime()) ? null : date,
    text,
    links: [...new Set(findLinks(text).map((link) => link.href))],
  };
}

/** One message by its file name, or undefined when there is no such file. */
export function readOutboxMessage(folder: string, file: string): OutboxEntry | undefined {
  if (!EML.test(file)) return undefined;
  try {
    return readMessage(file, readFileSync(join(folder, file), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every message, newest first (the file names start with the time they were written). */
export function readOutbox(folder: string): OutboxEntry[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => EML.test(file));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .flatMap((file) => readOutboxMessage(folder, file) ?? []);
}
