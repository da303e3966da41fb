/**
 * The builders of the webhook functions' areas (lambda/areas.ts says why some builders live apart):
 * the dispatcher's and the sender's, their queue and its backoff. Only the webhook functions import
 * this module.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import * as v from 'valibot';
import { type Foundation, tableOf } from '../areas';
import { isSecretArn } from '../domain/hook-settings';
import type { DeliveryQueue, HookDispatchDeps, HookLinks, HookSendDeps } from '../domain/webhooks';
import { required, WEBHOOK_LINKS_ENV, WEBHOOK_QUEUE_URL_ENV } from '../env';
import { sqsJobQueue } from '../mail/sqs-queue';
import { WebhookRepository } from '../store/webhook-repository';
import { endpointSecret } from './endpoint-secret';
import { httpPoster } from './http-poster';
import type { RetryLater } from './sender';
import { sqsRetryLater } from './sqs-retry';

const httpUrl = v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'must be an http(s) URL'));

const linksSchema = v.object({
  apiUrl: v.pipe(
    httpUrl,
    v.transform((url) => url.replace(/\/+$/, '')),
  ),
  articleUrlTemplate: v.optional(
    v.pipe(v.string(), v.regex(/^https?:\/\/.*\{articleId\}/, 'must contain {articleId}')),
  ),
  consoleUrl: v.optional(httpUrl),
});

/** TALKBACK_WEBHOOK_LINKS, checked; a bad value fails the cold start naming the field. */
export function hookLinksFromEnv(env: NodeJS.ProcessEnv): HookLinks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(required(env, WEBHOOK_LINKS_ENV));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new Error(`Talkback configuration: ${WEBHOOK_LINKS_ENV} is not valid JSON`);
    }
    throw error;
  }
  const result = v.safeParse(linksSchema, parsed);
  if (!result.success) {
    const issue = result.issues[0];
    throw new Error(
      `Talkback configuration: ${WEBHOOK_LINKS_ENV}: ${v.getDotPath(issue) ?? '(root)'} ${issue.message}`,
    );
  }
  return result.output;
}

/** The repository; `includeEmail` reads the email too (the sender, where an endpoint opted in). */
function hookStore(base: Foundation, includeEmail: boolean): WebhookRepository {
  const { client, tableName } = tableOf(base);
  return new WebhookRepository(client, tableName, includeEmail);
}

/** The dispatcher decides from a comment's state: it never reads an email. */
export const hookDispatchFrom = (base: Foundation): HookDispatchDeps => ({
  store: hookStore(base, false),
  webhooks: base.settings.webhooks,
  slack: base.settings.slackWebhookUrl !== undefined,
  undoSeconds: base.settings.moderation.undoSeconds,
});

/** The Slack address: given (locally), or the value of the secret its ARN names (on AWS). */
function slackUrlOf(value: string | undefined): (() => Promise<string>) | undefined {
  if (value === undefined) return undefined;
  return isSecretArn(value) ? endpointSecret({ secretArn: value }) : async () => value;
}

export const hookSendFrom = (base: Foundation): HookSendDeps => {
  const slackUrl = slackUrlOf(base.settings.slackWebhookUrl);
  return {
    store: hookStore(
      base,
      base.settings.webhooks.some((webhook) => webhook.includeEmail),
    ),
    hasher: base.hasher,
    clock: base.clock,
    endpoints: base.settings.webhooks.map((webhook) => ({
      url: webhook.url,
      events: webhook.events,
      includeEmail: webhook.includeEmail,
      secret: endpointSecret(webhook),
    })),
    ...(slackUrl ? { slackUrl } : {}),
    // Only the Slack message has links: without Slack the variable is not needed.
    links: slackUrl ? hookLinksFromEnv(base.env) : { apiUrl: '' },
    post: httpPoster(),
  };
};

const queueUrl = (base: Foundation): string => required(base.env, WEBHOOK_QUEUE_URL_ENV);

/** The queue the dispatcher fills; on AWS the sender function consumes it. */
export const hookQueueFrom = (base: Foundation): DeliveryQueue =>
  sqsJobQueue(new SQSClient({}), queueUrl(base), 'webhook');

/** The sender's backoff: a failed delivery's message comes back after a doubling wait. */
export const hookRetryFrom = (base: Foundation): RetryLater =>
  sqsRetryLater(new SQSClient({}), queueUrl(base));
