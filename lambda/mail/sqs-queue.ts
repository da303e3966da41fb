/**
 * The mail queue on Amazon SQS: jobs as JSON, up to ten a request, each with its delay.
 *
 * SQS's JSON protocol (SendMessageBatch), signed with SigV4 and sent with fetch: the project does
 * not ship @aws-sdk/client-sqs (see docs/notifications.md, "Delivery"); with it, this adapter
 * becomes one SendMessageBatchCommand and nothing else changes.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { MailQueue, QueuedJob } from '../domain/notifications';

const BATCH = 10;

export interface SqsQueueOptions {
  queueUrl: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  fetch?: typeof fetch;
}

/** Lambda's own credentials, from the variables the runtime sets. */
export function lambdaCredentials(env: NodeJS.ProcessEnv): AwsCredentialIdentity {
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    sessionToken: env.AWS_SESSION_TOKEN,
  };
}

export function sqsQueue(options: SqsQueueOptions): MailQueue {
  const endpoint = new URL(`https://sqs.${options.region}.amazonaws.com/`);
  const signer = new SignatureV4({
    service: 'sqs',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const send = options.fetch ?? fetch;
  return {
    async enqueue(jobs: QueuedJob[]) {
      for (let start = 0; start < jobs.length; start += BATCH) {
        const entries = jobs.slice(start, start + BATCH).map(({ job, delaySeconds }, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(job),
          DelaySeconds: delaySeconds,
        }));
        const body = JSON.stringify({ QueueUrl: options.queueUrl, Entries: entries });
        const signed = await signer.sign({
          method: 'POST',
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          path: endpoint.pathname,
          headers: {
            host: endpoint.hostname,
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'AmazonSQS.SendMessageBatch',
          },
          body,
        });
        // fetch sets Host itself and refuses to be given one.
        const { host: _host, ...headers } = signed.headers;
        const response = await send(endpoint.toString(), { method: 'POST', headers, body });
        const answer = (await response.json().catch(() => ({}))) as {
          Failed?: unknown[];
          __type?: string;
        };
        // Throwing has the stream batch retried; jobs that did go in are still sent only once.
        if (!response.ok) {
          throw new Error(`the mail queue answered ${response.status} ${answer.__type ?? ''}`);
        }
        if ((answer.Failed ?? []).length > 0) {
          throw new Error(
            `the mail queue refused ${answer.Failed?.length} of ${entries.length} jobs`,
          );
        }
      }
    },
  };
}
