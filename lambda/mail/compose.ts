/**
 * RFC 5322 messages from OutgoingMail, built by nodemailer's MailComposer: multipart/alternative
 * with a plain-text and an HTML part, quoted-printable UTF-8, and the RFC 8058 headers on
 * subscription mail. The same bytes go to SES and to the local outbox.
 */
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from '../domain/mail';

export interface ComposeOptions {
  /** The verified sender, e.g. `"News Site comments" <comments@news.example>`. */
  from: string;
  /** The domain part of Message-IDs (the sender's domain). */
  messageIdDomain: string;
  now: Date;
}

/** A Message-ID that is the same for the same key, so a redelivered message is recognisable. */
export function messageIdFor(key: string, domain: string): string {
  return `<${digest(key).slice(0, 32)}@${domain}>`;
}

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

export function composeMail(mail: OutgoingMail, options: ComposeOptions): Promise<Buffer> {
  const composer = new MailComposer({
    from: options.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    date: options.now,
    messageId: messageIdFor(mail.key, options.messageIdDomain),
    textEncoding: 'quoted-printable',
    // Content comes from strings only: never let a value be read as a file path or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    // The same message for the same key, boundaries included: a redelivery is byte for byte
    // what was composed before.
    baseBoundary: digest(`boundary\u0000${mail.key}`).slice(0, 16),
    // Written here rather than through nodemailer's `list` option, which only its transports
    // (not MailComposer) turn into headers.
    ...(mail.unsubscribeUrl
      ? {
          headers: {
            'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }
      : {}),
  });
  return composer.compile().build();
}
