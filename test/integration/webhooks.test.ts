/**
 * Outgoing webhooks and Slack on DynamoDB Local, through the real handlers, the real dispatcher and
 * sender, and HTTP to a receiver on 127.0.0.1 that verifies each signature as docs/screening.md
 * tells a site to: events as a moderator decides, nothing for a decision undone in time, a
 * deletion, Slack's one-click links acting, and a failed delivery logged and made on a retry
 * through the local server's in-process queue.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { inProcessQueue, sqsRecord } from '../../bin/local/outbox';
import { verifySignature } from '../../lambda/domain/webhook-signature';
import type { Delivery, HookSendDeps, QueuedDelivery } from '../../lambda/domain/webhooks';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { WebhookRepository } from '../../lambda/store/webhook-repository';
import { createHookDispatcher } from '../../lambda/webhooks/dispatcher';
import { httpPoster } from '../../lambda/webhooks/http-poster';
import { createHookSender } from '../../lambda/webhooks/sender';
import { type Api, createApi } from '../support/api';
import { createTestTable, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { pollUntil } from '../support/poll';
import { FUTURE_HOUR } from './flows';

jest.setTimeout(60_000);

const SECRET = 'whsec-integration-0123456789-abcdefgh';

interface Received {
  path: string;
  body: string;
  signed: boolean;
}

/** The site's receiver: answers `status` (200 unless told), and checks every signature. */
class Receiver {
  received: Received[] = [];
  statuses: number[] = [];
  private server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const header = request.headers['talkback-signature'];
      const signed = verifySignature(
        typeof header === 'string' ? header : undefined,
        body,
        SECRET,
        now,
      );
      this.received.push({ path: request.url ?? '', body, signed });
      response.writeHead(this.statuses.shift() ?? 200).end();
    });
  });
  url = '';
  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop() {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
  events() {
    return this.received
      .filter((r) => r.path === '/in')
      .map((r) => {
        const event = JSON.parse(r.body);
        return { type: event.type, status: event.comment.status, signed: r.signed };
      });
  }
  slack() {
    return this.received.filter((r) => r.path === '/slack').map((r) => JSON.parse(r.body));
  }
}

let table: TestTable;
const receiver = new Receiver();
let now = FUTURE_HOUR;
const clock = () => now;

beforeAll(async () => {
  captureLogs();
  await receiver.start();
  table = await createTestTable('webhooks');
});
afterAll(async () => {
  await receiver.stop();
  await table.drop();
});
beforeEach(() => {
  receiver.received = [];
});

interface World {
  runtime: Runtime;
  api: Api;
  sendDeps: HookSendDeps;
  dispatch(
    eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
    articleId: string,
    commentId: string,
  ): Promise<void>;
  /** Hands the sender every queued delivery that is due now; later ones stay queued. */
  drain(): Promise<void>;
}

function world(): World {
  const settings = {
    moderation: { policy: 'first-time', undoSeconds: 6 },
    webhooks: [
      {
        url: `${receiver.url}/in`,
        secret: SECRET,
        events: ['comment.created', 'comment.published', 'comment.removed'],
      },
    ],
    slackWebhookUrl: `${receiver.url}/slack`,
  };
  const runtime = table.runtime({ TALKBACK_SETTINGS: JSON.stringify(settings) }, { clock });
  const store = new WebhookRepository(table.documentClient, table.tableName, false);
  const due: { job: Delivery; at: number }[] = [];
  const dispatcher = createHookDispatcher({
    store,
    webhooks: runtime.settings.webhooks,
    slack: true,
    undoSeconds: runtime.settings.moderation.undoSeconds,
    queue: {
      async enqueue(jobs: QueuedDelivery[]) {
        for (const { job, delaySeconds } of jobs) due.push({ job, at: now + delaySeconds * 1000 });
      },
    },
  });
  const sendDeps: HookSendDeps = {
    store,
    hasher: runtime.hasher,
    clock,
    endpoints: runtime.settings.webhooks.map((webhook) => ({
      ...webhook,
      secret: async () => SECRET,
    })),
    slackUrl: async () => `${receiver.url}/slack`,
    links: { apiUrl: 'https://api.news.example', consoleUrl: 'https://news.example/admin/' },
    post: httpPoster(),
  };
  const sender = createHookSender({ ...sendDeps, retryLater: async () => undefined });
  return {
    runtime,
    api: createApi(runtime),
    sendDeps,
    async dispatch(eventName, articleId, commentId) {
      const key = keys.commentById(articleId, commentId);
      await dispatcher({
        Records: [{ eventName, dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } } }],
      } as DynamoDBStreamEvent);
    },
    async drain() {
      const ready = due.filter((entry) => entry.at <= now);
      due.splice(0, due.length, ...due.filter((entry) => entry.at > now));
      for (const { job } of ready) {
        const answer = await sender({ Records: [sqsRecord(JSON.stringify(job), 1)] });
        expect(answer.batchItemFailures).toEqual([]);
      }
    },
  };
}

