import { readModerationToken } from '../../../lambda/domain/notifications';
import { verifySignature } from '../../../lambda/domain/webhook-signature';
import {
  type Delivery,
  deliver,
  deliveriesFor,
  eventId,
  type HookComment,
  type HookDispatchDeps,
  type HookSendDeps,
  type HookStore,
  retryDelaySeconds,
} from '../../../lambda/domain/webhooks';
import { commentRecord, hasher, NOW } from '../fakes';

const SECRET = 'whsec-0123456789-0123456789-abcdef';
const CREATED = new Date(NOW).toISOString();
const DECIDED = new Date(NOW + 60_000).toISOString();
const A = 'https://a.example/in';
const B = 'https://b.example/in';

function comment(overrides: Partial<HookComment> = {}): HookComment {
  return commentRecord({ createdAt: CREATED, ...overrides });
}
const ref = { articleId: comment().articleId, commentId: comment().commentId };

const dispatch: HookDispatchDeps = {
  store: undefined as unknown as HookStore,
  webhooks: [
    { url: A, events: ['comment.created', 'comment.published', 'comment.removed'] },
    { url: B, events: ['comment.reported', 'comment.removed'] },
  ],
  slack: true,
  undoSeconds: 6,
};

const changed = { ref, inserted: false, removed: false };
const inserted = { ref, inserted: true, removed: false };

describe('deliveriesFor', () => {
  it('tells the endpoints that asked of a new published comment, at once', () => {
    expect(deliveriesFor(dispatch, inserted, comment())).toEqual([
      {
        job: { kind: 'event', event: 'comment.created', url: A, ref, stamp: CREATED },
        delaySeconds: 0,
      },
      {
        job: { kind: 'event', event: 'comment.published', url: A, ref, stamp: CREATED },
        delaySeconds: 0,
      },
    ]);
  });

  it('sends a new held comment to Slack, with its creation to the endpoints', () => {
    expect(deliveriesFor(dispatch, inserted, comment({ status: 'pending' }))).toEqual([
      {
        job: { kind: 'event', event: 'comment.created', url: A, ref, stamp: CREATED },
        delaySeconds: 0,
      },
      { job: { kind: 'slack', ref, stamp: CREATED }, delaySeconds: 0 },
    ]);
  });

  it('tells nobody of a new comment caught as spam, nor of an imported one', () => {
    expect(deliveriesFor(dispatch, inserted, comment({ status: 'spam' }))).toEqual([]);
    expect(
      deliveriesFor(dispatch, inserted, comment({ status: 'pending', imported: true })),
    ).toEqual([]);
  });

  it('waits out the undo before telling of a moderator’s approval, named by when it was made', () => {
    expect(
      deliveriesFor(dispatch, changed, comment({ moderatedAt: DECIDED, decidedFrom: 'pending' })),
    ).toEqual([
      {
        job: { kind: 'event', event: 'comment.published', url: A, ref, stamp: DECIDED },
        delaySeconds: 12,
      },
    ]);
  });

  it('tells of a published comment a moderator took down, after the undo', () => {
    expect(
      deliveriesFor(
        dispatch,
        changed,
        comment({ status: 'spam', moderatedAt: DECIDED, decidedFrom: 'published' }),
      ),
    ).toEqual([
      {
        job: { kind: 'event', event: 'comment.removed', url: A, ref, stamp: DECIDED },
        delaySeconds: 12,
      },
      {
        job: { kind: 'event', event: 'comment.removed', url: B, ref, stamp: DECIDED },
        delaySeconds: 12,
      },
    ]);
  });

  it('tells of a comment held by readers’ reports, and Slack of it', () => {
    expect(
      deliveriesFor(dispatch, changed, comment({ status: 'pending', holdReasons: ['reported'] })),
    ).toEqual([
      {
        job: { kind: 'event', event: 'comment.reported', url: B, ref, stamp: CREATED },
        delaySeconds: 0,
      },
      { job: { kind: 'slack', ref, stamp: CREATED }, delaySeconds: 0 },
    ]);
  });

  it('tells of a deletion at once', () => {
    expect(deliveriesFor(dispatch, { ref, inserted: false, removed: true }, undefined)).toEqual([
      {
        job: { kind: 'event', event: 'comment.removed', url: A, ref, stamp: 'deleted' },
        delaySeconds: 0,
      },
      {
        job: { kind: 'event', event: 'comment.removed', url: B, ref, stamp: 'deleted' },
        delaySeconds: 0,
      },
    ]);
  });

  it('asks for nothing without endpoints or Slack', () => {
    const none = { ...dispatch, webhooks: [], slack: false };
    expect(deliveriesFor(none, inserted, comment({ status: 'pending' }))).toEqual([]);
  });
});

