/**
 * Mail on DynamoDB Local, through the real handlers, the real dispatcher and sender, and the
 * outbox (the local server's SES): confirmation, confirm, a published reply's notification,
 * unsubscribe, redelivery sending once, the limits, erasure, and moderators' notices.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { inProcessQueue, outboxSender, sqsRecord } from '../../bin/local/outbox';
import { decodeQuotedPrintable, readOutbox } from '../../bin/local/outbox-mail';
import { ulidTime } from '../../lambda/domain/ids';
import { importedCommentId } from '../../lambda/domain/imports';
import { createKeyedHasher } from '../../lambda/domain/keyed-hash';
import {
  CONFIRMATION_INTERVAL_MS,
  confirmToken,
  LINK_LIFETIME_MS,
  type MailQueue,
  moderationToken,
  NOTIFICATIONS_PER_HOUR,
  NOTIFY_REQUESTS_PER_HOUR,
  type NotificationDeps,
  type QueuedJob,
  unsubscribeToken,
} from '../../lambda/domain/notifications';
import { createDispatcher } from '../../lambda/mail/dispatcher';
import { createSender } from '../../lambda/mail/sender';
import type { Runtime } from '../../lambda/runtime';
import { keys } from '../../lambda/store/keys';
import { NotificationRepository } from '../../lambda/store/notification-repository';
import { type Api, createApi } from '../support/api';
import { createTestTable, TEST_SECRET, type TestTable } from '../support/dynamodb';
import { captureLogs } from '../support/logs';
import { AUDIENCE, hs256Token, SHARED_ISSUER, SHARED_SECRET } from '../support/reader-issuer';
import { FUTURE_HOUR, TEST_MAIL } from './flows';

jest.setTimeout(60_000);

let table: TestTable;
let outbox: string;
let now = FUTURE_HOUR;
const clock = () => (now += 1000);
let articleSeq = 0;
const article = (name: string) => `${name}-${++articleSeq}`;

/** SQS for the test: jobs wait until `drain` hands them to the sender, as often as asked. */
class TestQueue implements MailQueue {
  jobs: QueuedJob[] = [];
  async enqueue(jobs: QueuedJob[]) {
    this.jobs.push(...jobs);
  }
}

interface World {
  runtime: Runtime;
  api: Api;
  queue: TestQueue;
  /** The dispatcher, given the stream record of a comment's keys. */
  dispatch(articleId: string, commentId: string): Promise<void>;
  /** Hands every queued job to the sender (the queue keeps them, to redeliver if asked). */
  drain(): Promise<void>;
}

function world(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): World {
  const runtime = table.runtime({ TALKBACK_SETTINGS: JSON.stringify(settings), ...env }, { clock });
  const store = new NotificationRepository(table.documentClient, table.tableName);
  const deps: NotificationDeps = {
    store,
    hasher: runtime.hasher,
    clock,
    mail: TEST_MAIL,
    undoSeconds: runtime.settings.moderation.undoSeconds,
  };
  const queue = new TestQueue();
  const dispatcher = createDispatcher({ ...deps, queue });
  const sender = createSender({
    ...deps,
    sender: outboxSender({ folder: outbox, from: 'News Site <comments@news.example>', clock }),
    queue,
  });
  return {
    runtime,
    api: createApi(runtime),
    queue,
    async dispatch(articleId, commentId) {
      const key = keys.commentById(articleId, commentId);
      const event = {
        Records: [
          { eventName: 'INSERT', dynamodb: { Keys: { PK: { S: key.PK }, SK: { S: key.SK } } } },
        ],
      } as DynamoDBStreamEvent;
      await dispatcher(event);
    },
    async drain() {
      // A job the sender queues again (a digest not yet due) waits for the next drain.
      for (const { job } of [...queue.jobs]) {
        const answer = await sender({ Records: [sqsRecord(JSON.stringify(job), 1)] });
        expect(answer.batchItemFailures).toEqual([]);
      }
    },
  };
}

async function post(w: World, articleId: string, fields: Record<string, unknown>) {
  const response = await w.api('POST', `/articles/${articleId}/comments`, {
    body: { name: 'Ada', email: 'ada@reader.example', body: 'A comment.', ...fields },
  });
  expect(response.status).toBe(201);
  const id = (response.json.comment as { id: string }).id;
  await w.dispatch(articleId, id);
  return { id, response };
}

const mailTo = (address: string) => readOutbox(outbox).filter((entry) => entry.to === address);
/** A message as a reader sees it: headers unfolded, quoted-printable decoded. */
const raw = (file: string) =>
  decodeQuotedPrintable(readFileSync(join(outbox, file), 'utf8').replace(/\r?\n[ \t]+/g, ' '));
