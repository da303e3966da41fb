/**
 * Mail on one machine (docs/notifications.md, "Locally"): the outbox sender writes each message
 * the sender function would hand to SES, byte for byte, as an RFC 5322 `.eml` file; the in-process
 * queue plays SQS between the dispatcher and the sender; `/outbox/` lists the files and their
 * links so a person can follow a confirmation link by hand.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MailSender, OutgoingMail } from '../../lambda/domain/mail';
import { escapeHtml } from '../../lambda/domain/notification-mails';
import type { QueuedJob } from '../../lambda/domain/notifications';
import { composeMail, messageIdFor } from '../../lambda/mail/compose';
import type { JobQueue } from '../../lambda/mail/sqs-queue';

export interface OutboxOptions {
  folder: string;
  from: string;
  clock: () => number;
}

const EML = /^[\w.-]+\.eml$/;

export function outboxSender({ folder, from, clock }: OutboxOptions): MailSender {
  // Mail names readers' addresses: the developer's alone.
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const domain = from.replace(/^.*@/, '').replace(/>.*$/, '');
  return {
    async send(mail: OutgoingMail) {
      const now = clock();
      const raw = await composeMail(mail, { from, messageIdDomain: domain, now: new Date(now) });
      const id = messageIdFor(mail.key, domain)
        .slice(1, 13)
        .replace(/[^\w-]/g, '_');
      const name = `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
      // Written whole, then renamed: the listing never shows half a message.
      const partial = join(folder, `.${name}.partial`);
      writeFileSync(partial, raw, { mode: 0o600 });
      renameSync(partial, join(folder, name));
    },
  };
}

/** The decoded text of a quoted-printable message, enough to find its subject, recipient and links. */
export function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    ),
    'latin1',
  ).toString('utf8');
}

export interface OutboxEntry {
  file: string;
  to: string;
  subject: string;
  links: string[];
}

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
    .map((file) => {
      const raw = readFileSync(join(folder, file), 'utf8');
      const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
      const header = (name: string) =>
        new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'im')
          .exec(head)?.[1]
          ?.replace(/\r?\n[ \t]/g, ' ') ?? '';
      const text = decodeQuotedPrintable(rest.join('\n\n'));
      const links = [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
      return { file, to: header('To'), subject: header('Subject'), links };
    });
}

/** Answers `/outbox/` (the list) and `/outbox/<file>.eml` (one message); false for other paths. */
export function serveOutbox(
  folder: string,
  path: string,
  respond: (status: number, type: string, body: string | Buffer) => void,
): boolean {
  if (path === '/outbox' || path === '/outbox/') {
    const rows = readOutbox(folder).map(
      (entry) =>
        `<li><a href="/outbox/${entry.file}">${escapeHtml(entry.subject || entry.file)}</a> to ${escapeHtml(entry.to)}<ul>${entry.links
          .map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`)
          .join('')}</ul></li>`,
    );
    respond(
      200,
      'text/html; charset=utf-8',
      `<!doctype html><meta charset="utf-8"><title>Outbox</title><h1>Outbox</h1><p>${escapeHtml(folder)}: newest first. Subjects are MIME-encoded as sent.</p><ul>${rows.join('')}</ul>`,
    );
    return true;
  }
  const file = path.startsWith('/outbox/') ? path.slice('/outbox/'.length) : undefined;
  if (file === undefined || !EML.test(file)) return false;
  try {
    respond(200, 'text/plain; charset=utf-8', readFileSync(join(folder, file)));
  } catch {
    respond(404, 'text/plain; charset=utf-8', 'No such message.');
  }
  return true;
}

export interface InProcessQueue<J = QueuedJob['job']> extends JobQueue<J> {
  stop(): void;
}

export function sqsRecord(body: string, receiveCount: number): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:talkback-mail',
    awsRegion: 'local',
  };
}

/**
 * SQS on one machine (the mail queue's, and the webhook deliveries'): each job reaches the
 * consumer after its delay; a failed one is offered again after a doubling wait, and after
 * `maxReceives` tries it is dropped with one stderr line (the dead-letter queue's part).
 */
export function inProcessQueue<J = QueuedJob['job']>(
  consume: (event: SQSEvent) => Promise<SQSBatchResponse>,
  {
    name = 'mail',
    maxReceives = 5,
    retryBaseMs = 1000,
    log = (line: string): void => {
      process.stderr.write(`${line}\n`);
    },
  }: {
    /** Names the queue in its log line. */
    name?: string;
    maxReceives?: number;
    retryBaseMs?: number;
    log?: (line: string) => void;
  } = {},
): InProcessQueue<J> {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (ms: number, work: () => Promise<void>) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      work().catch(() => undefined);
    }, ms);
    timers.add(timer);
  };
  const deliver = async (body: string, receiveCount: number): Promise<void> => {
    const record = sqsRecord(body, receiveCount);
    const failed = await consume({ Records: [record] })
      .then((answer) => answer.batchItemFailures.length > 0)
      .catch(() => true);
    if (!failed) return;
    if (receiveCount >= maxReceives) {
      log(`${name} queue: a job failed ${receiveCount} times and was dropped (dead letter)`);
      return;
    }
    later(retryBaseMs * 2 ** (receiveCount - 1), () => deliver(body, receiveCount + 1));
  };
  return {
    async enqueue(jobs) {
      for (const { job, delaySeconds } of jobs) {
        later(delaySeconds * 1000, () => deliver(JSON.stringify(job), 1));
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