/** A store over one comment (or none), with the markers as a set. */
class FakeStore implements HookStore {
  markers = new Set<string>();
  constructor(public current: HookComment | undefined) {}
  async findComments() {
    return this.current ? [this.current] : [];
  }
  async findComment() {
    return this.current;
  }
  async claim(id: string) {
    if (this.markers.has(id)) return false;
    this.markers.add(id);
    return true;
  }
  async release(id: string) {
    this.markers.delete(id);
  }
}

function sendDeps(store: FakeStore, post = jest.fn(async () => undefined)) {
  const deps: HookSendDeps = {
    store,
    hasher,
    clock: () => NOW,
    endpoints: [
      {
        url: A,
        events: ['comment.created', 'comment.published', 'comment.removed'],
        includeEmail: false,
        secret: async () => SECRET,
      },
      { url: B, events: ['comment.removed'], includeEmail: true, secret: async () => SECRET },
    ],
    slackUrl: async () => 'https://hooks.slack.example/services/T/B/x',
    links: {
      apiUrl: 'https://api.news.example',
      articleUrlTemplate: 'https://news.example/{articleId}',
      consoleUrl: 'https://news.example/admin/',
    },
    post,
  };
  return { deps, post };
}

const published: Delivery = {
  kind: 'event',
  event: 'comment.published',
  url: A,
  ref,
  stamp: CREATED,
};