let articleSeq = 0;
async function post(w: World, fields: Record<string, unknown> = {}) {
  const articleId = `hooks-${++articleSeq}`;
  const response = await w.api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: `ada${articleSeq}@reader.example`, body: 'A comment.', ...fields },
  });
  expect(response.status).toBe(201);
  const id = (response.json.comment as { id: string }).id;
  await w.dispatch('INSERT', articleId, id);
  return { articleId, id };
}

const moderate = (w: World, id: string, status: string) =>
  w.api('PATCH', `/admin/comments/${id}`, { body: { status }, operator: true });

describe('outgoing webhooks', () => {
  it('tell the endpoint of a held comment, signed and without its email, and of its approval once the undo has passed', async () => {
    const w = world();
    const { articleId, id } = await post(w);
    await w.drain();
    expect(receiver.events()).toEqual([
      { type: 'comment.created', status: 'pending', signed: true },
    ]);
    expect(receiver.received.map((r) => r.body).join('')).not.toContain('@reader.example');

    expect((await moderate(w, id, 'published')).status).toBe(200);
    await w.dispatch('MODIFY', articleId, id);
    await w.drain();
    // Not yet: the approval can still be undone.
    expect(receiver.events()).toHaveLength(1);
    now += 13_000;
    await w.drain();
    expect(receiver.events().at(-1)).toEqual({
      type: 'comment.published',
      status: 'published',
      signed: true,
    });
  });

  it('tell nothing of an approval undone in time', async () => {
    const w = world();
    const { articleId, id } = await post(w);
    await w.drain();
    receiver.received = [];
    await moderate(w, id, 'published');
    await w.dispatch('MODIFY', articleId, id);
    // The moderator's Undo, within the window.
    await moderate(w, id, 'pending');
    await w.dispatch('MODIFY', articleId, id);
    now += 13_000;
    await w.drain();
    expect(receiver.events()).toEqual([]);
  });

  it('tell of a published comment taken down, and of a deletion', async () => {
    const w = world();
    const { articleId, id } = await post(w);
    await moderate(w, id, 'published');
    now += 13_000;
    await w.dispatch('MODIFY', articleId, id);
    await w.drain();
    now += 13_000;
    await w.drain();
    receiver.received = [];

    await moderate(w, id, 'spam');
    await w.dispatch('MODIFY', articleId, id);
    now += 13_000;
    await w.drain();
    expect(receiver.events()).toEqual([{ type: 'comment.removed', status: 'spam', signed: true }]);

    expect((await w.api('DELETE', `/admin/comments/${id}`, { operator: true })).status).toBe(204);
    await w.dispatch('REMOVE', articleId, id);
    await w.drain();
    expect(receiver.events().at(-1)).toEqual({
      type: 'comment.removed',
      status: 'deleted',
      signed: true,
    });
  });
});

describe('Slack', () => {
  it('gets each held comment with one-click links that act on it', async () => {
    const w = world();
    const { articleId, id } = await post(w, { body: 'Held for a human.' });
    await w.drain();
    const [message] = receiver.slack();
    const text: string = message.blocks[0].text.text;
    expect(text).toContain('> Held for a human.');
    const approve =
      /<(https:\/\/api\.news\.example\/moderation\/actions\?token=[^|]+)\|Approve>/.exec(text)?.[1];
    expect(approve).toBeDefined();
    const url = new URL(approve ?? '');
    const acted = await w.api('POST', url.pathname, {
      query: Object.fromEntries(url.searchParams),
    });
    expect(acted.status).toBe(200);
    const shown = await w.api('GET', `/articles/${articleId}/comments`);
    expect((shown.json.comments as { id: string }[]).map((c) => c.id)).toContain(id);
  });
});

describe('locally, through the in-process queue', () => {
  it('logs a failed delivery and makes it on a retry', async () => {
    const w = world();
    const warned: string[] = [];
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation((line: string) => void warned.push(line));
    const sender = createHookSender({ ...w.sendDeps, retryLater: async () => undefined });
    const queue = inProcessQueue<Delivery>(sender, {
      name: 'webhook',
      retryBaseMs: 20,
      log: () => undefined,
    });
    const { articleId, id } = await post(w);
    receiver.statuses = [503];
    await queue.enqueue([
      {
        job: {
          kind: 'event',
          event: 'comment.created',
          url: `${receiver.url}/in`,
          ref: { articleId, commentId: id },
          stamp:
            (await w.sendDeps.store.findComment({ articleId, commentId: id }))?.createdAt ?? '',
        },
        delaySeconds: 0,
      },
    ]);
    await pollUntil(
      async () => receiver.events(),
      (events) => events.length === 2,
      { intervalMs: 20, what: 'the delivery made again' },
    );
    queue.stop();
    warn.mockRestore();
    expect(receiver.events()).toEqual([
      { type: 'comment.created', status: 'pending', signed: true },
      { type: 'comment.created', status: 'pending', signed: true },
    ]);
    expect(warned.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        message: 'webhook delivery failed; it will be tried again',
        error: 'status 503',
        endpoint: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      }),
    ]);
  });
});
