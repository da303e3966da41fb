import { OverLimit, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { QueuedJob } from '../../../lambda/domain/notifications';
import { sqsQueue } from '../../../lambda/mail/sqs-queue';

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/talkback-mail-jobs';
const held = (n: number): QueuedJob => ({
  job: { kind: 'held', windowStart: `2026-12-02T0${n % 10}:00:00.000Z`, windowEnd: 'x' },
  delaySeconds: n,
});

beforeEach(() => sqs.reset());

describe('sqsQueue', () => {
  it('sends the jobs as JSON with their delays, ten to a SendMessageBatch', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const jobs = Array.from({ length: 12 }, (_, n) => held(n));
    await sqsQueue(new SQSClient({}), QUEUE_URL).enqueue(jobs);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    const entries = (from: number, to: number) =>
      jobs.slice(from, to).map((queued, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(queued.job),
        DelaySeconds: queued.delaySeconds,
      }));
    expect(sqs).toHaveReceivedNthCommandWith(1, SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: entries(0, 10),
    });
    expect(sqs).toHaveReceivedNthCommandWith(2, SendMessageBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: entries(10, 12),
    });
  });

  it('sends nothing for no jobs', async () => {
    await sqsQueue(new SQSClient({}), QUEUE_URL).enqueue([]);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });

  it('throws when the queue refuses some entries, so the stream batch is retried', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: 'x' }],
      Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
    });
    await expect(
      sqsQueue(new SQSClient({}), QUEUE_URL).enqueue([held(0), held(1)]),
    ).rejects.toThrow('the mail queue refused 1 of 2 jobs');
  });

  it('lets an SQS error through, so the stream batch is retried', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new OverLimit({ message: 'over', $metadata: {} }));
    await expect(sqsQueue(new SQSClient({}), QUEUE_URL).enqueue([held(0)])).rejects.toBeInstanceOf(
      OverLimit,
    );
  });
});