describe('deliver', () => {
  it('POSTs the event signed, with the comment and no email, once', async () => {
    const store = new FakeStore(comment());
    const { deps, post } = sendDeps(store);
    await expect(deliver(deps, published)).resolves.toBe('sent');
    await expect(deliver(deps, published)).resolves.toBe('skipped');
    expect(post).toHaveBeenCalledTimes(1);
    const [url, body, headers] = post.mock.calls[0] as unknown as [
      string,
      string,
      Record<string, string>,
    ];
    expect(url).toBe(A);
    expect(verifySignature(headers['Talkback-Signature'], body, SECRET, NOW)).toBe(true);
    const event = JSON.parse(body);
    expect(event).toMatchObject({
      id: eventId(hasher, published as Extract<Delivery, { kind: 'event' }>),
      type: 'comment.published',
      comment: {
        id: ref.commentId,
        articleId: ref.articleId,
        status: 'published',
        holdReasons: [],
        body: 'Plain text.',
      },
    });
    expect(body).not.toContain('ada@example.com');
    expect(event.comment).not.toHaveProperty('email');
  });

  it('carries the email to an endpoint that opted in', async () => {
    const store = new FakeStore(
      comment({ status: 'spam', moderatedAt: DECIDED, decidedFrom: 'published' }),
    );
    const { deps, post } = sendDeps(store);
    await deliver(deps, { kind: 'event', event: 'comment.removed', url: B, ref, stamp: DECIDED });
    expect(JSON.parse((post.mock.calls[0] as unknown as string[])[1] ?? '').comment.email).toBe(
      'ada@example.com',
    );
  });

  it('gives a deleted comment’s removal its id and article only', async () => {
    const { deps, post } = sendDeps(new FakeStore(undefined));
    await deliver(deps, { kind: 'event', event: 'comment.removed', url: A, ref, stamp: 'deleted' });
    expect(JSON.parse((post.mock.calls[0] as unknown as string[])[1] ?? '').comment).toEqual({
      id: ref.commentId,
      articleId: ref.articleId,
      status: 'deleted',
    });
  });

  it.each([
    ['an approval undone since', published, comment({ status: 'pending' })],
    ['a publication decided again since', published, comment({ moderatedAt: DECIDED })],
    ['a comment deleted since', published, undefined],
    [
      'a removal undone since',
      { kind: 'event', event: 'comment.removed', url: A, ref, stamp: DECIDED } as Delivery,
      comment({ moderatedAt: DECIDED }),
    ],
    [
      'a Slack message for a comment approved since',
      { kind: 'slack', ref, stamp: CREATED } as Delivery,
      comment({ status: 'published', moderatedAt: DECIDED }),
    ],
    [
      'an endpoint no longer told of the event',
      { kind: 'event', event: 'comment.published', url: B, ref, stamp: CREATED } as Delivery,
      comment(),
    ],
    [
      'an endpoint removed since',
      { ...published, url: 'https://gone.example/' } as Delivery,
      comment(),
    ],
  ])('sends nothing for %s', async (_, job, current) => {
    const { deps, post } = sendDeps(new FakeStore(current));
    await expect(deliver(deps, job)).resolves.toBe('skipped');
    expect(post).not.toHaveBeenCalled();
  });

  it('takes its marker back when the endpoint fails, so the retry sends it', async () => {
    const store = new FakeStore(comment());
    const post = jest.fn().mockRejectedValueOnce(new Error('503')).mockResolvedValue(undefined);
    const { deps } = sendDeps(store, post);
    await expect(deliver(deps, published)).rejects.toThrow('503');
    expect(store.markers.size).toBe(0);
    await expect(deliver(deps, published)).resolves.toBe('sent');
    expect(post).toHaveBeenCalledTimes(2);
  });

  it('sends Slack the held comment with the moderators’ one-click links, escaped', async () => {
    const held = comment({
      status: 'pending',
      authorName: 'Eve <script>',
      body: 'Buy <b>now</b> & save',
      holdReasons: ['rule:buy-now'],
    });
    const { deps, post } = sendDeps(new FakeStore(held));
    await expect(deliver(deps, { kind: 'slack', ref, stamp: CREATED })).resolves.toBe('sent');
    const [url, body, headers] = post.mock.calls[0] as unknown as [
      string,
      string,
      Record<string, string>,
    ];
    expect(url).toBe('https://hooks.slack.example/services/T/B/x');
    expect(headers).not.toHaveProperty('Talkback-Signature');
    const text: string = JSON.parse(body).blocks[0].text.text;
    expect(text).toContain('*Eve &lt;script&gt;* wrote:');
    expect(text).toContain('> Buy &lt;b&gt;now&lt;/b&gt; &amp; save');
    expect(text).toContain('Why: rule:buy-now');
    expect(text).toContain('<https://news.example/admin/|Open the console>');
    expect(body).not.toContain('ada@example.com');
    const links = [
      ...text.matchAll(
        /<https:\/\/api\.news\.example\/moderation\/actions\?token=([^|]+)\|([^>]+)>/g,
      ),
    ];
    expect(links.map((link) => link[2])).toEqual(['Approve', 'Mark as spam']);
    expect(links.map((link) => readModerationToken(hasher, link[1]))).toEqual([
      expect.objectContaining({
        ...ref,
        action: 'published',
        articleUrl: `https://news.example/${ref.articleId}`,
      }),
      expect.objectContaining({ ...ref, action: 'spam' }),
    ]);
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from 30 seconds to at most an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 3600, 3600]);
  });
});
