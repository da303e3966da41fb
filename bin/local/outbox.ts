/**
 * Mail on one machine (docs/notifications.md, "Locally"): the outbox sender writes each message
 * the sender function would hand to SES, byte for byte, as an RFC 5322 `.eml` file; the in-process
 * queue plays SQS between the dispatcher and the sender. `/outbox/` shows them to a person
 * (bin/local/outbox-pages.ts), read back by bin/local/outbox-mail.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MailSender, OutgoingMail } from '../../lambda/domain/mail';
import type { QueuedJob } from '../../lambda/domain/notifications';
import { composeMail, messageIdFor } from '../../lambda/mail/compose';
import type { JobQueue } from '../../lambda/mail/sqs-queue';

export interface OutboxOptions {
  folder: string;
  from: string;
  clock: () => number;
}

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