/** A link of the mail as the API test client takes it: path and query. */
function request(link: string) {
  const url = new URL(link);
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

/** A moderator publishes the comment. */
const publish = (w: World, commentId: string) =>
  w.api('PATCH', `/admin/comments/${commentId}`, { body: { status: 'published' }, operator: true });

/**
 * A held comment by `email`, who asked to hear of replies: a moderator publishes it, and its
 * author confirms the address from the mail that asks.
 */
async function subscribedParent(w: World, articleId: string, email: string) {
  const parent = await post(w, articleId, { email, notify: true });
  await publish(w, parent.id);
  await w.drain();
  const link = mailTo(email)[0]?.links.find((l) => l.includes('/confirm')) ?? '';
  await w.api('POST', request(link).path, { query: request(link).query });
  return parent;
}

beforeAll(async () => {
  captureLogs();
  table = await createTestTable('notifications');
});
beforeEach(() => {
  outbox = mkdtempSync(join(tmpdir(), 'talkback-test-outbox-'));
});
afterEach(() => rmSync(outbox, { recursive: true, force: true }));
afterAll(async () => table.drop());

describe('reply notifications', () => {
  it('confirm, notify of a reply once, never of one’s own, and stop after unsubscribing', async () => {
    const w = world();
    const articleId = article('reader');
    const ada = 'ada@reader.example';
    const asked = await post(w, articleId, { email: ada, notify: true });
    await w.drain();

    // One confirmation, naming the site and linking the comment; nothing else yet.
    const [confirmation, ...others] = mailTo(ada);
    expect(others).toEqual([]);
    expect(confirmation?.subject).toContain('News Site');
    expect(confirmation?.links).toContain(`https://news.example/${articleId}#comment-${asked.id}`);
    const confirmLink = confirmation?.links.find((link) => link.includes('/subscriptions/confirm'));
    expect(confirmLink).toBeDefined();

    // Before confirming, a reply sends nothing.
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Zoë', email: 'zoe@other.example', parentId: asked.id });
    await w.drain();
    expect(mailTo(ada)).toHaveLength(1);

    // Following the link (as a mail scanner does) shows a button and changes nothing.
    const { path, query } = request(confirmLink ?? '');
    const confirmPage = await w.api('GET', path, { query });
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.headers['content-type']).toMatch(/^text\/html/);
    expect(confirmPage.text).toContain('<form method="post"');
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Yan', email: 'yan@other.example', parentId: asked.id });
    await w.drain();
    expect(mailTo(ada)).toHaveLength(1);

    // The button's POST confirms.
    const confirmed = await w.api('POST', path, { query });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers['content-type']).toMatch(/^text\/html/);

    // A reply now: one notification, with the one-click headers, not the replier's email.
    w.queue.jobs = [];
    const reply = await post(w, articleId, {
      name: 'Bob <b>',
      email: 'bob@other.example',
      parentId: asked.id,
      body: 'I <disagree> & say so.',
    });
    await w.drain();
    await w.dispatch(articleId, reply.id); // the same stream record again
    await w.drain(); // and every job delivered twice
    const notices = mailTo(ada).filter((entry) => entry.subject.includes('replied'));
    expect(notices).toHaveLength(1);
    const message = raw(notices[0]?.file ?? '');
    expect(message).toMatch(
      /^List-Unsubscribe: <https:\/\/api\.news\.example\/subscriptions\/unsubscribe\?token=/m,
    );
    expect(message).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(message).toContain('I &lt;disagree&gt; &amp; say so.');
    expect(message).not.toContain('bob@other.example');
    expect(notices[0]?.links).toContain(`https://news.example/${articleId}#comment-${reply.id}`);

    // Ada's own reply to her comment tells her nothing.
    w.queue.jobs = [];
    await post(w, articleId, { email: 'ADA@reader.example', parentId: asked.id });
    await w.drain();
    expect(mailTo(ada).filter((entry) => entry.subject.includes('replied'))).toHaveLength(1);

    // The unsubscribe page changes nothing; its button's POST (RFC 8058) stops the mail.
    const unsubscribeLink = notices[0]?.links.find((link) => link.includes('/unsubscribe'));
    const target = request(unsubscribeLink ?? '');
    const page = await w.api('GET', target.path, { query: target.query });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    // Nothing has happened yet, and the page does not say it has (until the button is pressed).
    expect(page.text).not.toContain('will get no more emails');
    w.queue.jobs = [];
    const second = await post(w, articleId, {
      name: 'Cy',
      email: 'cy@other.example',
      parentId: asked.id,
    });
    await w.drain();
    expect(mailTo(ada).filter((entry) => entry.subject.includes('replied'))).toHaveLength(2);

    const posted = await w.api('POST', target.path, {
      query: target.query,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Di', email: 'di@other.example', parentId: asked.id });
    await w.dispatch(articleId, second.id);
    await w.drain();
    expect(mailTo(ada).filter((entry) => entry.subject.includes('replied'))).toHaveLength(2);
  });

  it('refuses bad tokens: a 400 page for the GETs, problem+json for the POST', async () => {
    const w = world();
    for (const path of ['/subscriptions/confirm', '/subscriptions/unsubscribe']) {
      const page = await w.api('GET', path, { query: { token: 'forged.token' } });
      expect(page.status).toBe(400);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const posted = await w.api('POST', path, { query: { token: 'x.y' } });
      expect(posted.status).toBe(400);
      expect(posted.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('sends one confirmation per address per day, and none to a confirmed address', async () => {
    const w = world();
    const email = 'once@reader.example';
    await post(w, article('daily'), { email, notify: true });
    await post(w, article('daily'), { email, notify: true });
    await w.drain();
    expect(mailTo(email)).toHaveLength(1);

    now += CONFIRMATION_INTERVAL_MS;
    w.queue.jobs = [];
    await post(w, article('daily'), { email, notify: true });
    await w.drain();
    const mails = mailTo(email);
    expect(mails).toHaveLength(2);

    const { path, query } = request(mails[0]?.links.find((l) => l.includes('/confirm')) ?? '');
    expect((await w.api('POST', path, { query })).status).toBe(200);
    now += CONFIRMATION_INTERVAL_MS;
    w.queue.jobs = [];
    await post(w, article('daily'), { email, notify: true });
    await w.drain();
    expect(mailTo(email)).toHaveLength(2);
  });

  it('limits how often one client may ask for notifications, and answers alike either way', async () => {
    const w = world();
    const sourceIp = '198.51.100.23';
    const articleId = article('limit');
    const answers: string[] = [];
    for (let index = 0; index < NOTIFY_REQUESTS_PER_HOUR; index++) {
      const response = await w.api('POST', `/articles/${articleId}/comments`, {
        sourceIp,
        body: { name: 'M', email: `m${index}@reader.example`, body: 'Hi.', notify: true },
      });
      expect(response.status).toBe(201);
      answers.push(Object.keys(response.json).sort().join());
    }
    const refused = await w.api('POST', `/articles/${articleId}/comments`, {
      sourceIp,
      body: { name: 'M', email: 'm-last@reader.example', body: 'Hi.', notify: true },
    });
    expect(refused.status).toBe(429);
    const plain = await w.api('POST', `/articles/${articleId}/comments`, {
      sourceIp,
      body: { name: 'M', email: 'm-last@reader.example', body: 'Hi.' },
    });
    expect(plain.status).toBe(201);
    expect(new Set(answers).size).toBe(1);
  });

  it('stops all mail to an erased address and forgets its subscription', async () => {
    const w = world();
    const email = 'erase@reader.example';
    const articleId = article('erase');
    const asked = await post(w, articleId, { email, notify: true });
    await w.drain();
    const link = mailTo(email)[0]?.links.find((l) => l.includes('/confirm')) ?? '';
    expect((await w.api('POST', request(link).path, { query: request(link).query })).status).toBe(
      200,
    );

    const erased = await w.api('POST', '/admin/erasures', { body: { email }, operator: true });
    expect(erased.status).toBe(200);
    const hash = w.runtime.hasher.hash('email', email);
    expect((await table.scanAll()).some((item) => item.PK === `SUBSCRIBER#${hash}`)).toBe(false);

    w.queue.jobs = [];
    await post(w, articleId, { name: 'Zoë', email: 'zoe@other.example', parentId: asked.id });
    await w.drain();
    expect(mailTo(email)).toHaveLength(1);
    // An old confirmation link does not bring the address back.
    expect((await w.api('POST', request(link).path, { query: request(link).query })).status).toBe(
      400,
    );
  });

  it('does not let an old confirmation link re-subscribe an address that unsubscribed and was asked for again', async () => {
    const w = world();
    const email = 'again@reader.example';
    const articleId = article('again');
    const replies = () => mailTo(email).filter((m) => m.subject.includes('replied'));
    const first = await post(w, articleId, { email, notify: true });
    await w.drain();
    const oldLink = request(mailTo(email)[0]?.links.find((l) => l.includes('/confirm')) ?? '');
    expect((await w.api('POST', oldLink.path, { query: oldLink.query })).status).toBe(200);
    const hash = w.runtime.hasher.hash('email', email);
    // Unsubscribed, then someone posts with the address and asks again a day later.
    await new NotificationRepository(table.documentClient, table.tableName).unsubscribe(
      hash,
      new Date(now).toISOString(),
    );
    now += CONFIRMATION_INTERVAL_MS;
    w.queue.jobs = [];
    await post(w, articleId, { email, notify: true });
    await w.drain();
    const links = mailTo(email).flatMap((m) => m.links.filter((l) => l.includes('/confirm')));
    expect(links).toHaveLength(2);
    const newLink = request(
      links.find((l) => request(l).query.token !== oldLink.query.token) ?? '',
    );

    // The first mail's link, still within its 7 days, is refused and confirms nothing.
    expect((await w.api('POST', oldLink.path, { query: oldLink.query })).status).toBe(400);
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Zoë', email: 'zoe@other.example', parentId: first.id });
    await w.drain();
    expect(replies()).toHaveLength(0);

    // The new mail's link, asked for after the unsubscription, confirms.
    expect((await w.api('POST', newLink.path, { query: newLink.query })).status).toBe(200);
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Xi', email: 'xi@other.example', parentId: first.id });
    await w.drain();
    expect(replies()).toHaveLength(1);
  });

  it('sends at most a few notifications per address an hour, the rest as one digest when it ends', async () => {
    const w = world();
    const email = 'popular@reader.example';
    const articleId = article('popular');
    // The start of an hour of its own, so the test's replies all fall in it.
    now = Math.ceil(now / 3_600_000) * 3_600_000 + 3_600_000;
    const asked = await post(w, articleId, { email, notify: true });
    await w.drain();
    const link = mailTo(email)[0]?.links.find((l) => l.includes('/confirm')) ?? '';
    await w.api('POST', request(link).path, { query: request(link).query });

    w.queue.jobs = [];
    const extra = 3;
    const replies: string[] = [];
    for (let index = 0; index < NOTIFICATIONS_PER_HOUR + extra; index++) {
      const reply = await post(w, articleId, {
        name: `Replier ${index}`,
        email: `r${index}@other.example`,
        parentId: asked.id,
        body: `Reply number ${index}.`,
      });
      replies.push(reply.id);
    }
    // Every reply's stream record again (a redelivery) changes nothing below.
    for (const id of replies) await w.dispatch(articleId, id);
    await w.drain();
    const single = () => mailTo(email).filter((m) => m.subject.includes('replied'));
    const digests = () => mailTo(email).filter((m) => m.subject.includes('more replies'));
    expect(single()).toHaveLength(NOTIFICATIONS_PER_HOUR);
    expect(digests()).toHaveLength(0);
    const waiting = w.queue.jobs.filter(({ job }) => job.kind === 'replies');
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every(({ delaySeconds }) => delaySeconds > 0 && delaySeconds <= 900)).toBe(true);

    // The hour ends: one digest naming exactly the replies past the cap, with the one-click headers.
    now += 3_600_000;
    w.queue.jobs = w.queue.jobs.filter(({ job }) => job.kind === 'replies');
    await w.drain();
    await w.drain();
    expect(single()).toHaveLength(NOTIFICATIONS_PER_HOUR);
    expect(digests()).toHaveLength(1);
    const message = raw(digests()[0]?.file ?? '');
    expect(digests()[0]?.subject).toContain(`${extra} more replies`);
    for (let index = 0; index < replies.length; index++) {
      const inDigest = index >= NOTIFICATIONS_PER_HOUR;
      expect([index, message.includes(`Reply number ${index}.`)]).toEqual([index, inDigest]);
    }
    expect(message).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(message).not.toContain('@other.example');
  });

  it('notifies of a held reply when a moderator approves it', async () => {
    const w = world({ moderation: { policy: 'all' } });
    const articleId = article('held-reply');
    const email = 'held@reader.example';
    const parent = await subscribedParent(w, articleId, email);

    w.queue.jobs = [];
    const reply = await post(w, articleId, {
      name: 'Zoë',
      email: 'zoe@other.example',
      parentId: parent.id,
    });
    await w.drain();
    expect(mailTo(email).filter((m) => m.subject.includes('replied'))).toHaveLength(0);
    await publish(w, reply.id);
    await w.dispatch(articleId, reply.id);
    await w.drain();
    expect(mailTo(email).filter((m) => m.subject.includes('replied'))).toHaveLength(1);
  });
});

describe('a signed-in reader’s reply notifications', () => {
  const READERS = {
    readers: { issuers: [{ issuer: SHARED_ISSUER, audience: AUDIENCE, secret: SHARED_SECRET }] },
  };
  const READER_EMAIL = 'kate@reader.example';
  const token = (sub = 'user-kate') =>
    hs256Token(now, { claims: { sub, name: 'Kate', email: READER_EMAIL } });
  const confirmLinks = () =>
    mailTo(READER_EMAIL).flatMap((mail) => mail.links.filter((l) => l.includes('/confirm')));
  const replies = () => mailTo(READER_EMAIL).filter((mail) => mail.subject.includes('replied'));

  it('keeps them under the reader’s own key: a guest typing the address rides on none of it', async () => {
    const w = world(READERS);
    const articleId = article('signed-in');
    const asked = await post(w, articleId, { reader: await token(), notify: true });
    await w.drain();
    expect(confirmLinks()).toHaveLength(1);
    const subscribers = (await table.scanAll()).filter((item) => item.entity === 'Subscriber');
    const emailHash = w.runtime.hasher.hash('email', READER_EMAIL);
    // Not under the address's hash: under the reader's.
    expect(subscribers.some((item) => item.PK === `SUBSCRIBER#${emailHash}`)).toBe(false);
    const link = request(confirmLinks()[0] ?? '');
    expect((await w.api('POST', link.path, { query: link.query })).status).toBe(200);

    // A guest who types the reader's address and asks too: a subscription of its own, unconfirmed.
    const guest = await post(w, articleId, { name: 'Not Kate', email: READER_EMAIL, notify: true });
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Zoë', email: 'zoe@other.example', parentId: guest.id });
    await w.drain();
    expect(replies()).toHaveLength(0);
    // A reply to the reader's own comment reaches them.
    w.queue.jobs = [];
    await post(w, articleId, { name: 'Yan', email: 'yan@other.example', parentId: asked.id });
    await w.drain();
    expect(replies()).toHaveLength(1);
  });

  it('erases the reader’s id at the site and their own subscription with their address', async () => {
    const w = world(READERS);
    const articleId = article('signed-in-erased');
    const asked = await post(w, articleId, { reader: await token('user-erased'), notify: true });
    const before = await table.scanAll();
    const stored = before.find((item) => item.commentId === asked.id);
    expect(stored).toMatchObject({ commenterId: 'user-erased', verified: true });
    const key = String(stored?.subscriberHash);
    expect(before.some((item) => item.PK === `SUBSCRIBER#${key}`)).toBe(true);

    const erased = await w.api('POST', '/admin/erasures', {
      body: { email: READER_EMAIL },
      operator: true,
    });
    expect(erased.status).toBe(200);
    const after = await table.scanAll();
    const comment = after.find((item) => item.commentId === asked.id);
    expect(comment).toMatchObject({ authorName: 'Deleted user' });
    for (const name of [
      'email',
      'emailHash',
      'commenterId',
      'subscriberHash',
      'verified',
      'badges',
    ]) {
      expect(comment).not.toHaveProperty(name);
    }
    expect(after.some((item) => item.PK === `SUBSCRIBER#${key}`)).toBe(false);
    expect(JSON.stringify(after)).not.toContain(READER_EMAIL);
  });
});

describe('mail about a moderator’s decision', () => {
  // The next tests start in a fresh hour: these comments count against the hour's rate limits.
  afterEach(() => {
    now += 3_600_000;
  });

  /** A confirmed subscriber's comment and a reply to it held for a moderator. */
  async function heldReply(w: World, name: string) {
    const articleId = article(name);
    const email = `${name}@reader.example`;
    const parent = await subscribedParent(w, articleId, email);
    w.queue.jobs = [];
    const reply = await post(w, articleId, {
      name: 'Zoë',
      email: `zoe-${name}@other.example`,
      parentId: parent.id,
      body: 'A reply the parent’s author must not see if its approval is undone.',
    });
    w.queue.jobs = [];
    const approve = () => publish(w, reply.id);
    return { articleId, email, reply, approve };
  }
  const replies = (email: string) => mailTo(email).filter((m) => m.subject.includes('replied'));

  it('waits out the undo window before a reply’s notification leaves', async () => {
    const w = world({ moderation: { policy: 'all', undoSeconds: 20 } });
    const { articleId, email, reply, approve } = await heldReply(w, 'waits');
    await approve();
    await w.dispatch(articleId, reply.id);
    expect(w.queue.jobs.map((queued) => queued.delaySeconds)).toEqual([26]);
    await w.drain();
    expect(replies(email)).toHaveLength(1);
  });

  it('sends nothing for a reply whose approval was undone before the mail left', async () => {
    const w = world({ moderation: { policy: 'all', undoSeconds: 20 } });
    const { articleId, email, reply, approve } = await heldReply(w, 'undone');
    await approve();
    await w.dispatch(articleId, reply.id);
    await w.api('PATCH', `/admin/comments/${reply.id}`, {
      body: { status: 'pending' },
      operator: true,
    });
    await w.drain();
    expect(replies(email)).toHaveLength(0);
  });
});

describe('what the public sees', () => {
  it('answers alike whatever state an address’s subscription is in', async () => {
    const w = world();
    const email = 'state@reader.example';
    const hash = w.runtime.hasher.hash('email', email);
    const articleId = article('state');
    const parent = await post(w, articleId, { name: 'P', email: 'p@reader.example' });
    /** Everything an answer shows, minus what differs on every request (ids, times, tokens). */
    const shape = async (notify: boolean) => {
      const created = await w.api('POST', `/articles/${articleId}/comments`, {
        body: { name: 'S', email, body: 'Same.', parentId: parent.id, notify },
      });
      const { comment, ...rest } = created.json as {
        comment: Record<string, unknown>;
        editToken?: string;
      };
      const { id: _id, createdAt: _createdAt, ...fields } = comment;
      const { editToken: _token, ...others } = rest;
      const listed = await w.api('GET', `/articles/${articleId}/comments`);
      return JSON.stringify({
        status: created.status,
        headers: Object.keys(created.headers).sort(),
        fields,
        others,
        listedStatus: listed.status,
        listedKeys: Object.keys(listed.json).sort(),
      });
    };
    const baseline = await shape(false);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('absent', 'pending', 'confirmed', 'unsubscribed'),
        fc.boolean(),
        async (state, notify) => {
          const key = { PK: `SUBSCRIBER#${hash}`, SK: 'SUBSCRIBER' };
          if (state === 'absent') {
            await table.documentClient.send(
              new DeleteCommand({ TableName: table.tableName, Key: key }),
            );
          } else {
            await table.documentClient.send(
              new PutCommand({
                TableName: table.tableName,
                Item: { ...key, entity: 'Subscriber', email, state },
              }),
            );
          }
          expect(await shape(notify)).toBe(baseline);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('moderators’ notices', () => {
  it('names each held comment of a window in one mail, with its author, email, text, links and actions', async () => {
    const w = world({ moderation: { policy: 'all' } });
    // A window of its own: earlier tests' held comments were noticed in theirs.
    now += TEST_MAIL.digestSeconds * 1000;
    const articleId = article('held');
    await post(w, articleId, {
      name: 'Eve',
      email: 'eve@reader.example',
      body: 'See https://spam.example/x',
    });
    await post(w, articleId, { name: 'Mal', email: 'mal@reader.example', body: 'Second.' });
    const held = w.queue.jobs.filter(({ job }) => job.kind === 'held');
    expect(held).toHaveLength(2);
    expect(held[0]?.job).toEqual(held[1]?.job);
    expect(held[0]?.delaySeconds).toBeGreaterThan(0);
    now += TEST_MAIL.digestSeconds * 1000;
    await w.drain();
    const notices = mailTo('moderator@news.example');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toContain('2 comments wait');
    const message = raw(notices[0]?.file ?? '');
    for (const text of [
      'Eve',
      'eve@reader.example',
      'Mal',
      'mal@reader.example',
      'https://spam.example/x',
    ]) {
      expect(message).toContain(text);
    }
    expect(notices[0]?.links.filter((l) => l.includes('/moderation/actions?token='))).toHaveLength(
      4,
    );
  });
  it('asks for no mail about imported comments: an archive’s held ones wait in the console', async () => {
    const w = world({ moderation: { policy: 'all' } });
    now += TEST_MAIL.digestSeconds * 1000;
    const articleId = article('archive');
    // Comments from years back, as a WordPress import brings them: held ones among them.
    const old = Date.UTC(2019, 4, 1);
    const comment = (n: number, status: string, parentId: string | null = null) => ({
      id: importedCommentId(`wordpress:test:${articleId}:${n}`, old + n * 60_000),
      articleId,
      parentId,
      name: `Reader ${n}`,
      email: `reader${n}@reader.example`,
      website: null,
      body: `Archived comment ${n}.`,
      status,
      createdAt: new Date(old + n * 60_000).toISOString(),
      editedAt: null,
    });
    const first = comment(1, 'published');
    const batch = [first, comment(2, 'pending'), comment(3, 'published', first.id)];
    const answer = await w.api('POST', '/admin/imports', {
      operator: true,
      body: { comments: batch },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.imported).toHaveLength(3);
    for (const { id } of batch) await w.dispatch(articleId, id);
    expect(w.queue.jobs).toEqual([]);
    // A comment held now still asks for its notice.
    await post(w, articleId, { name: 'Eve', email: 'eve@reader.example' });
    expect(w.queue.jobs.map(({ job }) => job.kind)).toEqual(['held']);
  });
});

describe('moderators’ links', () => {
  /** Holds two comments in a fresh window and returns the notice's links, in the mail's order. */
  async function heldNotice(w: World, articleId: string) {
    now += TEST_MAIL.digestSeconds * 1000;
    const first = await post(w, articleId, { name: 'Eve <i>', body: 'Buy <b>now</b> & save' });
    const second = await post(w, articleId, { name: 'Mal', body: 'Second.' });
    now += TEST_MAIL.digestSeconds * 1000;
    await w.drain();
    const [notice] = mailTo('moderator@news.example');
    const links = (notice?.links ?? []).filter((l) => l.includes('/moderation/actions?token='));
    expect(links).toHaveLength(4);
    const [approveFirst, spamFirst, approveSecond, spamSecond] = links.map(request);
    return { first, second, approveFirst, spamFirst, approveSecond, spamSecond };
  }
  const statusOf = async (w: World, articleId: string, id: string) => {
    const listed = await w.api('GET', '/admin/comments', {
      query: { status: 'pending' },
      operator: true,
    });
    const pending = (listed.json.comments as { id: string }[]).some((c) => c.id === id);
    const shown = await w.api('GET', `/articles/${articleId}/comments`);
    const published = (shown.json.comments as { id: string }[]).some((c) => c.id === id);
    return pending ? 'pending' : published ? 'published' : 'neither';
  };

  it('shows the comment and a button; only the POST acts, and only once', async () => {
    const w = world({ moderation: { policy: 'all' } });
    const articleId = article('links');
    const { first, second, approveFirst, spamSecond, approveSecond } = await heldNotice(
      w,
      articleId,
    );
    const target = approveFirst as { path: string; query: Record<string, string> };

    // Following the link (as a mail scanner does) shows the comment as text and changes nothing.
    for (let index = 0; index < 2; index++) {
      const page = await w.api('GET', target.path, { query: target.query });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(page.text).toContain('Buy &lt;b&gt;now&lt;/b&gt; &amp; save');
      expect(page.text).toContain('Eve &lt;i&gt;');
      expect(page.text).not.toContain('<b>now');
      expect(page.text).toContain('<form method="post"');
      expect(page.text).toContain('Publish this comment');
    }
    expect(await statusOf(w, articleId, first.id)).toBe('pending');

    // The button publishes it; the same button again, and the page after, say the link was used.
    const posted = await w.api('POST', target.path, { query: target.query });
    expect(posted.status).toBe(200);
    expect(posted.text).toContain('The comment is published.');
    expect(await statusOf(w, articleId, first.id)).toBe('published');
    const again = await w.api('POST', target.path, { query: target.query });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already used');
    expect((await w.api('GET', target.path, { query: target.query })).status).toBe(409);

    // The other comment's spam link hides it; its approve link is retired with it, and says so
    // even once the console publishes the comment after all.
    const spam = spamSecond as { path: string; query: Record<string, string> };
    expect((await w.api('POST', spam.path, { query: spam.query })).status).toBe(200);
    expect(await statusOf(w, articleId, second.id)).toBe('neither');
    await publish(w, second.id);
    const late = approveSecond as { path: string; query: Record<string, string> };
    for (const method of ['GET', 'POST']) {
      const page = await w.api(method, late.path, { query: late.query });
      expect(page.status).toBe(409);
      expect(page.text).toContain('The comment is now published.');
      expect(page.text).not.toContain('<form');
    }
  });

  type Link = { path: string; query: Record<string, string> };

  it('retires the notice’s other link once one is used, even when the comment is back in the queue', async () => {
    const w = world({ moderation: { policy: 'all' } });
    const articleId = article('retired');
    const { first, approveFirst, spamFirst } = await heldNotice(w, articleId);
    const approve = approveFirst as Link;
    const spam = spamFirst as Link;
    expect((await w.api('POST', approve.path, { query: approve.query })).status).toBe(200);
    for (const method of ['GET', 'POST']) {
      const page = await w.api(method, spam.path, { query: spam.query });
      expect(page.status).toBe(409);
      expect(page.text).toContain('A link of this notice was already used');
      expect(page.text).toContain('The comment is now published.');
      expect(page.text).toContain(`<a href="https://news.example/${articleId}">`);
      expect(page.text).not.toContain('<form');
    }
    expect(await statusOf(w, articleId, first.id)).toBe('published');
    // Put back in the queue from the console: the notice's links still do nothing.
    await w.api('PATCH', `/admin/comments/${first.id}`, {
      body: { status: 'pending' },
      operator: true,
    });
    expect((await w.api('POST', spam.path, { query: spam.query })).status).toBe(409);
    expect(await statusOf(w, articleId, first.id)).toBe('pending');
  });

  it.each([
    ['published', 'spam', 'The comment is now published', 'published'],
    ['spam', 'published', 'The comment is now marked as spam', 'neither'],
  ] as const)(
    'says a comment a colleague made %s is so, offers no button, and never overrides them',
    async (colleague, linkAction, says, stays) => {
      const w = world({ moderation: { policy: 'all' } });
      const articleId = article(`colleague-${colleague}`);
      const { first, approveFirst, spamFirst } = await heldNotice(w, articleId);
      const link = (linkAction === 'spam' ? spamFirst : approveFirst) as Link;
      await w.api('PATCH', `/admin/comments/${first.id}`, {
        body: { status: colleague },
        operator: true,
      });
      for (const method of ['GET', 'POST']) {
        const page = await w.api(method, link.path, { query: link.query });
        expect(page.status).toBe(200);
        expect(page.text).toContain(says);
        expect(page.text).toContain('Nothing was changed');
        expect(page.text).not.toContain('waits for moderation');
        expect(page.text).not.toContain('<form');
      }
      expect(await statusOf(w, articleId, first.id)).toBe(stays);
    },
  );

  it('shows when the comment was written in words, and links to its article', async () => {
    const w = world({ moderation: { policy: 'all' } });
    const articleId = article('page-words');
    const { first, approveFirst } = await heldNotice(w, articleId);
    const link = approveFirst as Link;
    const page = await w.api('GET', link.path, { query: link.query });
    const written = new Date(ulidTime(first.id));
    expect(page.text).not.toContain(written.toISOString());
    const day = written.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    expect(page.text).toContain(day);
    expect(page.text).toContain(`<a href="https://news.example/${articleId}">`);
  });

  it('refuses an expired link politely and a forged one as bad input, changing nothing', async () => {
    const w = world({ moderation: { policy: 'all' } });
    const articleId = article('expired');
    const { first, approveFirst } = await heldNotice(w, articleId);
    const target = approveFirst as { path: string; query: Record<string, string> };

    const forged = { token: `${target.query.token?.slice(0, -2)}xx` };
    expect((await w.api('GET', target.path, { query: forged })).status).toBe(400);
    const refused = await w.api('POST', target.path, { query: forged });
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json.errors).toEqual([
      { field: 'token', message: 'is not a valid moderation token' },
    ]);

    now += LINK_LIFETIME_MS;
    for (const method of ['GET', 'POST']) {
      const answer = await w.api(method, target.path, { query: target.query });
      expect(answer.status).toBe(410);
      expect(answer.text).toContain('expired');
    }
    expect(await statusOf(w, articleId, first.id)).toBe('pending');
  });
});

describe('links mailed before links had a key of their own', () => {
  // As every link was signed then: under the hashing secret itself.
  const before = createKeyedHasher(TEST_SECRET);
  const transition = (until: number) => ({
    TALKBACK_LEGACY_LINK_SECRET: TEST_SECRET,
    TALKBACK_LEGACY_LINKS_UNTIL: new Date(until).toISOString(),
  });
  const ada = 'ada@old-links.example';

  async function oldLinks(w: World) {
    const articleId = article('old-links');
    const asked = await post(w, articleId, { email: ada, notify: true });
    const emailHash = w.runtime.hasher.hash('email', ada);
    return {
      articleId,
      asked,
      confirm: { token: confirmToken(before, emailHash, now) },
      unsubscribe: { token: unsubscribeToken(before, emailHash) },
      moderate: {
        token: moderationToken(before, { articleId, commentId: asked.id }, 'published', now),
      },
    };
  }

  it('confirm and unsubscribe during the transition, as the links mailed now do', async () => {
    const w = world({}, transition(now + 86_400_000));
    const links = await oldLinks(w);
    const page = await w.api('GET', '/subscriptions/confirm', { query: links.confirm });
    expect([page.status, page.text]).toEqual([200, expect.stringContaining('Confirm')]);
    expect((await w.api('POST', '/subscriptions/confirm', { query: links.confirm })).status).toBe(
      200,
    );
    const subscriber = () =>
      new NotificationRepository(table.documentClient, table.tableName).subscriber(
        w.runtime.hasher.hash('email', ada),
      );
    expect((await subscriber())?.state).toBe('confirmed');
    expect(
      (await w.api('POST', '/subscriptions/unsubscribe', { query: links.unsubscribe })).status,
    ).toBe(200);
    expect((await subscriber())?.state).not.toBe('confirmed');
  });

  it('do nothing once the transition is over, nor without one', async () => {
    for (const env of [transition(now), {}]) {
      const w = world({}, env);
      const links = await oldLinks(w);
      for (const [path, query] of [
        ['/subscriptions/confirm', links.confirm],
        ['/subscriptions/unsubscribe', links.unsubscribe],
      ] as const) {
        expect((await w.api('GET', path, { query })).status).toBe(400);
        const refused = await w.api('POST', path, { query });
        expect(refused.status).toBe(400);
        expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'token' })]);
      }
    }
  });

  it('never act for moderators, even during the transition', async () => {
    const w = world({ moderation: { policy: 'all' } }, transition(now + 86_400_000));
    const links = await oldLinks(w);
    expect((await w.api('GET', '/moderation/actions', { query: links.moderate })).status).toBe(400);
    const refused = await w.api('POST', '/moderation/actions', { query: links.moderate });
    expect(refused.status).toBe(400);
    const queue = await w.api('GET', '/admin/comments', {
      query: { status: 'pending' },
      operator: true,
    });
    expect((queue.json.comments as { id: string }[]).map((c) => c.id)).toContain(links.asked.id);
  });
});

describe('the local in-process queue', () => {
  it('retries a failed job with growing waits and gives up after the last try', async () => {
    const attempts: number[] = [];
    const lines: string[] = [];
    const queue = inProcessQueue(
      async (event) => {
        attempts.push(Number(event.Records[0]?.attributes.ApproximateReceiveCount));
        return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.messageId ?? '' }] };
      },
      { maxReceives: 3, retryBaseMs: 5, log: (line) => lines.push(line) },
    );
    await queue.enqueue([
      { job: { kind: 'held', windowStart: 'a', windowEnd: 'b' }, delaySeconds: 0 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    queue.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(lines).toHaveLength(1);
  });
});
