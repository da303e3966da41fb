import type { OutgoingMail } from '../../../lambda/domain/mail';
import { composeMail, messageIdFor } from '../../../lambda/mail/compose';

const OPTIONS = {
  from: '"News Site comments" <comments@news.example>',
  messageIdDomain: 'news.example',
  now: new Date('2026-12-01T10:00:00.000Z'),
};

const NOTIFICATION: OutgoingMail = {
  key: 'reply#01JDQ7X6ZJ6Y8R3K2V9N4T5B1C#ada',
  to: 'ada@reader.example',
  subject: 'Zoë replied to you on “Russia and North Korea”',
  text: 'Zoë wrote:\n\nI agree — völlig.\n\nhttps://news.example/a#comment-01JDQ7X6ZJ6Y8R3K2V9N4T5B1C',
  html: '<p>Zoë wrote:</p><blockquote>I agree — völlig.</blockquote>',
  unsubscribeUrl: 'https://api.news.example/subscriptions/unsubscribe?token=abc.def',
};

/** The raw message's header block, unfolded, as name -> value. */
function headers(raw: string): Map<string, string> {
  const block = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    map.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return map;
}

describe('composeMail', () => {
  it('writes the sender, recipient, date and a Message-ID derived from the key', async () => {
    const raw = (await composeMail(NOTIFICATION, OPTIONS)).toString('utf8');
    const head = headers(raw);
    expect(head.get('from')).toBe('News Site comments <comments@news.example>');
    expect(head.get('to')).toBe('ada@reader.example');
    expect(head.get('date')).toBe('Tue, 01 Dec 2026 10:00:00 +0000');
    expect(head.get('message-id')).toBe(messageIdFor(NOTIFICATION.key, 'news.example'));
  });

  it('encodes a non-ASCII subject as an RFC 2047 word', async () => {
    const head = headers((await composeMail(NOTIFICATION, OPTIONS)).toString('utf8'));
    expect(head.get('subject')).toMatch(/^=\?UTF-8\?[QB]\?/);
    expect(head.get('subject')).not.toContain('ë');
  });

  it('carries the RFC 8058 one-click unsubscribe headers on subscription mail', async () => {
    const head = headers((await composeMail(NOTIFICATION, OPTIONS)).toString('utf8'));
    expect(head.get('list-unsubscribe')).toBe(`<${NOTIFICATION.unsubscribeUrl}>`);
    expect(head.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('has no unsubscribe headers on mail that is not a subscription', async () => {
    const { unsubscribeUrl: _, ...confirmation } = NOTIFICATION;
    const head = headers((await composeMail(confirmation, OPTIONS)).toString('utf8'));
    expect(head.has('list-unsubscribe')).toBe(false);
    expect(head.has('list-unsubscribe-post')).toBe(false);
  });

  it('is multipart/alternative with a plain-text part before the HTML part', async () => {
    const raw = (await composeMail(NOTIFICATION, OPTIONS)).toString('utf8');
    expect(headers(raw).get('content-type')).toMatch(/^multipart\/alternative; boundary=/);
    const plain = raw.indexOf('Content-Type: text/plain; charset=utf-8');
    const html = raw.indexOf('Content-Type: text/html; charset=utf-8');
    expect(plain).toBeGreaterThan(0);
    expect(html).toBeGreaterThan(plain);
    expect(raw).toContain('Content-Transfer-Encoding: quoted-printable');
  });

  it('gives the same Message-ID for the same key and another for another key', () => {
    expect(messageIdFor('a', 'x.example')).toBe(messageIdFor('a', 'x.example'));
    expect(messageIdFor('a', 'x.example')).not.toBe(messageIdFor('b', 'x.example'));
    expect(messageIdFor('a', 'x.example')).toMatch(/^<[A-Za-z0-9_-]{32}@x\.example>$/);
  });
});
